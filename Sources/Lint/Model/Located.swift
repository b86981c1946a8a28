import ConfigModel

/// A value with the source span it was read from.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var range: SourceRange

    public init(_ value: Value, _ range: SourceRange) {
        self.value = value
        self.range = range
    }
}

/// One `name: value` entry of a labels or annotations mapping, with the spans of key and value.
public struct LabelEntry: Sendable {
    public var name: Located<String>
    public var value: Located<String>
    /// The value node itself (to map positions inside templates).
    public var valueNode: Node

    public init(name: Located<String>, value: Located<String>, valueNode: Node) {
        self.name = name
        self.value = value
        self.valueNode = valueNode
    }
}

/// Lenient, positioned reads out of composed YAML nodes. Wrong shapes give nil: the strict parsers
/// report those as errors, so the lint view only needs what is well-formed.
enum NodeRead {
    static func string(_ node: Node?) -> Located<String>? {
        guard let node, !node.isNull, let s = node.scalarValue else { return nil }
        return Located(s, SourceRange(node))
    }

    static func duration(_ node: Node?) -> Located<PromDuration>? {
        guard let s = string(node), case .success(let d) = PromDuration.parse(s.value) else { return nil }
        return Located(d, s.range)
    }

    static func int(_ node: Node?) -> Located<Int>? {
        guard let s = string(node), let n = Int(s.value) else { return nil }
        return Located(n, s.range)
    }

    static func sequence(_ node: Node?) -> [Node] {
        guard let node, case .sequence(let items) = node.content else { return [] }
        return items
    }

    static func pairs(_ node: Node?) -> [Node.Pair] {
        guard let node, case .mapping(let pairs) = node.content else { return [] }
        return pairs
    }

    static func labels(_ node: Node?) -> [LabelEntry] {
        pairs(node).compactMap { p in
            guard let k = p.key.scalarValue else { return nil }
            let v = p.value.scalarValue ?? ""
            return LabelEntry(name: Located(k, SourceRange(p.key)), value: Located(v, SourceRange(p.value)),
                              valueNode: p.value)
        }
    }

    static func stringList(_ node: Node?) -> [Located<String>] {
        sequence(node).compactMap { string($0) }
    }
}
