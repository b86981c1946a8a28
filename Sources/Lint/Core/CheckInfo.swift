/// A stable check identifier such as `interval/rate-window`: a category, a slash, and a name.
public struct CheckID: RawRepresentable, Sendable, Hashable, Comparable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ raw: String) { self.rawValue = raw }
    public init(stringLiteral value: String) { self.rawValue = value }

    /// The part before the slash (`interval`, `labels`, …).
    public var category: String {
        rawValue.split(separator: "/", maxSplits: 1).first.map(String.init) ?? rawValue
    }

    public static func < (a: CheckID, b: CheckID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { rawValue }
}

/// What a check is: its id, default severity, one-line summary, and the documentation shown by `--explain`.
public struct CheckInfo: Sendable, Hashable {
    public var id: CheckID
    public var defaultSeverity: Severity
    /// One line: what the check looks for.
    public var summary: String
    /// A paragraph: why it matters, what to do, and how to silence it where it is intended.
    public var doc: String
    /// Off unless enabled in `.promtool-swift.yml` (`enable: [id]`).
    public var enabledByDefault: Bool
    /// Input problems (unparseable files, bad lint configuration): always on, make the exit code 1.
    public var isInputError: Bool

    public init(id: CheckID, defaultSeverity: Severity, summary: String, doc: String,
                enabledByDefault: Bool = true, isInputError: Bool = false) {
        self.id = id
        self.defaultSeverity = defaultSeverity
        self.summary = summary
        self.doc = doc
        self.enabledByDefault = enabledByDefault
        self.isInputError = isInputError
    }
}
