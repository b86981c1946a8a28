/// `unittest/unknown-alert`: an `alert_rule_test` naming an alert no rule file of the test defines.
public struct UnitTestAlertNameCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "unittest/unknown-alert", defaultSeverity: .warning,
        summary: "An alert_rule_test names an alert that none of the test's rule files defines.",
        doc: """
        promtool compares the alerts of the rule named by `alertname` with `exp_alerts`. When no rule of the \
        test's `rule_files` has that name (a typo, or an alert renamed in the rules but not in the tests), \
        the test sees no alerts: one expecting alerts fails with a confusing message, and one expecting \
        none passes without testing anything. Use the alert's name as written in the rule file.
        """)

    public func check(unitTest: UnitTestContext, findings: inout Findings) {
        guard let rules = unitTest.rules, !unitTest.ruleFiles.contains(where: { $0.matches.isEmpty }) else { return }
        let defined = Set(rules.filter { $0.kind == .alert }.map(\.name.value))
        for group in unitTest.file.tests {
            for t in group.alertTests where !defined.contains(t.alertname.value) {
                let consequence = t.expectsAlerts
                    ? "the test can only fail"
                    : "the test expects no alert and passes without testing anything"
                let hint = Self.closest(to: t.alertname.value, in: defined).map { " (did you mean \"\($0)\"?)" } ?? ""
                findings.report(t.alertname.range, """
                    alertname "\(t.alertname.value)" is not defined by any alerting rule in the test's rule \
                    files\(hint): \(consequence); use the name from the rule file
                    """, scopeLine: t.range.start.line)
            }
        }
    }

    /// The defined name differing from `name` only in letter case, if any.
    static func closest(to name: String, in defined: Set<String>) -> String? {
        let lower = name.lowercased()
        return defined.sorted().first { $0.lowercased() == lower }
    }
}
