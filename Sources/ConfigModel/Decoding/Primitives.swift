/// Scalar and collection conformances with yaml.v2's conversion rules.

extension String: YAMLDecodable {
    public static var goTypeName: String { "string" }
    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        try decoder.willDecodeScalar(node)
        switch node.content {
        case .scalar(let s, _):
            if node.isNull { self = ""; return }
            if node.tag == "!!binary" {
                guard let decoded = Base64.decode(s) else {
                    throw ConfigError("yaml: !!binary value contains invalid base64 data", at: node.mark)
                }
                self = GoString.fromBytes(decoded)
                return
            }
            self = s
        default:
            decoder.cannotUnmarshal(node, into: "string")
            self = ""
        }
    }
}

extension Bool: YAMLDecodable {
    public static var goTypeName: String { "bool" }
    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        try decoder.willDecodeScalar(node)
        if case .scalar(let s, .plain) = node.content, node.tag == nil || node.tag == "!!bool",
           case .bool(let b) = YAMLScalar.resolve(s) {
            self = b
            return
        }
        if node.isNull { self = false; return }
        decoder.cannotUnmarshal(node, into: "bool")
        self = false
    }
}

extension Int: YAMLDecodable {
    public static var goTypeName: String { "int" }
    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        try decoder.willDecodeScalar(node)
        self = Int(truncatingIfNeeded: YAMLInteger.signed(node) ?? decoder.integerTypeError(node, into: "int"))
    }
}

extension UInt: YAMLDecodable {
    public static var goTypeName: String { "uint" }
    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        try decoder.willDecodeScalar(node)
        self = UInt(truncatingIfNeeded: YAMLInteger.unsigned(node) ?? UInt64(decoder.integerTypeError(node, into: "uint")))
    }
}

extension UInt64: YAMLDecodable {
    public static var goTypeName: String { "uint64" }
    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        try decoder.willDecodeScalar(node)
        self = YAMLInteger.unsigned(node) ?? UInt64(decoder.integerTypeError(node, into: "uint64"))
    }
}

extension Int64: YAMLDecodable {
    public static var goTypeName: String { "int64" }
    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        try decoder.willDecodeScalar(node)
        self = YAMLInteger.signed(node) ?? decoder.integerTypeError(node, into: "int64")
    }
}

extension Double: YAMLDecodable {
    public static var goTypeName: String { "float64" }
    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        try decoder.willDecodeScalar(node)
        if node.isNull { self = 0; return }
        if case .scalar(let s, .plain) = node.content, node.tag == nil || node.tag == "!!int" || node.tag == "!!float" {
            switch YAMLScalar.resolve(s) {
            case .int(let i): self = Double(i); return
            case .uint(let u): self = Double(u); return
            case .float(let d): self = d; return
            default: break
            }
        }
        decoder.cannotUnmarshal(node, into: "float64")
        self = 0
    }
}

extension Array: YAMLDecodable where Element: YAMLDecodable {
    public static var goTypeName: String { "[]" + Element.goTypeName }
    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        switch node.content {
        case .sequence(let items):
            var out: [Element] = []
            out.reserveCapacity(items.count)
            for item in items {
                try decoder.visit()
                out.append(try Element(yaml: item, decoder: decoder))
            }
            self = out
        default:
            if !node.isNull { decoder.cannotUnmarshal(node, into: Self.goTypeName) }
            self = []
        }
    }
}

/// A mapping with string keys, in document order (Go maps have none; we keep it for positions).
public struct OrderedStringMap<Value: YAMLDecodable>: YAMLDecodable, Sequence {
    public struct Entry: Sendable {
        public var key: String
        public var value: Value
        public var keyMark: Mark
        public var valueMark: Mark
    }
    public var entries: [Entry]
    public static var goTypeName: String { "map[string]" + Value.goTypeName }

    public init() { entries = [] }

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        try self.init(yaml: node, decoder: decoder, goTypeName: Self.goTypeName)
    }

    /// Decodes a map whose Go type has a name of its own (`config.ProxyHeader`), for type errors.
    public init(yaml node: Node, decoder: YAMLDecoder, goTypeName: String) throws(ConfigError) {
        entries = []
        switch node.content {
        case .mapping(let pairs):
            var seen: Set<String> = []
            for p in pairs {
                let key = try String(yaml: p.key, decoder: decoder)
                if seen.contains(key) {
                    decoder.typeError(p.key, "key \(goQuote(key)) already set in map")
                    continue
                }
                seen.insert(key)
                entries.append(Entry(key: key, value: try Value(yaml: p.value, decoder: decoder), keyMark: p.key.mark, valueMark: p.value.mark))
            }
        default:
            if !node.isNull { decoder.cannotUnmarshal(node, into: goTypeName) }
        }
    }

    public subscript(key: String) -> Value? { entries.first { $0.key == key }?.value }
    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }
    public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }
}

extension OrderedStringMap: Equatable where Value: Equatable {
    public static func == (a: Self, b: Self) -> Bool {
        a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

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

/// Standard base64 (with or without padding, whitespace ignored) as yaml.v2 accepts for `!!binary`.
enum Base64 {
    static func decode(_ s: String) -> [UInt8]? {
        var out: [UInt8] = []
        var acc: UInt32 = 0
        var bits = 0
        var padding = 0
        for c in s.utf8 {
            let v: UInt32
            switch c {
            case 0x41...0x5A: v = UInt32(c - 0x41)
            case 0x61...0x7A: v = UInt32(c - 0x61 + 26)
            case 0x30...0x39: v = UInt32(c - 0x30 + 52)
            case 0x2B: v = 62
            case 0x2F: v = 63
            case 0x3D: padding += 1; continue
            case 0x20, 0x0A, 0x0D, 0x09: continue
            default: return nil
            }
            if padding > 0 { return nil }
            acc = (acc << 6) | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
                acc &= (1 << UInt32(bits)) &- 1
            }
        }
        if bits >= 6 { return nil }
        return out
    }
}

/// Go strings are byte strings and may hold invalid UTF-8 (from `!!binary`), which Swift strings cannot.
/// Each byte of an invalid sequence is kept as one scalar of a private-use range (U+10FF00 + byte), so
/// that validation can reject it and messages can print it as Go does (`"\xff"`).
public enum GoString {
    static let escapeBase: UInt32 = 0x10FF00

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
