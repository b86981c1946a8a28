/// `interval/for-duration`: `for` shorter than, or not a multiple of, the group's evaluation interval.
public struct ForDurationCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "interval/for-duration", defaultSeverity: .warning,
        summary: "An alert's `for` is shorter than, or not a multiple of, its group's evaluation interval.",
        doc: """
        `for` is only checked when the group is evaluated. A `for` shorter than the evaluation interval \
        behaves like one interval (the alert goes pending at one evaluation and fires at the next), so the \
        written value is misleading (warning). A `for` that is not a multiple of the interval is rounded up \
        to the next evaluation, firing later than written (info). Write `for` as a multiple of the group \
        interval (or of the global evaluation_interval).
        """)

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        guard rule.kind == .alert, let f = rule.forDuration, f.value.milliseconds > 0 else { return }
        let interval = context.evaluationInterval
        guard interval.milliseconds > 0 else { return }
        let scope = rule.range.start.line
        if f.value < interval {
            findings.report(f.range, """
                alert "\(rule.name.value)": for: \(f.value) is shorter than the evaluation interval \
                \(interval): it acts as \(interval) (pending at one evaluation, firing at the next); write \
                for: \(interval) or evaluate the group more often
                """, scopeLine: scope)
        } else if f.value.milliseconds % interval.milliseconds != 0 {
            let evals = f.value.milliseconds / interval.milliseconds &+ 1
            let effective = PromDurationText.format(milliseconds: evals.multipliedReportingOverflow(by: interval.milliseconds).partialValue)
            findings.report(f.range, """
                alert "\(rule.name.value)": for: \(f.value) is not a multiple of the evaluation interval \
                \(interval): it fires only after \(effective); write a multiple of \(interval)
                """, severity: .info, scopeLine: scope)
        }
    }
}
