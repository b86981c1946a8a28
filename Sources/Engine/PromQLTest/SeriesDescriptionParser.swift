/// Errors in a promqltest script, with the 1-based line they are on.
public struct PromQLTestError: Error, Sendable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public init(line: Int, _ message: String) {
        self.line = line
        self.message = message
    }
    public var description: String { "\(line): \(message)" }
}

/// Reads the `metric{a="b"} 1 2+3x4 _ stale {{…}}` lines of promqltest scripts with the series-description
/// parser promtool's unit tests use (`PromQLParser.parseSeriesDescription`, as upstream's promqltest uses
/// `parser.ParseSeriesDesc`), with histogram steps resolved by histogram arithmetic.
public enum SeriesDescriptionParser {
    /// Splits a line into its label set and its expanded values; errors read like upstream's
    /// (`<line>:<column>: parse error: …`).
    public static func parse(_ line: String, lineNumber: Int) throws(PromQLTestError) -> (labels: Labels, values: [SeriesValue]) {
        let parsed: (labels: Labels, values: [SeriesValue])
        do {
            parsed = try PromQLParser.parseSeriesDescription(line)
        } catch {
            throw PromQLTestError(line: lineNumber, error.description(lineOffset: lineNumber &- 1))
        }
        do {
            return (parsed.labels, try SeriesValue.resolvingHistogramSteps(parsed.values))
        } catch {
            throw PromQLTestError(line: lineNumber, error.message)
        }
    }

    /// Repetition counts above this are refused (a script asking for more is hostile or a typo).
    static let maxExpansion = 1_000_000

    /// A float as PromQL writes it: decimal, hex, exponent, `Inf`, `NaN`, `stale` (the stale marker).
    public static func parseNumber(_ s: String) -> Double? {
        let lower = s.lowercased()
        switch lower {
        case "stale": return StaleNaN
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        case "nan", "+nan", "-nan": return .nan
        default: break
        }
        var body = Substring(lower)
        var negative = false
        if body.hasPrefix("-") { negative = true; body = body.dropFirst() } else if body.hasPrefix("+") { body = body.dropFirst() }
        if body.hasPrefix("0x"), let v = UInt64(body.dropFirst(2), radix: 16) {
            return negative ? -Double(v) : Double(v)
        }
        guard let first = body.first, first.isNumber || first == "." else { return nil }
        guard let v = Double(body) else { return nil }
        return negative ? -v : v
    }
}
