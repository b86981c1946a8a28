/// Where an alert instance is in Prometheus's state machine (rules/alerting.go `AlertState`).
public enum AlertState: Int, Sendable, Comparable, CustomStringConvertible {
    /// Neither pending nor firing (resolved alerts stay in this state for 15 minutes).
    case inactive = 1
    /// Active for less than the rule's `for` duration.
    case pending
    /// Active for at least `for` (or kept firing by `keep_firing_for`).
    case firing

    public static func < (a: AlertState, b: AlertState) -> Bool { a.rawValue < b.rawValue }

    /// The `alertstate` label value.
    public var description: String {
        switch self {
        case .inactive: return "inactive"
        case .pending: return "pending"
        case .firing: return "firing"
        }
    }
}
