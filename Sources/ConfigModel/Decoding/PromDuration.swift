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

    /// Unit order (1 = largest) and nanoseconds per unit, as prometheus/common's `unitMap`.
    private static func unit(_ u: ArraySlice<UInt8>) -> (position: Int, nanoseconds: UInt64)? {
        switch Array(u) {
        case [0x79]: return (1, 31_536_000_000_000_000)  // y
        case [0x77]: return (2, 604_800_000_000_000)  // w
        case [0x64]: return (3, 86_400_000_000_000)  // d
        case [0x68]: return (4, 3_600_000_000_000)  // h
        case [0x6D]: return (5, 60_000_000_000)  // m
        case [0x73]: return (6, 1_000_000_000)  // s
        case [0x6D, 0x73]: return (7, 1_000_000)  // ms
        default: return nil
        }
    }

    /// `model.ParseDuration` of prometheus/common v0.70 (what Prometheus 3.14 links), with its error texts:
    /// `empty duration string`, `unknown unit "M" in duration "5M"`, `not a valid duration string: "1m1h"`
    /// (no digits, a number past uint64, units out of order or repeated) and `duration out of range`.
    /// Sub-millisecond precision cannot occur (the smallest unit is `ms`).
    public static func parse(_ s: String) -> Result<PromDuration, ConfigError> {
        switch s {
        case "0": return .success(.zero)
        case "": return .failure(ConfigError("empty duration string"))
        default: break
        }
        let b = Array(s.utf8)
        var invalid: ConfigError { ConfigError("not a valid duration string: \(goQuote(s))") }
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        var i = 0
        var total: UInt64 = 0
        var lastPosition = 0
        while i < b.count {
            guard isDigit(b[i]) else { return .failure(invalid) }
            var v: UInt64 = 0
            var tooLarge = false
            while i < b.count, isDigit(b[i]) {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(UInt64(b[i] &- 0x30))
                if o1 || o2 { tooLarge = true }
                v = a
                i += 1
            }
            // strconv.ParseUint fails past uint64: Go words that as an invalid string, not a range error.
            if tooLarge { return .failure(invalid) }
            let unitStart = i
            while i < b.count, !isDigit(b[i]) { i += 1 }
            if i == unitStart { return .failure(invalid) }
            guard let unit = unit(b[unitStart..<i]) else {
                let u = String(decoding: b[unitStart..<i], as: UTF8.self)
                return .failure(ConfigError("unknown unit \(goQuote(u)) in duration \(goQuote(s))"))
            }
            if unit.position <= lastPosition { return .failure(invalid) }
            lastPosition = unit.position
            if v > (UInt64(1) << 63) / unit.nanoseconds { return .failure(ConfigError("duration out of range")) }
            total = total &+ v &* unit.nanoseconds
            if total > UInt64(Int64.max) { return .failure(ConfigError("duration out of range")) }
        }
        return .success(PromDuration(milliseconds: Int64(total / 1_000_000)))
    }

    /// `model.ParseDurationAllowNegative`: a leading `-` negates (template `parseDuration` uses it).
    public static func parseAllowingNegative(_ s: String) -> Result<PromDuration, ConfigError> {
        guard s.utf8.first == UInt8(ascii: "-") else { return parse(s) }
        return parse(String(s.dropFirst())).map { PromDuration(milliseconds: -$0.milliseconds) }
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
        // Secret.UnmarshalYAML decodes into `type plain Secret`, the name yaml prints in type errors.
        guard case .scalar = node.content else {
            decoder.cannotUnmarshal(node, into: "config.plain")
            exposedValue = ""
            return
        }
        exposedValue = try String(yaml: node, decoder: decoder)
    }
}
