/// Go's `%q` / `strconv.Quote` formatting, used to keep error texts identical to Prometheus's.
public enum ExpositionQuote {
    /// Quotes bytes as Go's `strconv.Quote(string(b))` does: invalid UTF-8 bytes become `\xNN`.
    public static func string<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var out = "\""
        var it = Array(bytes)[...]
        while let first = it.first {
            if first < 0x80 {
                appendEscaped(Unicode.Scalar(first), to: &out, quote: "\"")
                it = it.dropFirst()
                continue
            }
            // Decode one UTF-8 sequence.
            if let (scalar, len) = decodeOne(it) {
                appendEscaped(scalar, to: &out, quote: "\"")
                it = it.dropFirst(len)
            } else {
                out += "\\x" + hex2(first)
                it = it.dropFirst()
            }
        }
        return out + "\""
    }

    /// Quotes a Swift string as `strconv.Quote` does.
    public static func string(_ s: String) -> String { string(Array(s.utf8)) }

    /// Formats a byte as Go's `%q` does for a `byte` (a rune literal such as `'x'` or `'\n'`).
    public static func rune(_ b: UInt8) -> String {
        var out = "'"
        appendEscaped(Unicode.Scalar(b), to: &out, quote: "'")
        return out + "'"
    }

    private static func decodeOne(_ s: ArraySlice<UInt8>) -> (Unicode.Scalar, Int)? {
        var iter = s.makeIterator()
        var dec = UTF8()
        switch dec.decode(&iter) {
        case .scalarValue(let sc):
            let len = sc.value < 0x80 ? 1 : sc.value < 0x800 ? 2 : sc.value < 0x10000 ? 3 : 4
            return (sc, len)
        default:
            return nil
        }
    }

    private static func hex2(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
    }

    private static func appendEscaped(_ u: Unicode.Scalar, to out: inout String, quote: Character) {
        switch u {
        case "\u{07}": out += "\\a"
        case "\u{08}": out += "\\b"
        case "\u{0C}": out += "\\f"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "\u{0B}": out += "\\v"
        case "\\": out += "\\\\"
        default:
            if Character(u) == quote {
                out += "\\"
                out.unicodeScalars.append(u)
            } else if u.value < 0x20 || u.value == 0x7F {
                out += "\\x" + hex2(UInt8(truncatingIfNeeded: u.value))
            } else if isPrint(u) {
                out.unicodeScalars.append(u)
            } else if u.value < 0x10000 {
                out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
            } else {
                out += "\\U" + String(repeating: "0", count: 8 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
            }
        }
    }

    /// Approximates Go's `unicode.IsPrint`: graphic characters plus ASCII space.
    private static func isPrint(_ u: Unicode.Scalar) -> Bool {
        if u == " " { return true }
        switch u.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }
}
