/// Why evaluating a rule failed, in Prometheus's words (what `rule.LastError()` returns).
public struct RuleEvalError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    /// `ErrDuplicateAlertLabelSet`.
    public static let duplicateAlertLabelSet = RuleEvalError("vector contains metrics with the same labelset after applying alert labels")
    /// `ErrDuplicateRecordingLabelSet`.
    public static let duplicateRecordingLabelSet = RuleEvalError("vector contains metrics with the same labelset after applying rule labels")
}
