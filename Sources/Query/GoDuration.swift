import GoCompat

/// Go's `time.Duration` as kingpin flags parse it (`time.ParseDuration`: `1h30m`, `1.5s`, `300ms`) and as
/// `Duration.String()` prints it (`1h0m0s`), in nanoseconds.
public struct GoDuration: Sendable, Hashable {
    public var nanos: Int64

    public init(nanos: Int64) { self.nanos = nanos }

    /// `time.ParseDuration`, or Go's error text (`time: invalid duration "x"`).
    public static func parse(_ s: String) -> Result<GoDuration, QueryError> {
        let invalid = QueryError("time: invalid duration " + GoTime.quote(s))
        var rest = Substring(s)
        var negative = false
        if let f = rest.first, f == "-" || f == "+" {
            negative = f == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return .success(GoDuration(nanos: 0)) }
        if rest.isEmpty { return .failure(invalid) }
        let units: [(String, Double)] = [("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9)]
        var total = 0.0
        while !rest.isEmpty {
            let numEnd = rest.firstIndex { !($0.isASCII && ($0.isNumber || $0 == ".")) } ?? rest.endIndex
            let number = rest[..<numEnd]
            guard !number.isEmpty, number != ".", number.filter({ $0 == "." }).count <= 1, let value = Double(number.hasPrefix(".") ? "0" + number : String(number)) else {
                return .failure(invalid)
            }
            rest = rest[numEnd...]
            let unitEnd = rest.firstIndex { $0.isASCII && ($0.isNumber || $0 == ".") } ?? rest.endIndex
            let unit = String(rest[..<unitEnd])
            if unit.isEmpty { return .failure(QueryError("time: missing unit in duration " + GoTime.quote(s))) }
            guard let scale = units.first(where: { $0.0 == unit })?.1 else {
                return .failure(QueryError("time: unknown unit " + GoTime.quote(unit) + " in duration " + GoTime.quote(s)))
            }
            total += value * scale
            rest = rest[unitEnd...]
        }
        guard total < 9.223372036854775e18 else { return .failure(invalid) }
        return .success(GoDuration(nanos: Int64(total.rounded(.towardZero)) * (negative ? -1 : 1)))
    }

    public var seconds: Double { Double(nanos) / 1e9 }

    /// `Duration.String()`: `1h2m3.5s`, `1.5ms`, `0s`.
    public var description: String {
        if nanos == 0 { return "0s" }
        let negative = nanos < 0
        let u = nanos.magnitude
        var out: String
        if u < 1_000_000_000 {
            // Below a second: the largest of ns, µs, ms with a fraction.
            let (unit, scale): (String, UInt64) = u < 1_000 ? ("ns", 1) : u < 1_000_000 ? ("µs", 1_000) : ("ms", 1_000_000)
            out = Self.fraction(u, scale: scale) + unit
        } else {
            let h = u / 3_600_000_000_000
            let m = (u / 60_000_000_000) % 60
            let secNanos = u % 60_000_000_000
            out = Self.fraction(secNanos, scale: 1_000_000_000) + "s"
            if h > 0 || m > 0 { out = String(m) + "m" + out }
            if h > 0 { out = String(h) + "h" + out }
        }
        return negative ? "-" + out : out
    }

    private static func fraction(_ v: UInt64, scale: UInt64) -> String {
        let whole = v / scale
        var frac = v % scale
        guard frac > 0 else { return String(whole) }
        var digits = String(frac)
        let width = String(scale).count - 1
        digits = String(repeating: "0", count: width - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        frac = 0
        return String(whole) + "." + digits
    }
}
