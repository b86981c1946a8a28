/// One lint finding: where, how serious, what is wrong (and why and what to do), and which check said so.
public struct Diagnostic: Sendable, Hashable {
    /// The file path as it was given (or found while walking a directory).
    public var file: String
    public var range: SourceRange
    public var severity: Severity
    /// Human text: what is wrong, why it matters, and what to do about it.
    public var message: String
    public var check: CheckID
    /// First line of the enclosing rule, group or scrape job, so that an inline
    /// `# promtool-swift: disable=...` comment on that entry suppresses this finding too.
    public var scopeLine: Int?

    public init(file: String, range: SourceRange, severity: Severity, message: String, check: CheckID,
                scopeLine: Int? = nil) {
        self.file = file
        self.range = range
        self.severity = severity
        self.message = message
        self.check = check
        self.scopeLine = scopeLine
    }

    /// Ordering used by every reporter: file, then position, then check id, then message.
    public static func reportOrder(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        if a.file != b.file { return a.file < b.file }
        if a.range.start != b.range.start { return a.range.start < b.range.start }
        if a.check != b.check { return a.check.rawValue < b.check.rawValue }
        return a.message < b.message
    }
}
