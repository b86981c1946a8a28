import ConfigModel

/// The outcome of one test group of a unit-test file.
public struct RulesTestGroupResult: Sendable {
    /// `name`, or promtool's `unnamed#N`.
    public var name: String
    /// Where the group's entry is in the test file.
    public var mark: Mark
    public var failures: [RulesTestFailure]
    /// `--debug` lines (stderr), in order.
    public var debugLines: [String]
    /// Alert names the group's alert tests ask for.
    public var testedAlertNames: Set<String>
    /// The group's `promql_expr_test` expressions.
    public var testedExpressions: [String]

    public var passed: Bool { failures.isEmpty }
}
