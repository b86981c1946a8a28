import ConfigModel

/// A 1-based line and column in a source file (columns count Unicode scalars).
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = max(1, line)
        self.column = max(1, column)
    }

    public init(_ mark: Mark) { self.init(line: mark.line, column: mark.column) }

    public static func < (a: SourcePosition, b: SourcePosition) -> Bool {
        a.line != b.line ? a.line < b.line : a.column < b.column
    }

    public var description: String { "\(line):\(column)" }
}

/// A span in a source file; `end` is inclusive of the last character's column plus one (exclusive end),
/// as SARIF and editors expect. A range never ends before it starts.
public struct SourceRange: Sendable, Hashable, CustomStringConvertible {
    public var start: SourcePosition
    public var end: SourcePosition

    public init(start: SourcePosition, end: SourcePosition) {
        self.start = start
        self.end = end < start ? start : end
    }

    /// A range covering one position (an empty span that editors show as a caret).
    public init(at position: SourcePosition) {
        self.start = position
        self.end = position
    }

    /// The whole first line of a file: used for problems no single node is to blame for.
    public static let fileStart = SourceRange(at: SourcePosition(line: 1, column: 1))

    /// The span of a YAML node (from its start mark to its end mark).
    public init(_ node: Node) {
        self.init(start: SourcePosition(node.mark), end: SourcePosition(node.endMark))
    }

    /// The span from a key node to the end of its value node (a whole `key: value` entry).
    public init(key: Node, value: Node) {
        self.init(start: SourcePosition(key.mark), end: SourcePosition(value.endMark))
    }

    public var description: String { "\(start)-\(end)" }
}
