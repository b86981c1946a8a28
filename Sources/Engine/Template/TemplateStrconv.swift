import ConfigModel

/// Go `strconv`/`unicode` behaviour needed by the template engine: quoting, unquoting, number parsing.
enum TemplateStrconv {
    // MARK: - Unicode classification (Go's unicode package)

    /// Go `unicode.IsLetter`.
    static func isLetter(_ r: Unicode.Scalar) -> Bool {
        if r.value < 0x80 {
            return (r.value >= 0x41 && r.value <= 0x5A) || (r.value >= 0x61 && r.value <= 0x7A)
        }
        switch r.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// Go `unicode.IsDigit`.
    static func isDigit(_ r: Unicode.Scalar) -> Bool {
        if r.value < 0x80 { return r.value >= 0x30 && r.value <= 0x39 }
        return r.properties.generalCategory == .decimalNumber
    }

    /// Go `strconv.IsPrint` / `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and ASCII space.
    static func isPrint(_ r: Unicode.Scalar) -> Bool { goIsPrint(r) }

    // MARK: - UTF-8 decoding with Go's error rune semantics

    static let runeError: Unicode.Scalar = "\u{FFFD}"

    /// Decodes one rune at `i` like Go's `utf8.DecodeRune`: invalid input yields U+FFFD with width 1.
    static func decodeRune(_ b: [UInt8], _ i: Int) -> (Unicode.Scalar, Int) {
        guard i >= 0, i < b.count else { return (runeError, 0) }
        let (scalar, width) = GoString.decodeRune(b, at: i)
        return (scalar ?? runeError, width)
    }

    /// Decodes the rune ending at `end` like Go's `utf8.DecodeLastRune`.
    static func decodeLastRune(_ b: [UInt8], _ end: Int) -> (Unicode.Scalar, Int) {
        guard end > 0, end <= b.count else { return (runeError, 0) }
        var start = end - 1
        let lim = max(0, end - 4)
        while start > lim && b[start] & 0xC0 == 0x80 { start -= 1 }
        let (r, w) = decodeRune(b, start)
        if start + w != end { return (runeError, 1) }
        return (r, w)
    }

    // MARK: - Quoting (ConfigModel's Go quoting)

    /// Go `strconv.Quote` of the string's UTF-8.
    static func quote(_ s: String) -> String { goQuote(bytes: Array(s.utf8)) }

    /// Go `fmt.Sprintf("%.Nq", s)`: quotes the first `maxRunes` runes.
    static func quoteBytes(_ b: [UInt8], maxRunes: Int?) -> String { goQuote(bytes: b, maxRunes: maxRunes) }

    /// Go `strconv.QuoteRune` for character constants.
    static func quoteRune(_ r: Unicode.Scalar) -> String { goQuoteRune(r) }

    /// Go `%#U` formatting of a rune: `U+00E9 'é'` (the quoted part only when printable).
    static func formatSharpU(_ r: Unicode.Scalar) -> String {
        let hex = String(r.value, radix: 16, uppercase: true)
        let base = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        if isPrint(r) { return base + " '" + String(Character(r)) + "'" }
        return base
    }

    // MARK: - Unquoting

    struct SyntaxError: Error { }

    /// Go `strconv.UnquoteChar`: decodes one (possibly escaped) character from `b[i...]`.
    static func unquoteChar(_ b: [UInt8], _ i: Int, quote: UInt8) throws(SyntaxError) -> (value: UInt32, multibyte: Bool, next: Int) {
        guard i < b.count else { throw SyntaxError() }
        let c = b[i]
        if c == quote && (quote == 0x27 || quote == 0x22) { throw SyntaxError() }
        if c >= 0x80 {
            let (r, w) = decodeRune(b, i)
            return (r.value, true, i + w)
        }
        if c != 0x5C { return (UInt32(c), false, i + 1) }
        guard i + 1 < b.count else { throw SyntaxError() }
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
            guard j + n <= b.count else { throw SyntaxError() }
            var v: UInt32 = 0
            for k in 0..<n {
                guard let d = hexVal(b[j + k]) else { throw SyntaxError() }
                v = (v << 4) | UInt32(d)
            }
            j += n
            if e == UInt8(ascii: "x") { return (v, false, j) }
            guard v <= 0x10FFFF, !(v >= 0xD800 && v <= 0xDFFF) else { throw SyntaxError() }
            return (v, true, j)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            guard i + 4 <= b.count else { throw SyntaxError() }
            var v = UInt32(e - 0x30)
            for k in 0..<2 {
                let d = b[j + k]
                guard d >= 0x30 && d <= 0x37 else { throw SyntaxError() }
                v = (v << 3) | UInt32(d - 0x30)
            }
            guard v <= 255 else { throw SyntaxError() }
            j += 2
            return (v, false, j)
        case 0x5C: return (0x5C, false, j)
        case 0x27, 0x22:
            guard e == quote else { throw SyntaxError() }
            return (UInt32(e), false, j)
        default:
            throw SyntaxError()
        }
    }

