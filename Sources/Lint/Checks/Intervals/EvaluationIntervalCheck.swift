/// `interval/evaluation-vs-scrape`: rules evaluated more often than data arrives.
public struct EvaluationIntervalCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "interval/evaluation-vs-scrape", defaultSeverity: .warning,
        summary: "Rules are evaluated more often than targets are scraped.",
        doc: """
        Evaluating rules more often than new samples arrive does no good: consecutive evaluations see the \
        same data, recording rules write duplicate points and `for` durations count evaluations that saw \
        nothing new. It costs query load for nothing. Make evaluation_interval (or a group's interval) at \
        least the scrape interval. A configuration without scrape jobs (one that only receives OTLP or \
        remote-write data) has no scrape interval to compare with and is not reported.
        """)

    public func check(config: ConfigView, context: ConfigContext, findings: inout Findings) {
        // Without scrape jobs (OTLP or remote-write receivers) no data arrives at scrape_interval.
        guard !config.jobs.isEmpty, config.evaluationInterval < config.scrapeInterval else { return }
        let range = config.evaluationIntervalNode?.range ?? config.scrapeIntervalNode?.range ?? .fileStart
        findings.report(range, """
            evaluation_interval \(config.evaluationInterval) is shorter than scrape_interval \
            \(config.scrapeInterval): rules re-evaluate the same samples; set evaluation_interval to at least \
            the scrape interval
            """)
    }

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        // Report a group's own interval once, on its first rule.
        guard let first = context.group.rules.first, first.range == rule.range,
              let gi = context.group.interval, gi.value.milliseconds > 0 else { return }
        guard context.scrapeIntervalKnown, !context.hasConfig || !context.config.jobs.isEmpty else { return }
        let scrape = context.config.scrapeInterval
        guard gi.value < scrape else { return }
        let name = context.group.name?.value ?? ""
        let basis = context.hasConfig ? "the global scrape_interval" : "the assumed scrape_interval"
        findings.report(gi.range, """
            group "\(name)": interval \(gi.value) is shorter than \(basis) \(scrape): its rules re-evaluate \
            the same samples; use an interval of at least \(scrape)
            """, scopeLine: context.group.range.start.line)
    }
}
