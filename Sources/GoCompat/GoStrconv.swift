/// Go's `strconv` number parsing (`ParseFloat(s, 64)`, `ParseInt(s, 0, 64)`, `ParseUint(s, 0, 64)`), the one
/// implementation every parser of Go-produced text shares: PromQL number literals, template constants, `le`
/// and `quantile` label values and exposition sample values must accept exactly what Go accepts.
public enum GoStrconv {
    /// How `ParseFloat` ended.
    public enum FloatResult: Equatable, Sendable {
        case value(Double)
        /// `strconv.ErrSyntax`.
        case invalidSyntax
        /// `strconv.ErrRange`: the value overflows a float64 (Go also returns ±Inf then).
        case outOfRange
    }

    /// `strconv.ParseFloat(s, 64)`: decimal and hexadecimal (`0x1.8p3`) literals with Go's underscore rule,
    /// `Inf`/`Infinity` (any case, optional sign) and `NaN` (any case, no sign).
    public static func parseFloat(_ s: [UInt8]) -> FloatResult {
        s.withUnsafeBufferPointer { parseFloat($0, 0, $0.count) }
    }

    /// `parseFloat` on a string; nil on any error.
    public static func parseFloat(_ s: String) -> Double? {
        if case .value(let d) = parseFloat(Array(s.utf8)) { return d }
        return nil
    }

    /// `parseFloat` on `p[start..<end]`, without copying (the exposition parsers call it per sample).
    public static func parseFloat(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> FloatResult {
        guard let (digits, negative) = digitsStart(p, start, end) else { return .invalidSyntax }
        var i = digits
        let c0 = p[i] | 0x20
        if c0 == UInt8(ascii: "i") || c0 == UInt8(ascii: "n") {
            let len = end - i
            if c0 == UInt8(ascii: "n") {
                // Go takes a sign before Inf only, not before NaN.
                if len == 3, i == start, lower(p, i, "nan") { return .value(goNaN) }
                return .invalidSyntax
            }
            if (len == 3 && lower(p, i, "inf")) || (len == 8 && lower(p, i, "infinity")) {
                return .value(negative ? -Double.infinity : Double.infinity)
            }
            return .invalidSyntax
        }
        var hasUnderscore = false
        for j in i..<end where p[j] == UInt8(ascii: "_") { hasUnderscore = true }
        if hasUnderscore {
            let raw = Array(UnsafeBufferPointer(rebasing: p[start..<end]))
            guard underscoreOK(raw) else { return .invalidSyntax }
            let stripped = raw.filter { $0 != UInt8(ascii: "_") }
            return stripped.withUnsafeBufferPointer { parseFloat($0, 0, $0.count) }
        }
        if end - i >= 2, p[i] == UInt8(ascii: "0"), p[i + 1] | 0x20 == UInt8(ascii: "x") {
            return parseHexFloat(p, i + 2, end, negative: negative)
        }
        // Decimal: digits [. digits] [e [sign] digits], at least one mantissa digit.
        var mantDigits = 0
        var intValue: Int64 = 0
        var simple = true
        while i < end, p[i] >= 48, p[i] <= 57 {
            if mantDigits < 15 { intValue = intValue &* 10 &+ Int64(p[i] - 48) } else { simple = false }
            mantDigits += 1
            i += 1
        }
        if i < end, p[i] == UInt8(ascii: ".") {
            simple = false
            i += 1
            while i < end, p[i] >= 48, p[i] <= 57 { mantDigits += 1; i += 1 }
        }
        guard mantDigits > 0 else { return .invalidSyntax }
        if i < end, p[i] | 0x20 == UInt8(ascii: "e") {
            simple = false
            i += 1
            if i < end, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") { i += 1 }
            var expDigits = 0
            while i < end, p[i] >= 48, p[i] <= 57 { expDigits += 1; i += 1 }
            guard expDigits > 0 else { return .invalidSyntax }
        }
        guard i == end else { return .invalidSyntax }
        if simple {
            // Up to 15 digits are exact in a double: no rounding to get right.
            let d = Double(intValue)
            return .value(negative ? -d : d)
        }
        // Swift's parser rounds correctly, as Go's does.
        let s = String(decoding: UnsafeBufferPointer(rebasing: p[start..<end]), as: UTF8.self)
        guard let d = Double(s) else { return .invalidSyntax }
        if d.isInfinite { return .outOfRange }
        return .value(d)
    }

    /// Where the digits of `p[start..<end]` begin after an optional sign, and whether the sign is `-`; nil for an
    /// empty range or a sign alone.
    private static func digitsStart(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (Int, negative: Bool)? {
        guard start >= 0, end <= p.count, start < end else { return nil }
        let signed = p[start] == UInt8(ascii: "+") || p[start] == UInt8(ascii: "-")
        let i = signed ? start + 1 : start
        return i < end ? (i, p[start] == UInt8(ascii: "-")) : nil
    }

    /// A hexadecimal float after its `0x`: hex digits [. hex digits], then the `p` exponent Go requires.
    private static func parseHexFloat(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, _ end: Int, negative: Bool) -> FloatResult {
        var i = from
        var mantDigits = 0
        while i < end, hexValue(p[i]) != nil { i += 1; mantDigits += 1 }
        if i < end, p[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, hexValue(p[i]) != nil { i += 1; mantDigits += 1 }
        }
        guard mantDigits > 0, i < end, p[i] | 0x20 == UInt8(ascii: "p") else { return .invalidSyntax }
        i += 1
        if i < end, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") { i += 1 }
        var expDigits = 0
        while i < end, p[i] >= 48, p[i] <= 57 { expDigits += 1; i += 1 }
        guard expDigits > 0, i == end else { return .invalidSyntax }
        // The syntax is now Go's; Swift reads the same hexadecimal literal (sign handled here).
        let s = "0x" + String(decoding: UnsafeBufferPointer(rebasing: p[from..<end]), as: UTF8.self)
        guard let d = Double(s) else { return .invalidSyntax }
        if d.isInfinite { return .outOfRange }
        return .value(negative ? -d : d)
    }

    private static func lower(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard i + n <= p.count else { return false }
        let w = word.utf8Start
        for k in 0..<n where p[i + k] | 0x20 != w[k] { return false }
        return true
    }

    /// The value of a hexadecimal digit (either case).
    public static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        case 0x41...0x46: return c - 0x41 + 10
        default: return nil
        }
    }

