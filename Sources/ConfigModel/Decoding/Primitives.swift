import GoCompat

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
