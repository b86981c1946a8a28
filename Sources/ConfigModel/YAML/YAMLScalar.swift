/// Plain-scalar resolution as Go's yaml.v2 does it (YAML 1.1 booleans, `0x`/`0o`/`0b` ints, `.inf`),
/// so that values mean in our models what they mean to Prometheus.
public enum YAMLScalar: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    /// An integer past `Int64.max` that fits 64 unsigned bits (go-yaml's `uint64` resolution, still `!!int`).
    case uint(UInt64)
    case float(Double)
    case string(String)

    public static func resolve(_ s: String) -> YAMLScalar {
        guard let first = s.utf8.first else { return .null }
        switch s {
        case "~", "null", "Null", "NULL": return .null
        case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE": return .bool(true)
        case "n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
        case ".nan", ".NaN", ".NAN": return .float(.nan)
        default: break
        }
        // Only strings starting like a number can resolve to one.
        let c = first
        let numeric = (c >= 0x30 && c <= 0x39) || c == 0x2B || c == 0x2D || c == 0x2E
        guard numeric else { return .string(s) }
        let plain = String(s.filter { $0 != "_" })
        if let i = parseGoInt(plain) { return .int(i) }
        if let u = parseGoUInt(plain) { return .uint(u) }
        // strconv.ParseFloat fails with ErrRange past ±1.8e308, and go-yaml then keeps the text a string.
        if isYAMLFloat(plain), let d = Double(plain), d.isFinite { return .float(d) }
        return .string(s)
    }

    /// Go's `strconv.ParseUint(s, 0, 64)`: no sign, then the same bases as `parseGoInt`.
    static func parseGoUInt(_ s: String) -> UInt64? {
        guard let f = s.utf8.first, f != 0x2B, f != 0x2D else { return nil }
        return magnitude(Substring(s))
    }

    /// `0x`, `0o`, `0b`, leading-zero octal or decimal digits, as one unsigned 64-bit value.
    private static func magnitude(_ digits: Substring) -> UInt64? {
        var body = digits
        guard !body.isEmpty else { return nil }
        var radix = 10
        let lower = body.lowercased()
        if lower.hasPrefix("0x") { radix = 16; body = body.dropFirst(2) }
        else if lower.hasPrefix("0o") { radix = 8; body = body.dropFirst(2) }
        else if lower.hasPrefix("0b") { radix = 2; body = body.dropFirst(2) }
        else if body.count > 1 && body.hasPrefix("0") { radix = 8; body = body.dropFirst() }
        guard !body.isEmpty, body.first != "+", body.first != "-" else { return nil }
        return UInt64(body, radix: radix)
    }

    /// Go's `strconv.ParseInt(s, 0, 64)`: sign, then `0x`, `0o`, `0b`, leading-zero octal, or decimal.
    static func parseGoInt(_ s: String) -> Int64? {
        var body = Substring(s)
        var negative = false
        if body.hasPrefix("+") || body.hasPrefix("-") {
            negative = body.hasPrefix("-")
            body = body.dropFirst()
        }
        guard let mag = magnitude(body) else { return nil }
        if negative {
            if mag == UInt64(Int64.max) + 1 { return Int64.min }
            guard mag <= UInt64(Int64.max) else { return nil }
            return -Int64(mag)
        }
        guard mag <= UInt64(Int64.max) else { return nil }
        return Int64(mag)
    }

    /// yaml.v2's float pattern `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
    static func isYAMLFloat(_ s: String) -> Bool {
        var b = Array(s.utf8)[...]
        if let f = b.first, f == 0x2B || f == 0x2D { b = b.dropFirst() }
        func digits(_ x: inout ArraySlice<UInt8>) -> Int {
            var n = 0
            while let c = x.first, c >= 0x30, c <= 0x39 { x = x.dropFirst(); n += 1 }
            return n
        }
        if b.first == 0x2E {
            b = b.dropFirst()
            guard digits(&b) > 0 else { return false }
        } else {
            guard digits(&b) > 0 else { return false }
            if b.first == 0x2E {
                b = b.dropFirst()
                _ = digits(&b)
            }
        }
        if let e = b.first, e == 0x65 || e == 0x45 {
            b = b.dropFirst()
            if let sgn = b.first, sgn == 0x2B || sgn == 0x2D { b = b.dropFirst() }
            guard digits(&b) > 0 else { return false }
        }
        return b.isEmpty
    }
}
