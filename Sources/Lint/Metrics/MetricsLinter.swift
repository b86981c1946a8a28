import Engine

/// A promlint problem: `Metric Text` as `promtool check metrics` prints it.
public struct MetricsLintProblem: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var metric: String
    public var text: String
    public init(metric: String, text: String) { self.metric = metric; self.text = text }
    public var description: String { "\(metric) \(text)" }
}

/// Prometheus's metric linter (client_golang `testutil/promlint`, the validations of the release
/// Prometheus 3.x uses): help text, base units, counter/gauge suffixes, histogram/summary reserved
/// names and labels, type in name, colons, camelCase, abbreviated units, duplicate metrics.
public struct MetricsLinter: Sendable {
    public init() {}

    /// Parses `bytes` with the Go-compatible text parser and lints every family.
    public func lint(_ bytes: [UInt8]) throws(MetricFamilyParseError) -> [MetricsLintProblem] {
        lint(families: try MetricFamilyTextParser().parse(bytes))
    }

    /// Lints families; the result is sorted by metric name, then text (stable, duplicates kept).
    public func lint(families: [MetricFamily]) -> [MetricsLintProblem] {
        var problems: [MetricsLintProblem] = []
        for mf in families {
            for text in Self.problems(of: mf) { problems.append(MetricsLintProblem(metric: mf.name, text: text)) }
        }
        // Stable sort by (metric, text) as Go's sort.SliceStable does.
        return problems.enumerated().sorted { a, b in
            if a.element.metric != b.element.metric { return a.element.metric.utf8.lexicographicallyPrecedes(b.element.metric.utf8) }
            if a.element.text != b.element.text { return a.element.text.utf8.lexicographicallyPrecedes(b.element.text.utf8) }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// All problem texts of one family, in validation order.
    public static func problems(of mf: MetricFamily) -> [String] {
        var out: [String] = []
        out += help(mf)
        out += metricUnits(mf)
        out += counter(mf)
        out += gauge(mf)
        out += histogramSummaryReserved(mf)
        out += metricTypeInName(mf)
        out += reservedChars(mf)
        out += camelCase(mf)
        out += unitAbbreviations(mf)
        out += duplicateMetric(mf)
        return out
    }

    // MARK: validations

    static func help(_ mf: MetricFamily) -> [String] {
        mf.help == nil ? ["no help text"] : []
    }

    static let units: [String: String] = [
        "amperes": "amperes", "bytes": "bytes", "celsius": "celsius", "grams": "grams", "joules": "joules",
        "kelvin": "kelvin", "meters": "meters", "metres": "metres", "seconds": "seconds", "volts": "volts",
        "minutes": "seconds", "hours": "seconds", "days": "seconds", "weeks": "seconds",
        "kelvins": "kelvin", "fahrenheit": "celsius", "rankine": "celsius",
        "inches": "meters", "yards": "meters", "miles": "meters",
        "bits": "bytes", "calories": "joules", "pounds": "grams", "ounces": "grams",
    ]

    static let unitPrefixes = [
        "pico", "nano", "micro", "milli", "centi", "deci", "deca", "hecto", "kilo", "kibi",
        "mega", "mibi", "giga", "gibi", "tera", "tebi", "peta", "pebi",
    ]

    static let unitAbbreviations = ["s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d"]

    /// The first `_`-separated word that is a known unit, optionally prefixed: (word, base unit).
    static func metricUnit(_ name: String) -> (unit: String, base: String)? {
        for word in name.split(separator: "_", omittingEmptySubsequences: false) {
            let s = String(word)
            if let base = units[s] { return (s, base) }
            for p in unitPrefixes where s.hasPrefix(p) {
                if let base = units[String(s.dropFirst(p.count))] { return (s, base) }
            }
        }
        return nil
    }

    static func metricUnits(_ mf: MetricFamily) -> [String] {
        guard let (unit, base) = metricUnit(mf.name), unit != base else { return [] }
        return ["use base unit \(ExpositionQuote.string(base)) instead of \(ExpositionQuote.string(unit))"]
    }

    static func counter(_ mf: MetricFamily) -> [String] {
        let isCounter = mf.type == .counter, isUntyped = mf.type == .untyped
        let total = mf.name.hasSuffix("_total")
        if isCounter && !total { return [#"counter metrics should have "_total" suffix"#] }
        if !isUntyped && !isCounter && total { return [#"non-counter metrics should not have "_total" suffix"#] }
        return []
    }

    static func gauge(_ mf: MetricFamily) -> [String] {
        if mf.type != .untyped, mf.type != .gauge, mf.name.hasSuffix("_timestamp_seconds") {
            return [#"non-gauge metrics should not have "_timestamp_seconds" suffix"#]
        }
        return []
    }

    static func histogramSummaryReserved(_ mf: MetricFamily) -> [String] {
        let t = mf.type
        if t == .untyped { return [] }
        let isHistogram = t == .histogram, isSummary = t == .summary
        var out: [String] = []
        let n = mf.name
        if !isHistogram && n.hasSuffix("_bucket") { out.append(#"non-histogram metrics should not have "_bucket" suffix"#) }
        if !isHistogram && !isSummary && n.hasSuffix("_count") {
            out.append(#"non-histogram and non-summary metrics should not have "_count" suffix"#)
        }
        if !isHistogram && !isSummary && n.hasSuffix("_sum") {
            out.append(#"non-histogram and non-summary metrics should not have "_sum" suffix"#)
        }
        for m in mf.metrics {
            for l in m.labels {
                if !isHistogram && l.name == "le" { out.append(#"non-histogram metrics should not have "le" label"#) }
                if !isSummary && l.name == "quantile" { out.append(#"non-summary metrics should not have "quantile" label"#) }
            }
        }
        return out
    }

    static func metricTypeInName(_ mf: MetricFamily) -> [String] {
        if mf.type == .untyped { return [] }
        let n = mf.name.lowercased()
        let t = mf.type.lowercased
        if n.contains("_" + t + "_") || n.hasSuffix("_" + t) { return ["metric name should not include type '\(t)'"] }
        return []
    }

    static func reservedChars(_ mf: MetricFamily) -> [String] {
        mf.name.contains(":") ? ["metric names should not contain ':'"] : []
    }

    /// Go regexp `[a-z][A-Z]` found anywhere.
    static func hasCamelCase(_ s: String) -> Bool {
        var prevLower = false
        for c in s.utf8 {
            if prevLower && c >= 65 && c <= 90 { return true }
            prevLower = c >= 97 && c <= 122
        }
        return false
    }

    static func camelCase(_ mf: MetricFamily) -> [String] {
        var out: [String] = []
        if hasCamelCase(mf.name) { out.append("metric names should be written in 'snake_case' not 'camelCase'") }
        for m in mf.metrics {
            for l in m.labels where hasCamelCase(l.name) {
                out.append("label names should be written in 'snake_case' not 'camelCase'")
            }
        }
        return out
    }

    static func unitAbbreviations(_ mf: MetricFamily) -> [String] {
        let n = mf.name.lowercased()
        var out: [String] = []
        for s in unitAbbreviations where n.contains("_" + s + "_") || n.hasSuffix("_" + s) {
            out.append("metric names should not contain abbreviated units")
        }
        return out
    }

    /// "metric not unique" once for every metric that has an identical later one (promlint's pairwise
    /// check, computed with a hash count so huge families stay linear).
    static func duplicateMetric(_ mf: MetricFamily) -> [String] {
        var counts: [[MetricFamilyLabel]: Int] = [:]
        for m in mf.metrics { counts[m.labels, default: 0] += 1 }
        var out: [String] = []
        for (_, c) in counts where c > 1 {
            out.append(contentsOf: repeatElement("metric not unique", count: c - 1))
        }
        return out
    }
}
