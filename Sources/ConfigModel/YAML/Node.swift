/// A YAML node with the position it came from, as composed from libyaml's events.
///
/// Aliases are resolved (the alias becomes a copy of its anchor's node, keeping the anchor's positions)
/// and merge keys (`<<`) are applied, so decoders see plain trees.
public struct Node: Sendable {
    public enum ScalarStyle: Sendable, Equatable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    public enum Content: Sendable {
        case scalar(String, ScalarStyle)
        case sequence([Node])
        case mapping([Pair])
    }

    public struct Pair: Sendable {
        public var key: Node
        public var value: Node
        public init(key: Node, value: Node) {
            self.key = key
            self.value = value
        }
    }

    public var content: Content
    /// The explicit tag in short form (`!!str`, `!!binary`, `!custom`), nil when implicit.
    public var tag: String?
    /// Where the node starts.
    public var mark: Mark
    /// Where the node ends (exclusive), as libyaml reports it.
    public var endMark: Mark

    public init(content: Content, tag: String? = nil, mark: Mark, endMark: Mark? = nil) {
        self.content = content
        self.tag = tag
        self.mark = mark
        self.endMark = endMark ?? mark
    }

    /// The scalar's text, nil for collections.
    public var scalarValue: String? {
        if case .scalar(let s, _) = content { return s }
        return nil
    }

    public var isMapping: Bool {
        if case .mapping = content { return true }
        return false
    }

    /// True for an implicit null (`~`, `null`, empty) or an explicit `!!null` on a null text. `!!null 15s`
    /// is not null: decoding it fails as go-yaml's tag resolution fails (`cannot decode !!str `15s` as a !!null`).
    public var isNull: Bool {
        if tag == "!!null" {
            if case .scalar(let s, _) = content { return YAMLScalar.resolve(s) == .null }
            return false
        }
        guard case .scalar(let s, let style) = content, style == .plain, tag == nil else { return false }
        return s.isEmpty || s == "~" || s == "null" || s == "Null" || s == "NULL"
    }

    /// Looks up a key in a mapping node.
    public subscript(key: String) -> Node? {
        guard case .mapping(let pairs) = content else { return nil }
        return pairs.first { $0.key.scalarValue == key }?.value
    }

    /// The tag yaml.v2 shows in type errors (`!!str`, `!!int`, `!!map`, `!!seq`, …).
    public var shortTag: String {
        if let tag { return tag }
        switch content {
        case .sequence: return "!!seq"
        case .mapping: return "!!map"
        case .scalar(let s, let style):
            if style != .plain { return "!!str" }
            switch YAMLScalar.resolve(s) {
            case .null: return "!!null"
            case .bool: return "!!bool"
            case .int, .uint: return "!!int"
            case .float: return "!!float"
            case .string: return "!!str"
            }
        }
    }
}
