import GoCompat

/// Go `strconv`/`unicode` behaviour needed by the template engine: quoting and unquoting (numbers: `GoStrconv`).
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
            guard let (v, multibyte, next) = GoStrconv.unquoteChar(body, i, quote: q) else { throw SyntaxError() }
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
}

extension TemplateStrconv {
    /// Whether `s` is syntactically a float but out of float64 range (Go's `ErrRange`).
    static func isFloatRangeError(_ s: String) -> Bool {
        GoStrconv.parseFloat(Array(s.utf8)) == .outOfRange
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