    static func hexVal(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        case 0x41...0x46: return c - 0x41 + 10
        default: return nil
        }
    }

    /// Go `strconv.Unquote` for double-quoted and back-quoted strings. Returns the raw bytes as a String.
    static func unquote(_ s: String) throws(SyntaxError) -> String {
        let b = Array(s.utf8)
        guard b.count >= 2, let q = b.first, b.last == q else { throw SyntaxError() }
        let body = Array(b[1..<(b.count - 1)])
        if q == UInt8(ascii: "`") {
            if body.contains(UInt8(ascii: "`")) { throw SyntaxError() }
            // Go strips carriage returns from raw strings.
            let stripped = body.filter { $0 != 0x0D }
            return String(decoding: stripped, as: UTF8.self)
        }
        guard q == UInt8(ascii: "\"") else { throw SyntaxError() }
        if body.contains(0x0A) { throw SyntaxError() }
        var out: [UInt8] = []
        var i = 0
        while i < body.count {
            let (v, multibyte, next) = try unquoteChar(body, i, quote: q)
            if v < 0x80 || !multibyte {
                if v < 0x100 && !multibyte { out.append(UInt8(v)) } else { appendUTF8(&out, v) }
            } else {
                appendUTF8(&out, v)
            }
            i = next
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func appendUTF8(_ out: inout [UInt8], _ v: UInt32) {
        guard let s = Unicode.Scalar(v) else {
            out.append(contentsOf: [0xEF, 0xBF, 0xBD])
            return
        }
        out.append(contentsOf: Array(String(Character(s)).utf8))
    }

    // MARK: - Number parsing (Go syntax)

    /// Validates Go's underscore placement rule (`underscoreOK`) and returns the string without underscores.
    static func stripUnderscores(_ s: [UInt8]) -> [UInt8]? {
        guard s.contains(UInt8(ascii: "_")) else { return s }
        var i = 0
        var saw: UInt8 = UInt8(ascii: "^")
        var hex = false
        if i < s.count && (s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+")) { i += 1 }
        if s.count - i >= 2 && s[i] == UInt8(ascii: "0") {
            let c = s[i + 1] | 0x20
            if c == UInt8(ascii: "b") || c == UInt8(ascii: "o") || c == UInt8(ascii: "x") {
                hex = c == UInt8(ascii: "x")
                i += 2
                saw = UInt8(ascii: "0")
            }
        }
        while i < s.count {
            let c = s[i]
            if (c >= 0x30 && c <= 0x39) || (hex && hexVal(c) != nil) {
                saw = UInt8(ascii: "0")
            } else if c == UInt8(ascii: "_") {
                if saw != UInt8(ascii: "0") { return nil }
                saw = UInt8(ascii: "_")
            } else {
                if saw == UInt8(ascii: "_") { return nil }
                saw = UInt8(ascii: "!")
            }
            i += 1
        }
        if saw == UInt8(ascii: "_") { return nil }
        return s.filter { $0 != UInt8(ascii: "_") }
    }

    /// Go `strconv.ParseUint(s, 0, 64)`.
    static func parseUint(_ text: String) -> UInt64? {
        let raw = Array(text.utf8)
        guard !raw.isEmpty else { return nil }
        var base: UInt64 = 10
        var i = 0
        var s = raw
        if raw[0] == UInt8(ascii: "0") {
            if raw.count >= 3, raw[1] | 0x20 == UInt8(ascii: "x") { base = 16; i = 2 }
            else if raw.count >= 3, raw[1] | 0x20 == UInt8(ascii: "o") { base = 8; i = 2 }
            else if raw.count >= 3, raw[1] | 0x20 == UInt8(ascii: "b") { base = 2; i = 2 }
            else { base = 8; i = 1 }
        }
        if raw.contains(UInt8(ascii: "_")) {
            guard let stripped = stripUnderscores(raw) else { return nil }
            s = stripped
        }
        guard i <= s.count else { return nil }
        if i == s.count && base != 8 { return nil }
        var v: UInt64 = 0
        for c in s[i...] {
            guard let d = hexVal(c), UInt64(d) < base else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: base)
            let (a, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return nil }
            v = a
        }
        return v
    }

    /// Go `strconv.ParseInt(s, 0, 64)`.
    static func parseInt(_ text: String) -> Int64? {
        var s = Substring(text)
        var neg = false
        if s.first == "+" || s.first == "-" {
            neg = s.first == "-"
            s = s.dropFirst()
        }
        guard let u = parseUint(String(s)) else { return nil }
        if neg {
            if u > UInt64(Int64.max) + 1 { return nil }
            if u == UInt64(Int64.max) + 1 { return Int64.min }
            return -Int64(u)
        }
        if u > UInt64(Int64.max) { return nil }
        return Int64(u)
    }

    /// Go `strconv.ParseFloat(s, 64)` restricted to the literal syntax (decimal and hex floats, underscores,
    /// inf/nan names). Returns nil on syntax or range errors.
    static func parseFloat(_ text: String) -> Double? {
        var b = Array(text.utf8)
        guard !b.isEmpty else { return nil }
        var sign = 1.0
        var start = 0
        if b[0] == UInt8(ascii: "+") || b[0] == UInt8(ascii: "-") {
            if b[0] == UInt8(ascii: "-") { sign = -1 }
            start = 1
        }
        let rest = String(decoding: b[start...], as: UTF8.self).lowercased()
        if rest == "inf" || rest == "infinity" { return sign * .infinity }
        if rest == "nan" && start == 0 { return .nan }
        if b.contains(UInt8(ascii: "_")) {
            guard let stripped = stripUnderscores(b) else { return nil }
            b = stripped
        }
        let body = Array(b[start...])
        if body.count >= 2 && body[0] == UInt8(ascii: "0") && body[1] | 0x20 == UInt8(ascii: "x") {
            return parseHexFloat(Array(body[2...])).map { sign * $0 }.flatMap { $0.isInfinite ? nil : $0 }
        }
        // Decimal: digits [. digits] [e [+-] digits], at least one digit in mantissa.
        var i = 0
        var mantDigits = 0
        while i < body.count, body[i] >= 0x30, body[i] <= 0x39 { i += 1; mantDigits += 1 }
        if i < body.count, body[i] == UInt8(ascii: ".") {
            i += 1
            while i < body.count, body[i] >= 0x30, body[i] <= 0x39 { i += 1; mantDigits += 1 }
        }
        guard mantDigits > 0 else { return nil }
        if i < body.count, body[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < body.count, body[i] == UInt8(ascii: "+") || body[i] == UInt8(ascii: "-") { i += 1 }
            var expDigits = 0
            while i < body.count, body[i] >= 0x30, body[i] <= 0x39 { i += 1; expDigits += 1 }
            guard expDigits > 0 else { return nil }
        }
        guard i == body.count else { return nil }
        guard let v = Double(String(decoding: body, as: UTF8.self)), v.isFinite else { return nil }
        return sign * v
    }

    private static func parseHexFloat(_ b: [UInt8]) -> Double? {
        var i = 0
        var mant: Double = 0
        var digits = 0
        var exp = 0
        while i < b.count, let d = hexVal(b[i]) { mant = mant * 16 + Double(d); i += 1; digits += 1 }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < b.count, let d = hexVal(b[i]) { mant = mant * 16 + Double(d); exp -= 4; i += 1; digits += 1 }
        }
        guard digits > 0, i < b.count, b[i] | 0x20 == UInt8(ascii: "p") else { return nil }
        i += 1
        var esign = 1
        if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            if b[i] == UInt8(ascii: "-") { esign = -1 }
            i += 1
        }
        var e = 0
        var ed = 0
        while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
            e = min(e &* 10 &+ Int(b[i] - 0x30), 100_000)
            i += 1
            ed += 1
        }
        guard ed > 0, i == b.count else { return nil }
        let total = exp + esign * e
        return mant * pow2(total)
    }

    private static func pow2(_ e: Int) -> Double {
        if e > 2000 { return .infinity }
        if e < -2000 { return 0 }
        var r = 1.0
        var k = e
        while k > 0 { let s = min(k, 1000); r *= Double(sign: .plus, exponent: s, significand: 1); k -= s }
        while k < 0 { let s = min(-k, 1000); r *= Double(sign: .plus, exponent: -s, significand: 1); k += s }
        return r
    }
}

