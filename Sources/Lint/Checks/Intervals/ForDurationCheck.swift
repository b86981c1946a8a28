import ConfigModel

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
        interval (or of the global evaluation_interval). The interval is the group's `interval`, else the \
        evaluation_interval of the prometheus.yml linted with the rule file, else `evaluation_interval` \
        from .promtool-swift.yml; when none of these is known, Prometheus's default of 1m is assumed and \
        findings are infos only (the message says which interval was used and where it comes from).
        """)

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        guard rule.kind == .alert, let f = rule.forDuration, f.value.milliseconds > 0 else { return }
        let interval = context.evaluationInterval
        guard interval.milliseconds > 0 else { return }
        let scope = rule.range.start.line
        let (basis, assumed) = Self.basis(context, interval)
        if f.value < interval {
            findings.report(f.range, """
                alert "\(rule.name.value)": for: \(f.value) is shorter than \(basis): it acts as \(interval) \
                (pending at one evaluation, firing at the next); write for: \(interval) or evaluate the group \
                more often
                """, severity: assumed ? .info : nil, scopeLine: scope)
        } else if f.value.milliseconds % interval.milliseconds != 0 {
            let (evals, o1) = (f.value.milliseconds / interval.milliseconds).addingReportingOverflow(1)
            let (total, o2) = evals.multipliedReportingOverflow(by: interval.milliseconds)
            guard !o1, !o2 else { return }
            findings.report(f.range, """
                alert "\(rule.name.value)": for: \(f.value) is not a multiple of \(basis): it fires only \
                after \(PromDurationText.format(milliseconds: total)); write a multiple of \(interval)
                """, severity: .info, scopeLine: scope)
        }
    }

    /// Which evaluation interval applies, in words, and whether it is only Prometheus's default assumed.
    static func basis(_ context: RuleContext, _ interval: PromDuration) -> (String, Bool) {
        if let gi = context.group.interval, gi.value.milliseconds > 0 {
            return ("the group's interval \(interval)", false)
        }
        if context.hasConfig {
            let set = context.config.evaluationIntervalNode != nil
            return ("the \(set ? "" : "default ")evaluation_interval \(interval) of \(context.config.path)", false)
        }
        if context.settings.assumedEvaluationInterval != nil {
            return ("the evaluation_interval \(interval) assumed in the lint configuration", false)
        }
        return ("""
            the evaluation interval, assumed to be Prometheus's default \(interval) (no prometheus.yml was \
            linted with this file; set evaluation_interval in .promtool-swift.yml)
            """, true)
    }
}
