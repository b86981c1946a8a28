/// Positions of a mapping's keys, kept by models so that validation errors can point at the key at fault.
public struct FieldMarks: Sendable, Hashable {
    /// Where the mapping (or the inlined part's enclosing mapping) starts.
    public var base: Mark?
    public var byKey: [String: Mark] = [:]

    public init() {}

    /// The marks of `keys` (those present) in the mapping `m` reads.
    public init(_ m: MappingDecoder, keys: [String]) {
        base = m.node.mark
        for k in keys {
            if let n = m.keyNode(k) { byKey[k] = n.mark }
        }
    }

    /// The mark of `key`'s key node, else the mapping's.
    public subscript(key: String) -> Mark? { byKey[key] ?? base }

    /// The latest of the present `keys` (the one that makes a combination invalid), else the mapping's.
    public func last(of keys: String...) -> Mark? { keys.compactMap { byKey[$0] }.max() ?? base }

    /// The earliest of the present `keys`, else the mapping's.
    public func first(of keys: String...) -> Mark? { keys.compactMap { byKey[$0] }.min() ?? base }
}
