import Engine

/// `interval/subquery-step`: subqueries in rules stepping faster than the rule is evaluated.
public struct SubqueryStepCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "interval/subquery-step", defaultSeverity: .warning,
        summary: "A subquery in a rule has a step shorter than the group's evaluation interval.",
        doc: """
        A subquery `expr[range:step]` re-evaluates `expr` at every step of the range, at every rule \
        evaluation. With a step shorter than the evaluation interval each evaluation recomputes many points \
        that the previous one already computed, and with a step shorter than the scrape interval the extra \
        points add no information at all. Record `expr` with a recording rule and apply the range function \
        to the recorded series, or leave the step out (it then defaults to the evaluation interval).
        """)

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        guard let pe = context.expression, pe.expr != nil else { return }
        let eval = context.evaluationInterval.milliseconds
        guard eval > 0 else { return }
        for node in pe.nodes {
            guard case .subquery(let s) = node, s.stepExpr == nil, s.stepMillis > 0, s.stepMillis < eval else { continue }
            let step = PromDurationText.format(milliseconds: s.stepMillis)
            let range = PromDurationText.format(milliseconds: s.rangeMillis)
            let points = s.stepMillis > 0 ? s.rangeMillis / s.stepMillis : 0
            findings.report(pe.range(node.position), """
                subquery [\(range):\(step)] steps faster than the evaluation interval \
                \(context.evaluationInterval): every evaluation recomputes about \(points) points of the inner \
                expression; record the inner expression and use a range selector over it, or omit the step
                """, scopeLine: rule.range.start.line)
        }
    }
}
