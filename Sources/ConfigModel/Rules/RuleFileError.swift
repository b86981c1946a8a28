/// A problem found in a rule file: the message exactly as Prometheus prints it (without the `FILE: `
/// prefix promtool adds), plus the best position we know in the file.
public struct RuleFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem this is, for callers that treat them differently.
    public enum Kind: Sendable, Equatable {
        /// YAML syntax or decoding (type errors, unknown fields, invalid durations).
        case yaml
        /// A rule group problem (`Groupname must not be empty`, repeated names, group labels).
        case group
        /// A rule problem, formatted as Prometheus's `rulefmt.Error`.
        case rule
        /// The duplicate-rules lint (not an error for the exit code unless `--lint-fatal`).
        case lint
    }

    public var kind: Kind
    /// The text as promtool prints it after `FILE: `.
    public var message: String
    /// Where in the file the problem is (precise: inside an expression when the parser says where).
    public var mark: Mark?
    /// The position the message itself spells out first (`L:C: ...`), nil when it spells none. Prometheus
    /// prints `0:0` for nodes that are absent; that is not a position.
    public var textMark: Mark?

    public init(kind: Kind, message: String, mark: Mark?, textMark: Mark? = nil) {
        self.kind = kind
        self.message = message
        self.mark = mark
        self.textMark = textMark
    }

    public var description: String { message }

    /// The position worth adding after the message (`  at FILE:L:C`): known, and not already in the text.
    public var extraMark: Mark? {
        guard let mark, mark.line > 0 else { return nil }
        if let textMark, textMark == mark { return nil }
        return mark
    }
}

/// How label, annotation and metric names are validated (Prometheus 3 defaults to UTF-8).
public enum RuleNameValidation: Sendable, Equatable {
    /// Any non-empty valid UTF-8 name.
    case utf8
    /// The pre-3.0 rule: `[a-zA-Z_][a-zA-Z0-9_]*` for labels, with `:` also allowed in metric names.
    case legacy

    /// Whether `name` is a valid label (or annotation) name.
    public func isValidLabelName(_ name: String) -> Bool {
        switch self {
        case .utf8: return !name.isEmpty
        case .legacy: return Self.isLegacyName(name, allowColon: false)
        }
    }

    /// Whether `name` is a valid metric name.
    public func isValidMetricName(_ name: String) -> Bool {
        switch self {
        case .utf8: return !name.isEmpty
        case .legacy: return Self.isLegacyName(name, allowColon: true)
        }
    }

    private static func isLegacyName(_ name: String, allowColon: Bool) -> Bool {
        guard !name.isEmpty else { return false }
        for (i, b) in name.utf8.enumerated() {
            let letter = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || (allowColon && b == 0x3A)
            let digit = b >= 0x30 && b <= 0x39
            if !(letter || (digit && i > 0)) { return false }
        }
        return true
    }
}
