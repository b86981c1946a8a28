import ConfigModel

/// Go `strconv`/`fmt` formatting and parsing rules that PromQL's texts depend on.
enum GoQuote {
    /// Lower-case hex of `v`, zero-padded to `width`.
    static func hex(_ v: UInt32, _ width: Int) -> String { goHex(v, width: width) }

    /// Go's `strconv.IsPrint`.
    static func isPrint(_ s: Unicode.Scalar) -> Bool { goIsPrint(s) }

    /// Go's `strconv.Quote` of the string's UTF-8 (every scalar a rune; no `GoString` byte escapes).
    static func quote(_ str: String) -> String { goQuote(bytes: Array(str.utf8)) }

    /// Go's `%.10q` shortening used for long token values in error messages.
    static func quoteTruncated(_ str: String) -> String { goQuote(bytes: Array(str.utf8), maxRunes: 10) }

    /// Go's `strconv.Quote` of raw bytes (invalid UTF-8 bytes become `\xNN`).
    static func quote(bytes: [UInt8]) -> String { goQuote(bytes: bytes) }

    /// Prometheus's `strutil.Unquote` for a lexed string token (quotes included); nil on bad syntax.
    static func unquote(_ b: ArraySlice<UInt8>) -> String? {
        guard let bytes = unquoteBytes(b) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Like `unquote` but returns the exact bytes (escapes may produce invalid UTF-8).
    static func unquoteBytes(_ b: ArraySlice<UInt8>) -> [UInt8]? {
        guard b.count >= 2, let q = b.first, b.last == q else { return nil }
        let inner = b.dropFirst().dropLast()
        if q == 0x60 {
            if inner.contains(0x60) { return nil }
            return Array(inner)
        }
        guard q == 0x22 || q == 0x27 else { return nil }
        if !inner.contains(0x5C) {
            if inner.contains(q) || inner.contains(0x0A) { return nil }
            return Array(inner)
        }
        var out: [UInt8] = []
        out.reserveCapacity(inner.count)
        var i = inner.startIndex
        let end = inner.endIndex
        func hexVal(_ c: UInt8) -> UInt32? {
            switch c {
            case 0x30...0x39: return UInt32(c - 0x30)
            case 0x61...0x66: return UInt32(c - 0x61 + 10)
            case 0x41...0x46: return UInt32(c - 0x41 + 10)
            default: return nil
            }
        }
        func appendScalar(_ v: UInt32) -> Bool {
            guard let s = Unicode.Scalar(v) else { return false }
            out.append(contentsOf: Array(String(Character(s)).utf8))
            return true
        }
        while i < end {
            let c = inner[i]
            if c == q || c == 0x0A { return nil }
            if c != 0x5C {
                out.append(c)
                i += 1
                continue
            }
            i += 1
            guard i < end else { return nil }
            let e = inner[i]
            i += 1
            switch e {
            case 0x61: out.append(0x07)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x76: out.append(0x0B)
            case 0x5C: out.append(0x5C)
            case 0x22, 0x27:
                if e != q { return nil }
                out.append(e)
            case 0x30...0x37:
                var v = UInt32(e - 0x30)
                for _ in 0..<2 {
                    guard i < end, inner[i] >= 0x30, inner[i] <= 0x37 else { return nil }
                    v = v * 8 + UInt32(inner[i] - 0x30)
                    i += 1
                }
                if v > 255 { return nil }
                out.append(UInt8(v))
            case 0x78, 0x75, 0x55:
                let n = e == 0x78 ? 2 : (e == 0x75 ? 4 : 8)
                var v: UInt32 = 0
                for _ in 0..<n {
                    guard i < end, let d = hexVal(inner[i]) else { return nil }
                    v = v &* 16 &+ d
                    i += 1
                }
                if e == 0x78 {
                    out.append(UInt8(truncatingIfNeeded: v))
                } else if !appendScalar(v) {
                    return nil
                }
            default:
                return nil
            }
        }
        return out
    }
}

/// Go float formatting (`strconv.FormatFloat` and `%v`).
enum GoFloat {
    /// Shortest round-trip decimal digits of a finite, non-zero |v| and the decimal point position.
    static func shortestDigits(_ v: Double) -> (digits: [UInt8], dp: Int) {
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
    static func formatF(_ v: Double) -> String {
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
    static func formatV(_ v: Double) -> String {
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
    static func percentF(_ v: Double) -> String {
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
    static func exactIntegerDigits(_ v: Double) -> String {
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
    static func formatFixed3(_ v: Double) -> String {
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

/// Go `strconv` number parsing as PromQL's `number()` uses it.
enum GoNumber {
    /// Go's `underscoreOK`.
    static func underscoreOK(_ s: [UInt8]) -> Bool {
        var saw: UInt8 = 0x5E // '^'
        var i = 0
        var s = s[...]
        if let f = s.first, f == 0x2D || f == 0x2B { s = s.dropFirst() }
        let b = Array(s)
        var hex = false
        if b.count >= 2 && b[0] == 0x30 {
            let l = b[1] | 0x20
            if l == 0x62 || l == 0x6F || l == 0x78 {
                i = 2
                saw = 0x30
                hex = l == 0x78
            }
        }
        while i < b.count {
            let c = b[i]
            let lc = c | 0x20
            if (c >= 0x30 && c <= 0x39) || (hex && lc >= 0x61 && lc <= 0x66) {
                saw = 0x30
            } else if c == 0x5F {
                if saw != 0x30 { return false }
                saw = 0x5F
            } else {
                if saw == 0x5F { return false }
                saw = 0x21
            }
            i += 1
        }
        return saw != 0x5F
    }

    /// `strconv.ParseInt(s, 0, 64)`; nil on any error.
    static func parseInt(_ s: [UInt8]) -> Int64? {
        guard !s.isEmpty else { return nil }
        var b = s[...]
        var neg = false
        if let f = b.first, f == 0x2B || f == 0x2D {
            neg = f == 0x2D
            b = b.dropFirst()
        }
        var base: UInt64 = 10
        var arr = Array(b)
        if arr.count >= 2 && arr[0] == 0x30 {
            switch arr[1] | 0x20 {
            case 0x78: base = 16; arr.removeFirst(2)
            case 0x62: base = 2; arr.removeFirst(2)
            case 0x6F: base = 8; arr.removeFirst(2)
            default: base = 8; arr.removeFirst(1)
            }
        } else if arr.count == 1 && arr[0] == 0x30 {
            return 0
        }
        if s.contains(0x5F) {
            if !underscoreOK(s) { return nil }
            arr.removeAll { $0 == 0x5F }
        }
        guard !arr.isEmpty else { return nil }
        var v: UInt64 = 0
        for c in arr {
            let d: UInt64
            switch c {
            case 0x30...0x39: d = UInt64(c - 0x30)
            case 0x61...0x7A: d = UInt64(c - 0x61 + 10)
            case 0x41...0x5A: d = UInt64(c - 0x41 + 10)
            default: return nil
            }
            if d >= base { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: base)
            let (a, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { return nil }
            v = a
        }
        if neg {
            if v > UInt64(Int64.max) + 1 { return nil }
            return v == UInt64(Int64.max) + 1 ? Int64.min : -Int64(v)
        }
        if v > UInt64(Int64.max) { return nil }
        return Int64(v)
    }

    enum FloatError: Error { case syntax, range }

    /// `strconv.ParseFloat(s, 64)` (decimal and hexadecimal literals, `Inf`/`Infinity` with an optional sign, `NaN`).
    static func parseFloat(_ s: [UInt8]) -> Result<Double, FloatError> {
        let lower = String(decoding: s.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 | 0x20 : $0 }, as: UTF8.self)
        var body = Substring(lower)
        var neg = false
        var signed = false
        if let f = body.first, f == "+" || f == "-" {
            neg = f == "-"
            signed = true
            body = body.dropFirst()
        }
        if body == "inf" || body == "infinity" { return .success(neg ? -.infinity : .infinity) }
        // Go takes a sign before Inf only, not before NaN.
        if body == "nan" { return signed ? .failure(.syntax) : .success(.nan) }
        var bytes = s
        if bytes.contains(0x5F) {
            if !underscoreOK(bytes) { return .failure(.syntax) }
            bytes.removeAll { $0 == 0x5F }
        }
        let str = String(decoding: bytes, as: UTF8.self)
        let isHex = body.hasPrefix("0x")
        if isHex && !body.contains("p") { return .failure(.syntax) }
        // Only digits, sign, dot, exponent (and hex digits / 'p' for hex) may appear.
        for c in bytes {
            switch c {
            case 0x30...0x39, 0x2E, 0x2B, 0x2D, 0x65, 0x45: continue
            case 0x61...0x66, 0x41...0x46, 0x78, 0x58, 0x70, 0x50: if isHex { continue } else { return .failure(.syntax) }
            default: return .failure(.syntax)
            }
        }
        guard let d = Double(str) else { return .failure(.syntax) }
        if d.isInfinite { return .failure(.range) }
        return .success(d)
    }
}

/// Prometheus `model.Duration` parsing and printing.
enum GoDuration {
    /// `model.ParseDuration`: nanoseconds or the error text.
    static func parse(_ s: [UInt8]) -> Result<Int64, PromQLTextError> {
        parse(s[...])
    }

    /// Unit position (order) and nanoseconds of a duration unit, or nil.
    @inline(__always)
    private static func unit(_ s: ArraySlice<UInt8>, _ from: Int, _ to: Int) -> (Int, UInt64)? {
        let n = to - from
        if n == 1 {
            switch s[from] {
            case 0x79: return (1, 31_536_000_000_000_000)
            case 0x77: return (2, 604_800_000_000_000)
            case 0x64: return (3, 86_400_000_000_000)
            case 0x68: return (4, 3_600_000_000_000)
            case 0x6D: return (5, 60_000_000_000)
            case 0x73: return (6, 1_000_000_000)
            default: return nil
            }
        }
        if n == 2 && s[from] == 0x6D && s[from + 1] == 0x73 { return (7, 1_000_000) }
        return nil
    }

    static func parse(_ s: ArraySlice<UInt8>) -> Result<Int64, PromQLTextError> {
        if s.count == 1 && s.first == 0x30 { return .success(0) }
        if s.isEmpty { return .failure(PromQLTextError("empty duration string")) }
        func invalid() -> PromQLTextError {
            PromQLTextError("not a valid duration string: " + GoQuote.quote(String(decoding: s, as: UTF8.self)))
        }
        var i = s.startIndex
        let end = s.endIndex
        var dur: UInt64 = 0
        var lastUnitPos = 0
        while i < end {
            guard PromQLLexer.isDigit(s[i]) else { return .failure(invalid()) }
            var v: UInt64 = 0
            var overflow = false
            while i < end, PromQLLexer.isDigit(s[i]) {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(UInt64(s[i] - 0x30))
                if o1 || o2 { overflow = true }
                v = a
                i += 1
            }
            if overflow { return .failure(invalid()) }
            let us = i
            while i < end, !PromQLLexer.isDigit(s[i]) { i += 1 }
            if i == us { return .failure(invalid()) }
            guard let (upos, mult) = unit(s, us, i) else {
                let u = String(decoding: s[us..<i], as: UTF8.self)
                return .failure(PromQLTextError("unknown unit " + GoQuote.quote(u) + " in duration "
                    + GoQuote.quote(String(decoding: s, as: UTF8.self))))
            }
            if upos <= lastUnitPos { return .failure(invalid()) }
            lastUnitPos = upos
            if v > (UInt64(1) << 63) / mult { return .failure(PromQLTextError("duration out of range")) }
            dur = dur &+ v &* mult
            if dur > UInt64(Int64.max) { return .failure(PromQLTextError("duration out of range")) }
        }
        return .success(Int64(dur))
    }

    /// `model.Duration(d).String()` for a duration in milliseconds (non-negative).
    static func format(millis: Int64) -> String {
        var ms = millis
        if ms == 0 { return "0s" }
        var r = ""
        func f(_ unit: String, _ mult: Int64, _ exact: Bool) {
            if exact && ms % mult != 0 { return }
            let v = ms / mult
            if v > 0 {
                r += String(v) + unit
                ms -= v * mult
            }
        }
        f("y", 1000 * 60 * 60 * 24 * 365, true)
        f("w", 1000 * 60 * 60 * 24 * 7, true)
        f("d", 1000 * 60 * 60 * 24, false)
        f("h", 1000 * 60 * 60, false)
        f("m", 1000 * 60, false)
        f("s", 1000, false)
        f("ms", 1, false)
        return r
    }

    /// Seconds (float) to whole nanoseconds as `time.Duration(math.Round(v*1e9))`, clamped.
    static func nanos(fromSeconds v: Double) -> Int64 {
        let x = (v * 1e9).rounded(.toNearestOrAwayFromZero)
        if x.isNaN { return Int64.min }
        if x >= 9.223372036854775807e18 { return Int64.max }
        if x <= -9.223372036854775808e18 { return Int64.min }
        return Int64(x)
    }

    /// Seconds to milliseconds via nanoseconds (Prometheus's truncating conversion).
    static func millis(fromSeconds v: Double) -> Int64 { nanos(fromSeconds: v) / 1_000_000 }

    /// `model.Duration(int64(v*1e9)).String()` as used for duration literals (truncating).
    static func formatSeconds(_ v: Double) -> String {
        let x = v * 1e9
        let ns: Int64
        if x.isNaN || x >= 9.223372036854775807e18 || x <= -9.223372036854775808e18 {
            ns = Int64.min
        } else {
            ns = Int64(x)
        }
        return format(millis: ns / 1_000_000)
    }
}

/// A plain error text (Go `error.Error()`).
struct PromQLTextError: Error, Sendable {
    let text: String
    init(_ text: String) { self.text = text }
}
