import Engine

/// `promql/histogram-quantile-le`: histogram_quantile() over classic buckets whose `le` was aggregated away.
public struct HistogramQuantileCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "promql/histogram-quantile-le", defaultSeverity: .error,
        summary: "histogram_quantile() over classic _bucket series whose le label was aggregated away.",
        doc: """
        For classic histograms histogram_quantile() needs the bucket boundaries in the `le` label. \
        `histogram_quantile(0.9, sum by (job) (rate(x_bucket[5m])))` drops `le`, and the result is empty. \
        Keep it: `sum by (job, le) (...)`, or `sum without (instance) (...)`. (Native histograms carry their \
        buckets inside the sample and need no `le`; they are not reported.)
        """)

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        guard let pe = context.expression, pe.expr != nil else { return }
        for c in pe.calls where c.function.name == "histogram_quantile" || c.function.name == "histogram_fraction" {
            guard let arg = c.args.last else { continue }
            let classic = ExprFacts.selectors(arg).contains { ExprFacts.metricName($0)?.hasSuffix("_bucket") == true }
            guard classic, OutputLabels.of(arg).definitelyLacks("le") else { continue }
            findings.report(pe.range(arg.position), """
                \(c.function.name)() over _bucket series whose "le" label was removed (by aggregation or \
                matching): the result is always empty; keep le, e.g. sum by (le, ...) (...)
                """, scopeLine: rule.range.start.line)
        }
    }
}
