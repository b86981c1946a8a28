import Engine

/// `promql/rate-on-gauge`: rate()/irate()/increase() on a metric named like a gauge.
public struct RateOnGaugeCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "promql/rate-on-gauge", defaultSeverity: .warning,
        summary: "rate()/irate()/increase() applied to a metric whose name is not a counter's (_total, _count, _sum, _bucket).",
        doc: """
        rate(), irate() and increase() assume a counter: a value that only goes up and resets to zero. On a \
        gauge every decrease is taken for a counter reset, producing huge bogus spikes. By the naming \
        conventions counters end in `_total` (or `_count`, `_sum`, `_bucket` for histograms and summaries). \
        For gauges use deriv() or delta(); if the metric really is a counter, fix its name at the source.
        """)

    static let counterSuffixes = ["_total", "_count", "_sum", "_bucket", "_created"]

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        guard let pe = context.expression, pe.expr != nil else { return }
        for c in pe.calls where ExprFacts.counterFunctions.contains(c.function.name) {
            guard let m = ExprFacts.matrixArgument(c), let vs = m.selector, let name = ExprFacts.metricName(vs) else {
                continue
            }
            // Recorded series (level:metric:ops) cannot be judged by their name.
            if name.contains(":") || Self.counterSuffixes.contains(where: { name.hasSuffix($0) }) { continue }
            findings.report(pe.range(c.position), """
                \(c.function.name)() on "\(name)", which is not named like a counter (_total, _count, _sum, \
                _bucket): on a gauge every decrease looks like a counter reset and produces spikes; use \
                deriv() or delta() for gauges
                """, scopeLine: rule.range.start.line)
        }
    }
}

/// `promql/delta-on-counter`: delta()/deriv()/idelta() on a counter.
public struct DeltaOnCounterCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "promql/delta-on-counter", defaultSeverity: .warning,
        summary: "delta()/idelta()/deriv()/predict_linear() applied to a counter (_total).",
        doc: """
        delta(), idelta(), deriv() and predict_linear() are for gauges: they do not know about counter \
        resets, so every restart of the target produces a large negative value (and predictions heading \
        below zero). For counters (`_total`) use rate() or increase(), which handle resets.
        """)

    static let gaugeFunctions: Set<String> = ["delta", "idelta", "deriv", "predict_linear"]

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        guard let pe = context.expression, pe.expr != nil else { return }
        for c in pe.calls where Self.gaugeFunctions.contains(c.function.name) {
            guard let m = ExprFacts.matrixArgument(c), let vs = m.selector, let name = ExprFacts.metricName(vs),
                  !name.contains(":"), name.hasSuffix("_total") else { continue }
            let replacement = c.function.name == "deriv" || c.function.name == "idelta" ? "rate() or irate()" : "increase()"
            findings.report(pe.range(c.position), """
                \(c.function.name)() on the counter "\(name)": it ignores counter resets, so each target \
                restart shows as a large negative change; use \(replacement) instead
                """, scopeLine: rule.range.start.line)
        }
    }
}
