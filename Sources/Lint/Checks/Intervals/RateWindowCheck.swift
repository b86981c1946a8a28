import Engine

/// `interval/rate-window`: range windows too short for the scrape interval of the data.
public struct RateWindowCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "interval/rate-window", defaultSeverity: .warning,
        summary: "A rate()/increase()/…_over_time() window spans fewer than 4 scrape intervals (error below 2).",
        doc: """
        rate(), irate(), increase(), deriv() and the other range functions need at least two samples in \
        their window, and a window only a little longer than the scrape interval often holds just one \
        (scrapes jitter, and one can fail): the result is then empty, alerts resolve and graphs have gaps. \
        A window under 2 scrape intervals is reported as an error, under 4 as a warning. The interval is \
        that of the scrape job(s) the selector's `job` matcher can match in the linted prometheus.yml \
        (the slowest of them), else the global scrape_interval; for rule files linted without their \
        prometheus.yml, the `scrape_interval` set in .promtool-swift.yml (without it the check is off \
        for such files). Use a window of at least 4 × the scrape \
        interval (e.g. [1m] for 15s scrapes).
        """)

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        guard let pe = context.expression, pe.expr != nil else { return }
        for c in pe.calls where ExprFacts.rangeFunctions.contains(c.function.name) {
            guard let m = ExprFacts.matrixArgument(c), let vs = m.selector, m.rangeExpr == nil, m.rangeMillis > 0 else {
                continue
            }
            guard let res = context.scrapeInterval(for: vs) else { continue }
            let interval = res.interval.milliseconds
            guard interval > 0 else { continue }
            let window = m.rangeMillis
            let (twice, o1) = interval.multipliedReportingOverflow(by: 2)
            let (four, o2) = interval.multipliedReportingOverflow(by: 4)
            guard !o1, !o2, window < four else { continue }
            let severity: Severity = window < twice ? .error : .warning
            let w = PromDurationText.format(milliseconds: window)
            let suggested = PromDurationText.format(milliseconds: four)
            let consequence = window < twice
                ? "often holds fewer than two samples, so \(c.function.name)() returns nothing"
                : "leaves too little margin: one late or failed scrape and \(c.function.name)() returns nothing"
            findings.report(pe.range(Expr.matrixSelector(m).position), """
                \(c.function.name)() window [\(w)] is less than \(window < twice ? "2" : "4") × \(res.basis): \
                the window \(consequence); use at least [\(suggested)]
                """, severity: severity, scopeLine: rule.range.start.line)
        }
    }
}
