/// The text of one input file, split into lines for comment scanning and position mapping.
public struct SourceText: Sendable {
    public var path: String
    public var text: String
    /// Lines without their terminators; index 0 is line 1.
    public var lines: [Substring]

    public init(path: String, text: String) {
        self.path = path
        self.text = text
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? $0.dropLast() : $0
        }
    }

    /// Line `n` (1-based), or nil when out of range.
    public func line(_ n: Int) -> Substring? {
        guard n >= 1, n <= lines.count else { return nil }
        return lines[n - 1]
    }
}