    /// Go `strconv.UnquoteChar`: decodes one (possibly escaped) character from `b[i...]` inside `quote` quotes:
    /// its value, whether it is a rune to encode as UTF-8 (else a byte), and where the next one starts; nil on a
    /// syntax error. Invalid UTF-8 decodes as U+FFFD, as Go's does.
    public static func unquoteChar(_ b: [UInt8], _ i: Int, quote: UInt8) -> (value: UInt32, multibyte: Bool, next: Int)? {
        guard i >= 0, i < b.count else { return nil }
        let c = b[i]
        if c == quote && (quote == 0x27 || quote == 0x22) { return nil }
        if c >= 0x80 {
            let (r, w) = GoString.decodeRune(b, at: i)
            return (r?.value ?? 0xFFFD, true, i + w)
        }
        if c != 0x5C { return (UInt32(c), false, i + 1) }
        guard i + 1 < b.count else { return nil }
        let e = b[i + 1]
        var j = i + 2
        switch e {
        case UInt8(ascii: "a"): return (7, false, j)
        case UInt8(ascii: "b"): return (8, false, j)
        case UInt8(ascii: "f"): return (12, false, j)
        case UInt8(ascii: "n"): return (10, false, j)
        case UInt8(ascii: "r"): return (13, false, j)
        case UInt8(ascii: "t"): return (9, false, j)
        case UInt8(ascii: "v"): return (11, false, j)
        case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
            let n = e == UInt8(ascii: "x") ? 2 : (e == UInt8(ascii: "u") ? 4 : 8)
            guard j + n <= b.count else { return nil }
            var v: UInt32 = 0
            for k in 0..<n {
                guard let d = hexValue(b[j + k]) else { return nil }
                v = (v << 4) | UInt32(d)
            }
            j += n
            if e == UInt8(ascii: "x") { return (v, false, j) }
            guard v <= 0x10FFFF, !(v >= 0xD800 && v <= 0xDFFF) else { return nil }
            return (v, true, j)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            guard i + 4 <= b.count else { return nil }
            var v = UInt32(e - 0x30)
            for k in 0..<2 {
                let d = b[j + k]
                guard d >= 0x30 && d <= 0x37 else { return nil }
                v = (v << 3) | UInt32(d - 0x30)
            }
            guard v <= 255 else { return nil }
            j += 2
            return (v, false, j)
        case 0x5C: return (0x5C, false, j)
        case 0x27, 0x22:
            guard e == quote else { return nil }
            return (UInt32(e), false, j)
        default:
            return nil
        }
    }

