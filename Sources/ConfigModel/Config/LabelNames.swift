import GoCompat

/// How metric and label names are validated (`metric_name_validation_scheme`): UTF-8 (the 3.x default,
/// any non-empty valid UTF-8) or legacy (`[a-zA-Z_][a-zA-Z0-9_]*`, metric names also `:`).
public enum NameValidationScheme: String, Sendable, Hashable, CustomStringConvertible {
    case utf8
    case legacy

    public var description: String { rawValue }

    public func isValidLabelName(_ s: String) -> Bool {
        switch self {
        case .utf8: return !s.isEmpty && GoString.isValidUTF8(s)
        case .legacy: return LabelNames.isLegacyName(s, allowColon: false)
        }
    }

    public func isValidMetricName(_ s: String) -> Bool {
        switch self {
        case .utf8: return !s.isEmpty && GoString.isValidUTF8(s)
        case .legacy: return LabelNames.isLegacyName(s, allowColon: true)
        }
    }
}

/// Label name and value rules shared by the config models.
public enum LabelNames {
    static func isLegacyName(_ s: String, allowColon: Bool) -> Bool {
        guard !s.isEmpty else { return false }
        for (i, b) in s.utf8.enumerated() {
            let letter = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || (allowColon && b == 0x3A)
            let digit = b >= 0x30 && b <= 0x39
            if !(letter || (i > 0 && digit)) { return false }
        }
        return true
    }

    /// `model.LabelValue.IsValid`: valid UTF-8.
    public static func isValidLabelValue(_ s: String) -> Bool { GoString.isValidUTF8(s) }
}

/// `model.LabelSet` as yaml: a map of label names to values; names are checked under UTF-8 rules as
/// common's `LabelName.UnmarshalYAML` does (`"\xff" is not a valid label name`).
public struct LabelSet: YAMLDecodable, Sendable, Sequence {
    public var map = OrderedStringMap<String>()
    public static var goTypeName: String { "model.LabelSet" }
    public init() {}
    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        guard case .mapping(let pairs) = node.content else {
            if !node.isNull { decoder.cannotUnmarshal(node, into: Self.goTypeName) }
            return
        }
        var seen: Set<String> = []
        for p in pairs {
            // Keys are model.LabelName (validated as they decode), values model.LabelValue.
            guard p.key.scalarValue != nil, !p.key.isMapping else {
                decoder.cannotUnmarshal(p.key, into: "model.LabelName")
                continue
            }
            let key = try String(yaml: p.key, decoder: decoder)
            if !Self.skipsUnmarshaller(p.key) && !NameValidationScheme.utf8.isValidLabelName(key) {
                throw ConfigError("\(goQuote(key)) is not a valid label name", at: p.key.mark)
            }
            if seen.contains(key) {
                decoder.typeError(p.key, "key \(goQuote(key)) already set in map")
                continue
            }
            seen.insert(key)
            var value = ""
            if p.value.scalarValue != nil {
                value = try String(yaml: p.value, decoder: decoder)
            } else {
                decoder.cannotUnmarshal(p.value, into: "model.LabelValue")
            }
            map.entries.append(.init(key: key, value: value, keyMark: p.key.mark, valueMark: p.value.mark))
        }
    }
    /// yaml.v2 calls no unmarshaller for a node tagged `!!null` or written `~`, `null` or empty (decode.go
    /// v2.4.4 `prepare`), so such a key becomes the label name "" without `LabelName.UnmarshalYAML`'s check;
    /// `Null` and `NULL` do reach it (and fail as "").
    static func skipsUnmarshaller(_ key: Node) -> Bool {
        if key.tag == "!!null" { return true }
        guard key.tag == nil, case .scalar(let s, .plain) = key.content else { return false }
        return s.isEmpty || s == "~" || s == "null"
    }

    public subscript(key: String) -> String? { map[key] }
    public var isEmpty: Bool { map.isEmpty }
    public var count: Int { map.count }
    public func makeIterator() -> IndexingIterator<[OrderedStringMap<String>.Entry]> { map.makeIterator() }
}
