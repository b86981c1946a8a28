#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import GoCompat

/// Go `fmt` and `strconv` float/value formatting, as used by template printing and `printf`.
public enum TemplateFormat {
    /// Go's `unicode.IsSpace`.
    static func isGoSpace(_ r: Unicode.Scalar) -> Bool {
        switch r.value {
        case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0: return true
        default: return r.value > 0xFF && r.properties.isWhitespace
        }
    }

    // MARK: - Floats

    /// Digits of `v` rounded to `prec` significant digits (trailing zeros trimmed), via correctly rounded C printf.
    static func roundedDigits(_ v: Double, significant prec: Int) -> (digits: [UInt8], dp: Int) {
        let p = max(1, min(prec, 800))
        let s = Array(cFormat("%.*e", p - 1, abs(v)).utf8)
        guard let e = s.firstIndex(of: UInt8(ascii: "e")) else { return ([UInt8(ascii: "0")], 1) }
        var digits = s[..<e].filter { $0 != UInt8(ascii: ".") }
        let exp = Int(String(decoding: s[(e + 1)...], as: UTF8.self)) ?? 0
        while let l = digits.last, l == UInt8(ascii: "0"), digits.count > 1 { digits.removeLast() }
        return (digits, exp + 1)
    }

    static func cFormat(_ format: String, _ prec: Int, _ v: Double) -> String {
        var buf = [CChar](repeating: 0, count: 1200)
        let n = withVaList([Int32(prec), v]) { va in
            buf.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, 1200, format, va) }
        }
        guard n > 0 else { return "" }
        let bytes = buf.prefix(Int(min(n, 1199))).map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func fmtE(_ digits: [UInt8], _ dp: Int, prec: Int, upper: Bool) -> String {
        var out = [digits.first ?? UInt8(ascii: "0")]
        if prec > 0 {
            out.append(UInt8(ascii: "."))
            var i = 1
            let m = min(digits.count, prec + 1)
            while i < m { out.append(digits[i]); i += 1 }
            while i <= prec { out.append(UInt8(ascii: "0")); i += 1 }
        }
        out.append(upper ? UInt8(ascii: "E") : UInt8(ascii: "e"))
        var exp = dp - 1
        if digits.isEmpty || (digits.count == 1 && digits[0] == UInt8(ascii: "0")) { exp = 0 }
        out.append(exp < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let ea = abs(exp)
        if ea < 10 { out.append(UInt8(ascii: "0")) }
        out.append(contentsOf: Array(String(ea).utf8))
        return String(decoding: out, as: UTF8.self)
    }

    private static func fmtF(_ digits: [UInt8], _ dp: Int, prec: Int) -> String {
        var out: [UInt8] = []
        if dp > 0 {
            for i in 0..<dp { out.append(i < digits.count ? digits[i] : UInt8(ascii: "0")) }
        } else {
            out.append(UInt8(ascii: "0"))
        }
        if prec > 0 {
            out.append(UInt8(ascii: "."))
            for i in 1...prec {
                let j = dp + i - 1
                out.append(j >= 0 && j < digits.count ? digits[j] : UInt8(ascii: "0"))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Go `strconv.FormatFloat(v, fmt, prec, 64)` for fmt in e, E, f, g, G (prec -1 = shortest).
    public static func formatFloat(_ v: Double, _ fmt: Character, _ prec: Int) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Inf" : "+Inf" }
        let neg = v.sign == .minus
        let sign = neg ? "-" : ""
        let shortest = prec < 0
        switch fmt {
        case "f", "F":
            if shortest {
                if v == 0 { return sign + "0" }
                let (d, dp) = GoFloat.shortestDigits(v)
                return sign + fmtF(d, dp, prec: max(d.count - dp, 0))
            }
            let s = cFormat("%.*f", min(prec, 800), abs(v))
            return sign + s
        case "e", "E":
            let upper = fmt == "E"
            if v == 0 { return sign + fmtE([UInt8(ascii: "0")], 1, prec: shortest ? 0 : prec, upper: upper) }
            if shortest {
                let (d, dp) = GoFloat.shortestDigits(v)
                return sign + fmtE(d, dp, prec: d.count - 1, upper: upper)
            }
            let (d, dp) = roundedDigits(v, significant: prec + 1)
            return sign + fmtE(d, dp, prec: prec, upper: upper)
        default:
            let upper = fmt == "G"
            var p = prec
            let digits: [UInt8]
            let dp: Int
            if v == 0 {
                digits = [UInt8(ascii: "0")]
                dp = 1
            } else if shortest {
                (digits, dp) = GoFloat.shortestDigits(v)
            } else {
                if p == 0 { p = 1 }
                (digits, dp) = roundedDigits(v, significant: p)
            }
            let nd = (v == 0) ? 0 : digits.count
            var eprec = p
            if eprec > nd && nd >= dp { eprec = nd }
            if shortest { eprec = 6; p = nd }
            let exp = dp - 1
            if v != 0 && (exp < -4 || exp >= eprec) {
                if p > nd { p = nd }
                return sign + fmtE(digits, dp, prec: max(p - 1, 0), upper: upper)
            }
            if v == 0 {
                return sign + "0"
            }
            if p > dp { p = nd }
            return sign + fmtF(digits, dp, prec: max(p - dp, 0))
        }
    }

    /// Go `strconv.FormatFloat(v, 'x'/'X', prec, 64)` (hexadecimal mantissa, binary exponent).
    public static func formatHexFloat(_ v: Double, upper: Bool, prec: Int) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Inf" : "+Inf" }
        let bits = v.bitPattern
        var exp = Int((bits >> 52) & 0x7FF)
        var mant = bits & ((1 << 52) - 1)
        if exp == 0 { exp += 1 } else { mant |= 1 << 52 }
        exp -= 1023
        if mant == 0 { exp = 0 }
        mant <<= 8
        while mant != 0 && mant & (1 << 60) == 0 {
            mant <<= 1
            exp -= 1
        }
        if prec >= 0 && prec < 15 {
            let shift = UInt64(prec * 4)
            let extra = (mant << shift) & ((1 << 60) - 1)
            mant >>= 60 - shift
            if extra | (mant & 1) > 1 << 59 { mant += 1 }
            mant <<= 60 - shift
            if mant & (1 << 61) != 0 {
                mant >>= 1
                exp += 1
            }
        }
        let digits = Array(upper ? "0123456789ABCDEF" : "0123456789abcdef")
        var out = v.sign == .minus ? "-" : ""
        out += upper ? "0X" : "0x"
        out.append(digits[Int((mant >> 60) & 1)])
        mant <<= 4
        if prec < 0 && mant != 0 {
            out += "."
            while mant != 0 {
                out.append(digits[Int((mant >> 60) & 15)])
                mant <<= 4
            }
        } else if prec > 0 {
            out += "."
            for _ in 0..<min(prec, 10_000) {
                out.append(digits[Int((mant >> 60) & 15)])
                mant <<= 4
            }
        }
        out += upper ? "P" : "p"
        out += exp < 0 ? "-" : "+"
        let e = abs(exp)
        let es = String(e)
        out += (e < 10 ? "0" : "") + es
        return out
    }

    /// Go `strconv.FormatFloat(v, 'b', -1, 64)`: decimal mantissa and binary exponent.
    public static func formatBinaryFloat(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Inf" : "+Inf" }
        let bits = v.bitPattern
        var exp = Int((bits >> 52) & 0x7FF)
        var mant = bits & ((1 << 52) - 1)
        if exp == 0 { exp += 1 } else { mant |= 1 << 52 }
        exp -= 1023 + 52
        return (v.sign == .minus ? "-" : "") + String(mant) + "p" + (exp >= 0 ? "+" : "") + String(exp)
    }

    /// Go's `%v` for a float64.
    public static func formatFloatV(_ v: Double) -> String { formatFloat(v, "g", -1) }

    // MARK: - Value printing (fmt %v)

    /// Go's `fmt.Sprint` of a single value with verb `v` (`plus`/`sharp` flags unsupported). Values cannot nest
    /// deeper than `TemplateExecutor.maxValueDepth` (`args` refuses to build them); the depth check here keeps
    /// the recursion bounded even so.
    static func printV(_ v: TemplateValue, depth: Int = 0) -> String {
        guard depth <= TemplateExecutor.maxValueDepth else { return "<nested too deeply>" }
        switch v {
        case .invalid: return "<nil>"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i, _): return String(i)
        case .uint(let u, _): return String(u)
        case .float(let f): return formatFloatV(f)
        case .complex(let r, let i): return "(" + formatFloatV(r) + signed(formatFloatV(i)) + "i)"
        case .string(let s), .html(let s): return s
        case .stringMap(let m):
            return "map[" + m.keys.sorted(by: TemplateExecutor.goStringLess).map { $0 + ":" + (m[$0] ?? "") }.joined(separator: " ") + "]"
        case .anyMap(let map):
            let m = map.entries
            return "map[" + m.keys.sorted(by: TemplateExecutor.goStringLess).map { $0 + ":" + printV(m[$0] ?? .invalid, depth: depth + 1) }
                .joined(separator: " ") + "]"
        case .list(let l, _):
            return "[" + l.map { printV($0, depth: depth + 1) }.joined(separator: " ") + "]"
        case .queryResult(let q):
            return "[" + q.map { printV(.sample($0), depth: depth + 1) }.joined(separator: " ") + "]"
        case .sample(let s):
            return "&" + sampleStruct(s)
        case .time(let nanos): return timeString(nanos)
        case .duration(let d): return durationString(d)
        case .opaque(_, let text): return text
        case .boxed(let inner): return printV(inner, depth: depth)
        case .structure(let s):
            if let text = s.stringForm { return text }
            return "{" + s.fieldNames.map { printV(s.fields[$0] ?? .invalid, depth: depth + 1) }.joined(separator: " ") + "}"
        }
    }

    static func sampleStruct(_ s: QueryResultSample) -> String {
        "{" + printV(.stringMap(s.labels)) + " " + formatFloatV(s.value) + "}"
    }

    private static func signed(_ s: String) -> String {
        if s.hasPrefix("-") || s.hasPrefix("+") { return s }
        return "+" + s
    }

    // MARK: - Time

    /// Civil date from days since 1970-01-01.
    static func civil(_ days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, Int(m), Int(d))
    }

    struct TimeParts {
        var year: Int64, month: Int, day: Int, hour: Int, minute: Int, second: Int, nanos: Int, weekday: Int, yday: Int
    }

    static func timeParts(_ nanos: Int64) -> TimeParts {
        var secs = nanos / 1_000_000_000
        var ns = nanos % 1_000_000_000
        if ns < 0 { ns += 1_000_000_000; secs -= 1 }
        var days = secs / 86400
        var sod = secs % 86400
        if sod < 0 { sod += 86400; days -= 1 }
        let (y, m, d) = civil(days)
        var wd = (days + 4) % 7
        if wd < 0 { wd += 7 }
        let jan1 = daysFromCivil(y, 1, 1)
        return TimeParts(year: y, month: m, day: d, hour: Int(sod / 3600), minute: Int(sod % 3600 / 60),
                         second: Int(sod % 60), nanos: Int(ns), weekday: Int(wd), yday: Int(days - jan1 + 1))
    }

    static func daysFromCivil(_ y0: Int64, _ m: Int, _ d: Int) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64(m > 2 ? m - 3 : m + 9)
        let doy = (153 * mp + 2) / 5 + Int64(d) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func pad(_ v: Int64, _ w: Int) -> String {
        let s = String(abs(v))
        return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, w - s.count)) + s
    }

    /// Go's `time.Time.String()` for a UTC time.
    static func timeString(_ nanos: Int64) -> String {
        goTimeFormat(nanos, layout: "2006-01-02 15:04:05.999999999 -0700 MST")
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]
    static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// Go's `time.Time.Format` for UTC times (common layout elements).
    public static func goTimeFormat(_ nanos: Int64, layout: String) -> String {
        let t = timeParts(nanos)
        let l = Array(layout.utf8)
        var out = ""
        var i = 0
        func has(_ p: String) -> Bool {
            let b = Array(p.utf8)
            guard i + b.count <= l.count else { return false }
            for k in 0..<b.count where l[i + k] != b[k] { return false }
            return true
        }
        func fraction(_ n: Int, trim: Bool, separator: String) -> String {
            var s = pad(Int64(t.nanos), 9)
            s = String(s.prefix(n))
            if trim {
                while s.hasSuffix("0") { s.removeLast() }
                return s.isEmpty ? "" : separator + s
            }
            return separator + s
        }
        while i < l.count {
            if has("January") { out += monthNames[t.month - 1]; i += 7; continue }
            if has("Jan") { out += String(monthNames[t.month - 1].prefix(3)); i += 3; continue }
            if has("Monday") { out += dayNames[t.weekday]; i += 6; continue }
            if has("Mon") { out += String(dayNames[t.weekday].prefix(3)); i += 3; continue }
            if has("MST") { out += "UTC"; i += 3; continue }
            if has("2006") { out += pad(t.year, 4); i += 4; continue }
            if has("-07:00:00") { out += "+00:00:00"; i += 9; continue }
            if has("-0700") { out += "+0000"; i += 5; continue }
            if has("-07:00") { out += "+00:00"; i += 6; continue }
            if has("-07") { out += "+00"; i += 3; continue }
            if has("Z07:00") { out += "Z"; i += 6; continue }
            if has("Z0700") { out += "Z"; i += 5; continue }
            if has("Z07") { out += "Z"; i += 3; continue }
            if has("002") { out += pad(Int64(t.yday), 3); i += 3; continue }
            if has("01") { out += pad(Int64(t.month), 2); i += 2; continue }
            if has("02") { out += pad(Int64(t.day), 2); i += 2; continue }
            if has("_2") { out += (t.day < 10 ? " " : "") + String(t.day); i += 2; continue }
            if has("03") { out += pad(Int64(t.hour % 12 == 0 ? 12 : t.hour % 12), 2); i += 2; continue }
            if has("04") { out += pad(Int64(t.minute), 2); i += 2; continue }
            if has("05") { out += pad(Int64(t.second), 2); i += 2; continue }
            if has("06") { out += pad(t.year % 100, 2); i += 2; continue }
            if has("15") { out += pad(Int64(t.hour), 2); i += 2; continue }
            if has("PM") { out += t.hour >= 12 ? "PM" : "AM"; i += 2; continue }
            if has("pm") { out += t.hour >= 12 ? "pm" : "am"; i += 2; continue }
            if (has(".0") || has(".9") || has(",0") || has(",9")) {
                let c = l[i + 1]
                var n = 1
                while i + 1 + n < l.count && l[i + 1 + n] == c { n += 1 }
                let afterIsDigit = i + 1 + n < l.count && l[i + 1 + n] >= 0x30 && l[i + 1 + n] <= 0x39
                if !afterIsDigit {
                    out += fraction(n, trim: c == UInt8(ascii: "9"), separator: l[i] == UInt8(ascii: ",") ? "," : ".")
                    i += 1 + n
                    continue
                }
            }
            if has("1") { out += String(t.month); i += 1; continue }
            if has("2") { out += String(t.day); i += 1; continue }
            if has("3") { out += String(t.hour % 12 == 0 ? 12 : t.hour % 12); i += 1; continue }
            if has("4") { out += String(t.minute); i += 1; continue }
            if has("5") { out += String(t.second); i += 1; continue }
            let (r, w) = TemplateStrconv.decodeRune(l, i)
            out.unicodeScalars.append(r)
            i += max(1, w)
        }
        return out
    }

    /// Go's `time.Duration.String()`.
    static func durationString(_ d: Int64) -> String {
        if d == 0 { return "0s" }
        let neg = d < 0
        let u = d.magnitude
        var s: String
        if u < 1_000_000_000 {
            if u < 1000 { s = String(u) + "ns" }
            else if u < 1_000_000 { s = fracString(u, 3) + "µs" }
            else { s = fracString(u, 6) + "ms" }
        } else {
            let secs = u / 1_000_000_000
            let frac = u % 1_000_000_000
            var secPart = String(secs % 60)
            if frac != 0 {
                var f = pad(Int64(frac), 9)
                while f.hasSuffix("0") { f.removeLast() }
                secPart += "." + f
            }
            s = secPart + "s"
            let mins = secs / 60
            if mins > 0 {
                s = String(mins % 60) + "m" + s
                let hours = mins / 60
                if hours > 0 { s = String(hours) + "h" + s }
            }
        }
        return (neg ? "-" : "") + s
    }

    private static func fracString(_ u: UInt64, _ digits: Int) -> String {
        var div: UInt64 = 1
        for _ in 0..<digits { div *= 10 }
        let whole = u / div
        let frac = u % div
        if frac == 0 { return String(whole) }
        var f = pad(Int64(frac), digits)
        while f.hasSuffix("0") { f.removeLast() }
        return String(whole) + "." + f
    }
}