    /// Go's `underscoreOK`: underscores only between digits, or between a base prefix and a digit.
    public static func underscoreOK(_ s: [UInt8]) -> Bool {
        var saw = UInt8(ascii: "^")
        var i = 0
        if let f = s.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") { i = 1 }
        var hex = false
        if s.count - i >= 2, s[i] == UInt8(ascii: "0") {
            let l = s[i + 1] | 0x20
            if l == UInt8(ascii: "b") || l == UInt8(ascii: "o") || l == UInt8(ascii: "x") {
                i += 2
                saw = UInt8(ascii: "0")
                hex = l == UInt8(ascii: "x")
            }
        }
        while i < s.count {
            let c = s[i]
            if (c >= 0x30 && c <= 0x39) || (hex && hexValue(c) != nil) {
                saw = UInt8(ascii: "0")
            } else if c == UInt8(ascii: "_") {
                if saw != UInt8(ascii: "0") { return false }
                saw = UInt8(ascii: "_")
            } else {
                if saw == UInt8(ascii: "_") { return false }
                saw = UInt8(ascii: "!")
            }
            i += 1
        }
        return saw != UInt8(ascii: "_")
    }

    /// How `ParseInt` ended.
    public enum IntResult: Equatable, Sendable {
        case value(Int64)
        case invalidSyntax
        case outOfRange
    }

    /// `strconv.ParseInt(s, 10, 64)` on `p[start..<end]`: optional sign, decimal digits, no underscores (the
    /// exposition formats' timestamps and counts).
    public static func parseDecimalInt(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> IntResult {
        guard let (digits, negative) = digitsStart(p, start, end) else { return .invalidSyntax }
        var i = digits
        var v: Int64 = 0
        var overflow = false
        while i < end {
            let c = p[i]
            guard c >= 48, c <= 57 else { return .invalidSyntax }
            let d = Int64(c - 48)
            if !overflow {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (s, o2) = negative ? m.subtractingReportingOverflow(d) : m.addingReportingOverflow(d)
                if o1 || o2 { overflow = true } else { v = s }
            }
            i += 1
        }
        return overflow ? .outOfRange : .value(v)
    }

    /// `strconv.ParseUint(s, 0, 64)`: `0x`, `0o`, `0b` and leading-`0` octal prefixes, underscores per
    /// `underscoreOK`; nil on any error.
    public static func parseUint(_ s: [UInt8]) -> UInt64? {
        guard !s.isEmpty else { return nil }
        var digits = s[...]
        var base: UInt64 = 10
        if s[0] == UInt8(ascii: "0") {
            // As Go: a letter prefix needs a digit after it ("0x" alone is octal "x", a syntax error).
            switch s.count >= 3 ? s[1] | 0x20 : 0 {
            case UInt8(ascii: "x"): base = 16; digits = s.dropFirst(2)
            case UInt8(ascii: "o"): base = 8; digits = s.dropFirst(2)
            case UInt8(ascii: "b"): base = 2; digits = s.dropFirst(2)
            default: base = 8; digits = s.dropFirst(1)
            }
        }
        var v: UInt64 = 0
        var underscores = false
        for c in digits {
            if c == UInt8(ascii: "_") {
                underscores = true
                continue
            }
            guard let d = hexValue(c).map(UInt64.init), d < base else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: base)
            let (a, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { return nil }
            v = a
        }
        if underscores && !underscoreOK(s) { return nil }
        return v
    }

    /// `strconv.ParseInt(s, 0, 64)`; nil on any error.
    public static func parseInt(_ s: [UInt8]) -> Int64? {
        var body = s[...]
        var negative = false
        if let f = body.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") {
            negative = f == UInt8(ascii: "-")
            body = body.dropFirst()
        }
        guard let u = parseUint(Array(body)) else { return nil }
        if negative {
            if u > UInt64(Int64.max) + 1 { return nil }
            return u == UInt64(Int64.max) + 1 ? Int64.min : -Int64(u)
        }
        return u > UInt64(Int64.max) ? nil : Int64(u)
    }
}

/// Go's `math.NaN()` (bits 0x7FF8000000000001), what `strconv.ParseFloat("NaN")` returns: Prometheus stores these
/// bits, so chunks, WAL records and blocks we write from parsed input equal its own bit for bit.
public let goNaN = Double(bitPattern: 0x7FF8_0000_0000_0001)