extension TemplateStrconv {
    /// Whether `s` is syntactically a float but out of float64 range (Go's `ErrRange`).
    static func isFloatRangeError(_ s: String) -> Bool {
        guard TemplateStrconv.parseFloat(s) == nil else { return false }
        let lower = s.lowercased()
        if lower.contains("inf") || lower.contains("nan") { return false }
        if let d = Double(s.filter { $0 != "_" }), d.isInfinite { return true }
        return false
    }
}

extension TemplateStrconv {
    /// Go `strconv.CanBackquote`.
    static func canBackquote(_ s: String) -> Bool {
        let b = Array(s.utf8)
        var i = 0
        while i < b.count {
            let (r, w) = decodeRune(b, i)
            if w == 1 && r == runeError { return false }
            if r == "`" || r == "\u{FEFF}" { return false }
            if r.value < 0x20 && r != "\t" { return false }
            if r.value == 0x7F { return false }
            i += max(1, w)
        }
        return true
    }

    /// The quoting `regexp.MustCompile` uses in its panic message.
    static func regexpQuote(_ s: String) -> String {
        canBackquote(s) ? "`" + s + "`" : quote(s)
    }
}

extension TemplateStrconv {
    /// Go `strconv.QuoteToASCII`.
    static func quoteToASCII(_ s: String) -> String { goQuote(bytes: Array(s.utf8), asciiOnly: true) }
}
