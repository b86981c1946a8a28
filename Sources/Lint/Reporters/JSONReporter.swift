import Foundation

/// A JSON array of objects with stable keys:
/// `file, line, column, endLine, endColumn, severity, check, message`.
public struct JSONReporter: Sendable {
    public init() {}

    struct Item: Encodable {
        var file: String
        var line: Int
        var column: Int
        var endLine: Int
        var endColumn: Int
        var severity: String
        var check: String
        var message: String
    }

    public func render(_ diagnostics: [Diagnostic]) -> String {
        if diagnostics.isEmpty { return "[]\n" }
        let items = diagnostics.map {
            Item(file: $0.file, line: $0.range.start.line, column: $0.range.start.column,
                 endLine: $0.range.end.line, endColumn: $0.range.end.column,
                 severity: $0.severity.rawValue, check: $0.check.rawValue, message: $0.message)
        }
        return JSONOutput.encode(items) + "\n"
    }
}

enum JSONOutput {
    static func encode<T: Encodable>(_ value: T) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? enc.encode(value) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }
}
