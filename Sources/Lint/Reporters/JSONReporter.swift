/// A JSON array of objects with stable keys:
/// `file, line, column, endLine, endColumn, severity, check, message`.
public struct JSONReporter: Sendable {
    public init() {}

    public func render(_ diagnostics: [Diagnostic]) -> String {
        if diagnostics.isEmpty { return "[]\n" }
        let items = diagnostics.map { d in
            JSONValue.object([
                ("file", .string(d.file)),
                ("line", .int(d.range.start.line)),
                ("column", .int(d.range.start.column)),
                ("endLine", .int(d.range.end.line)),
                ("endColumn", .int(d.range.end.column)),
                ("severity", .string(d.severity.rawValue)),
                ("check", .string(d.check.rawValue)),
                ("message", .string(d.message)),
            ])
        }
        return JSONValue.array(items).rendered() + "\n"
    }
}
