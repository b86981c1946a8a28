import GoCompat

/// Prometheus's `model.Duration`: `1y2w3d4h5m6s7ms` units in that order, each at most once; `0` allowed.
public struct PromDuration: Sendable, Hashable, Comparable, CustomStringConvertible, YAMLDecodable {
    /// Milliseconds.
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }
    public static func seconds(_ s: Int64) -> PromDuration { PromDuration(milliseconds: s * 1000) }
    public static func minutes(_ m: Int64) -> PromDuration { PromDuration(milliseconds: m * 60_000) }
    public static let zero = PromDuration(milliseconds: 0)

    public static var goTypeName: String { "model.Duration" }

    public static func < (a: PromDuration, b: PromDuration) -> Bool { a.milliseconds < b.milliseconds }

    /// Parses `s`, or returns the error text Prometheus gives.
    public static func parse(_ s: String) -> Result<PromDuration, ConfigError> {
        if s == "0" { return .success(.zero) }
        let units: [(String, Int64)] = [
            ("y", 365 * 24 * 3_600_000), ("w", 7 * 24 * 3_600_000), ("d", 24 * 3_600_000),
            ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1),
        ]
        let b = Array(s.utf8)
        var i = 0
        var unitIndex = 0
        var total: Int64 = 0
        var invalid: ConfigError { ConfigError("not a valid duration string: \(goQuote(s))") }
        if b.isEmpty { return .failure(invalid) }
        while i < b.count {
            var n: Int64 = 0
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                let (m, o1) = n.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(b[i] - 0x30))
                if o1 || o2 { return .failure(ConfigError("duration out of range")) }
                n = a
                i += 1
            }
            if i == start { return .failure(invalid) }
            var unitEnd = i
            while unitEnd < b.count, !(b[unitEnd] >= 0x30 && b[unitEnd] <= 0x39) { unitEnd += 1 }
            let unit = String(decoding: b[i..<unitEnd], as: UTF8.self)
            guard let idx = units[unitIndex...].firstIndex(where: { $0.0 == unit }) else { return .failure(invalid) }
            unitIndex = idx + 1
            let (p, o3) = n.multipliedReportingOverflow(by: units[idx].1)
            let (t, o4) = total.addingReportingOverflow(p)
            if o3 || o4 { return .failure(ConfigError("duration out of range")) }
            total = t
            i = unitEnd
        }
        return .success(PromDuration(milliseconds: total))
    }

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        if node.isNull { self = .zero; return }
        let s = try String(yaml: node, decoder: decoder)
        if node.scalarValue == nil { self = .zero; return }
        switch PromDuration.parse(s) {
        case .success(let d): self = d
        case .failure(let e): throw ConfigError(e.message, at: node.mark)
        }
    }

    /// `model.Duration.String()`: largest units first, `0s` for zero.
    public var description: String {
        var ms = milliseconds
        if ms == 0 { return "0s" }
        var out = ""
        if ms < 0 { out = "-"; ms = ms == Int64.min ? Int64.max : -ms }
        let units: [(String, Int64)] = [
            ("y", 365 * 24 * 3_600_000), ("w", 7 * 24 * 3_600_000), ("d", 24 * 3_600_000),
            ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1),
        ]
        for (u, size) in units {
            let n = ms / size
            if n > 0 {
                out += "\(n)\(u)"
                ms -= n * size
            }
        }
        return out
    }
}

/// A secret (password, token, credentials) that prints as `<secret>` everywhere, so it never reaches output.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, YAMLDecodable {
    /// The real value, for code that must use it (HTTP requests); never print it.
    public let exposedValue: String
    public init(_ value: String) { exposedValue = value }
    public var isEmpty: Bool { exposedValue.isEmpty }
    public var description: String { "<secret>" }
    public var debugDescription: String { "<secret>" }
    public static var goTypeName: String { "config.Secret" }
    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        exposedValue = try String(yaml: node, decoder: decoder)
    }
}
