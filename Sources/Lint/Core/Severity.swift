/// How serious a lint finding is. Ordered: `info < warning < error`.
public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    case info
    case warning
    case error

    private var rank: Int {
        switch self {
        case .info: return 0
        case .warning: return 1
        case .error: return 2
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }

    public var description: String { rawValue }

    /// The SARIF `level` for this severity (`note`, `warning`, `error`).
    public var sarifLevel: String {
        switch self {
        case .info: return "note"
        case .warning: return "warning"
        case .error: return "error"
        }
    }

    /// The GitHub workflow command for this severity (`notice`, `warning`, `error`).
    public var githubCommand: String {
        switch self {
        case .info: return "notice"
        case .warning: return "warning"
        case .error: return "error"
        }
    }
}
