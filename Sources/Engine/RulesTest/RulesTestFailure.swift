import ConfigModel

/// One failure of a unit-test file or test group: promtool's text, plus the file and YAML position it
/// concerns (printed by us as `  at FILE:L:C`).
public struct RulesTestFailure: Sendable, Equatable, CustomStringConvertible {
    /// The error text exactly as promtool prints it (may span lines).
    public var message: String
    /// The file the position is in (the test file, or a rule file for rule-loading errors).
    public var file: String
    public var mark: Mark?
    /// For assertion failures: what was expected and what came out (for `-o json`).
    public var expected: String?
    public var got: String?

    public init(message: String, file: String, mark: Mark?, expected: String? = nil, got: String? = nil) {
        self.message = message
        self.file = file
        self.mark = mark
        self.expected = expected
        self.got = got
    }

    public var description: String { message }

    /// `  at FILE:L:C`, or nil when the position is unknown.
    public var positionLine: String? {
        guard let mark, mark.line > 0 else { return nil }
        return "  at \(file):\(mark.line):\(mark.column)"
    }
}
