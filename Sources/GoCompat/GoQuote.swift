/// Go's `strconv.Quote` (`%q`) for a string: double-quoted with Go escapes. Bytes of invalid UTF-8 (kept as
/// `GoString` escapes) print as `\xff`, non-printable characters as `\u00ad`. `asciiOnly` gives
/// `strconv.QuoteToASCII` (`%+q`); `maxRunes` quotes only the first runes, as `%.Nq` does.
public func goQuote(_ s: String, asciiOnly: Bool = false, maxRunes: Int? = nil) -> String {
    // Printable ASCII without quotes or backslashes needs no escaping (the common case).
    if maxRunes == nil, s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) { return "\"" + s + "\"" }
    var out = "\""
    var n = 0
    for u in s.unicodeScalars {
        if let m = maxRunes, n >= m { break }
        n += 1
        if let byte = GoString.escapedByte(u) {
            out += "\\x" + goHex(UInt32(byte), width: 2)
        } else {
            goAppendEscapedRune(u, quote: "\"", asciiOnly: asciiOnly, to: &out)
        }
    }
    return out + "\""
}

/// Go's `strconv.Quote` (`%q`) for a string (the unary form, for `map(goQuote)`).
public func goQuote(_ s: String) -> String { goQuote(s, asciiOnly: false, maxRunes: nil) }

/// Go's `strconv.Quote` of a byte string: each byte of invalid UTF-8 prints as `\xNN` (Go's `utf8.DecodeRune`
/// rules); `asciiOnly` and `maxRunes` as for `goQuote(_:)`.
public func goQuote(bytes: [UInt8], asciiOnly: Bool = false, maxRunes: Int? = nil) -> String {
    if bytes.count <= maxRunes ?? Int.max, bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) {
        return "\"" + String(decoding: bytes, as: UTF8.self) + "\""
    }
    var out = "\""
    var i = 0
    var n = 0
    while i < bytes.count {
        if let m = maxRunes, n >= m { break }
        n += 1
        let (scalar, width) = GoString.decodeRune(bytes, at: i)
        if let scalar {
            goAppendEscapedRune(scalar, quote: "\"", asciiOnly: asciiOnly, to: &out)
        } else {
            out += "\\x" + goHex(UInt32(bytes[i]), width: 2)
        }
        i += width
    }
    return out + "\""
}

/// Go's `strconv.QuoteRune` (`%q` of a rune): `'x'`, `'\n'`, `'\u00ad'`; `asciiOnly` gives `QuoteRuneToASCII`.
public func goQuoteRune(_ r: Unicode.Scalar, asciiOnly: Bool = false) -> String {
    var out = "'"
    goAppendEscapedRune(r, quote: "'", asciiOnly: asciiOnly, to: &out)
    return out + "'"
}

/// Go's `strconv` escaping of one rune inside `quote` quotes (its `appendEscapedRune`).
public func goAppendEscapedRune(_ r: Unicode.Scalar, quote: Unicode.Scalar, asciiOnly: Bool, to out: inout String) {
    if r == quote || r == "\\" {
        out += "\\"
        out.unicodeScalars.append(r)
        return
    }
    if asciiOnly ? (r.value < 0x80 && goIsPrint(r)) : goIsPrint(r) {
        out.unicodeScalars.append(r)
        return
    }
    if let letter = goLetterEscapes[r.value] {
        out += "\\"
        out.append(letter)
    } else if r.value < 0x20 || r.value == 0x7F {
        out += "\\x" + goHex(r.value, width: 2)
    } else if r.value < 0x10000 {
        out += "\\u" + goHex(r.value, width: 4)
    } else {
        out += "\\U" + goHex(r.value, width: 8)
    }
}

/// Go's one-letter escapes (`\a \b \f \n \r \t \v`) by code point.
private let goLetterEscapes: [UInt32: Character] = [0x07: "a", 0x08: "b", 0x0C: "f", 0x0A: "n", 0x0D: "r", 0x09: "t", 0x0B: "v"]

/// Go's `strconv.IsPrint` (= `unicode.IsPrint`): letters, marks, numbers, punctuation, symbols and the ASCII
/// space; other spaces, controls, format characters, private use and unassigned code points are not.
public func goIsPrint(_ r: Unicode.Scalar) -> Bool {
    if r.value < 0x80 { return r.value >= 0x20 && r.value < 0x7F }
    switch r.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
        return false
    default:
        return true
    }
}

/// Lower-case hex of `v`, zero-padded to `width` digits.
public func goHex(_ v: UInt32, width: Int) -> String {
    let h = String(v, radix: 16)
    return h.count >= width ? h : String(repeating: "0", count: width - h.count) + h
}
