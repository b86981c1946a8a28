/// Go float formatting (`strconv.FormatFloat`, `%v`/`%g` and `%f`), the one copy that PromQL texts, template
/// printing and label values share.
public enum GoFloat {
    /// Shortest round-trip decimal digits of a finite, non-zero |v| and the decimal point position.
    public static func shortestDigits(_ v: Double) -> (digits: [UInt8], dp: Int) {
        let desc = Swift.abs(v).description
        var mant = Substring(desc)
        var exp = 0
        if let e = desc.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mant = desc[desc.startIndex..<e]
            exp = Int(String(desc[desc.index(after: e)...].filter { $0 != "+" })) ?? 0
        }
        var digits: [UInt8] = []
        var dp = 0
        var seenDot = false
        for ch in mant.utf8 {
            if ch == 0x2E {
                seenDot = true
                continue
            }
            digits.append(ch)
            if !seenDot { dp += 1 }
        }
        while let f = digits.first, f == 0x30, digits.count > 1 {
            digits.removeFirst()
            dp -= 1
        }
        while let l = digits.last, l == 0x30, digits.count > 1 { digits.removeLast() }
        return (digits, dp + exp)
    }

    /// `strconv.FormatFloat(v, 'f', -1, 64)`.
    public static func formatF(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Inf" : "+Inf" }
        let sign = v.sign == .minus ? "-" : ""
        if v == 0 { return sign + "0" }
        let (d, dp) = shortestDigits(v)
        let ds = String(decoding: d, as: UTF8.self)
        if dp <= 0 { return sign + "0." + String(repeating: "0", count: -dp) + ds }
        if dp >= d.count { return sign + ds + String(repeating: "0", count: dp - d.count) }
        let idx = ds.index(ds.startIndex, offsetBy: dp)
        return sign + ds[..<idx] + "." + ds[idx...]
    }

    /// `fmt.Sprintf("%v", v)` for a float64 (shortest `%g`: exponent form below 1e-4 and from 1e6).
    public static func formatV(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Inf" : "+Inf" }
        let sign = v.sign == .minus ? "-" : ""
        if v == 0 { return sign + "0" }
        let (d, dp) = shortestDigits(v)
        let exp = dp - 1
        if exp < -4 || exp >= 6 {
            var s = sign + String(UnicodeScalar(d[0]))
            if d.count > 1 { s += "." + String(decoding: d[1...], as: UTF8.self) }
            let ae = Swift.abs(exp)
            s += (exp < 0 ? "e-" : "e+") + (ae < 10 ? "0" : "") + String(ae)
            return s
        }
        return formatF(v)
    }

    /// Go's `%f` (six decimals) for the values Prometheus formats with it: non-finite or integral ones exactly.
    public static func percentF(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Inf" : "+Inf" }
        if v == v.rounded(.towardZero) {
            return (v.sign == .minus ? "-" : "") + exactIntegerDigits(Swift.abs(v)) + ".000000"
        }
        let scaled = (Swift.abs(v) * 1_000_000).rounded(.toNearestOrEven)
        if scaled < 9.0e18 {
            let n = UInt64(scaled)
            let frac = String(n % 1_000_000)
            return (v < 0 ? "-" : "") + String(n / 1_000_000) + "." + String(repeating: "0", count: 6 - frac.count) + frac
        }
        return formatF(v)
    }

    /// Exact decimal digits of a non-negative integral double.
    public static func exactIntegerDigits(_ v: Double) -> String {
        if v < 1.8e19 { return String(UInt64(v)) }
        // v = significand * 2^exponent with a 53-bit integer significand.
        let e = Int(v.exponent) - 52
        var limbs: [UInt32] = [] // base 1e9, little endian
        var m = UInt64(v.significandBitPattern | (1 << 52))
        while m > 0 {
            limbs.append(UInt32(m % 1_000_000_000))
            m /= 1_000_000_000
        }
        if e > 0 {
            for _ in 0..<e {
                var carry: UInt64 = 0
                for i in 0..<limbs.count {
                    let x = UInt64(limbs[i]) * 2 + carry
                    limbs[i] = UInt32(x % 1_000_000_000)
                    carry = x / 1_000_000_000
                }
                if carry > 0 { limbs.append(UInt32(carry)) }
            }
        }
        var s = String(limbs.last ?? 0)
        for limb in limbs.dropLast().reversed() {
            let part = String(limb)
            s += String(repeating: "0", count: 9 - part.count) + part
        }
        return s
    }

    /// `strconv.FormatFloat(v, 'f', 3, 64)`.
    public static func formatFixed3(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Inf" : "+Inf" }
        let scaled = (v * 1000).rounded(.toNearestOrEven)
        guard Swift.abs(scaled) < 9.0e18 else { return formatF(v) }
        let n = Int64(scaled)
        let neg = n < 0 || (n == 0 && v.sign == .minus)
        let a = n.magnitude
        let frac = String(a % 1000)
        return (neg ? "-" : "") + String(a / 1000) + "." + String(repeating: "0", count: 3 - frac.count) + frac
    }
}
