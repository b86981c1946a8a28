/// Go strings are byte strings and may hold invalid UTF-8 (from `!!binary`), which Swift strings cannot.
/// Each byte of an invalid sequence is kept as one scalar of a private-use range (U+10FF00 + byte), so
/// that validation can reject it and messages can print it as Go does (`"\xff"`).
public enum GoString {
    /// First scalar of the private-use range that stands for raw bytes (U+10FF00 + byte).
    public static let escapeBase: UInt32 = 0x10FF00

    /// The bytes as a string, with bytes of invalid UTF-8 kept as escapes (one per byte, as Go's decoder).
    public static func fromBytes(_ bytes: [UInt8]) -> String {
        var out = String.UnicodeScalarView()
        var i = 0
        while i < bytes.count {
            let (scalar, width) = decodeRune(bytes, at: i)
            if let scalar {
                out.append(scalar)
            } else if let esc = Unicode.Scalar(escapeBase + UInt32(bytes[i])) {
                out.append(esc)
            }
            i += width
        }
        return String(out)
    }

    /// Go's `utf8.DecodeRune` at `i`: the scalar and its width, or nil and width 1 for a byte of invalid UTF-8
    /// (overlong, surrogate, out of range or truncated sequences).
    public static func decodeRune(_ bytes: [UInt8], at i: Int) -> (scalar: Unicode.Scalar?, width: Int) {
        guard i >= 0, i < bytes.count else { return (nil, 1) }
        let b0 = bytes[i]
        if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
        var need = 0
        var value: UInt32 = 0
        var minValue: UInt32 = 0
        if b0 >= 0xC2 && b0 <= 0xDF { need = 1; value = UInt32(b0 & 0x1F); minValue = 0x80 }
        else if b0 >= 0xE0 && b0 <= 0xEF { need = 2; value = UInt32(b0 & 0x0F); minValue = 0x800 }
        else if b0 >= 0xF0 && b0 <= 0xF4 { need = 3; value = UInt32(b0 & 0x07); minValue = 0x10000 }
        guard need > 0 else { return (nil, 1) }
        for k in 1...need {
            guard i + k < bytes.count, bytes[i + k] & 0xC0 == 0x80 else { return (nil, 1) }
            value = value << 6 | UInt32(bytes[i + k] & 0x3F)
        }
        guard value >= minValue, value <= 0x10FFFF, !(value >= 0xD800 && value <= 0xDFFF), let scalar = Unicode.Scalar(value) else {
            return (nil, 1)
        }
        return (scalar, need + 1)
    }

    /// The raw byte an escape scalar stands for, nil for ordinary characters.
    public static func escapedByte(_ u: Unicode.Scalar) -> UInt8? {
        guard u.value >= escapeBase + 0x80, u.value <= escapeBase + 0xFF else { return nil }
        return UInt8(truncatingIfNeeded: u.value - escapeBase)
    }

    /// Go's `utf8.ValidString`: false when the string holds bytes of invalid UTF-8.
    public static func isValidUTF8(_ s: String) -> Bool {
        !s.unicodeScalars.contains { escapedByte($0) != nil }
    }

    /// The Go byte string (escapes turned back into their bytes).
    public static func bytes(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        for u in s.unicodeScalars {
            if let b = escapedByte(u) { out.append(b) } else { out.append(contentsOf: Array(String(u).utf8)) }
        }
        return out
    }

    /// Length in bytes as Go counts it.
    public static func byteCount(_ s: String) -> Int {
        var n = 0
        for u in s.unicodeScalars { n += escapedByte(u) != nil ? 1 : String(u).utf8.count }
        return n
    }
}
