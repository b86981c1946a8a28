import Engine

/// `promql/alert-no-condition`: alert expressions that return series all the time.
public struct AlertConditionCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "promql/alert-no-condition", defaultSeverity: .warning,
        summary: "An alert expression has no comparison or filter, so it fires for every series it returns.",
        doc: """
        An alerting rule fires for every series its expression returns. `rate(errors_total[5m])` returns a \
        series for every target all the time, so the alert is always firing (and `x > bool 1` returns 0 or \
        1, never nothing). Add the condition as a filtering comparison (`rate(errors_total[5m]) > 0.1`), \
        or use `and`/`unless`/`absent()` to select the series that are in trouble. Expressions \
        without any selector (`vector(1)`, a deliberate always-firing watchdog) are not reported, nor are \
        selectors whose label matcher is the condition: on info-style metrics whose value is always 1 \
        (`node_network_info{operstate="down"}`, `…_metadata{allow_any_host="yes"}`) and on `ALERTS`, a \
        series exists only while that state holds.
        """)

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        guard rule.kind == .alert, let pe = context.expression, let expr = pe.expr else { return }
        // Constant expressions (`vector(1)`, a watchdog) are always-firing on purpose.
        guard expr.type == .vector, !pe.selectors.isEmpty, !ExprFacts.filters(expr) else { return }
        let boolNote = pe.nodes.contains {
            if case .binary(let b) = $0, b.returnBool { return true }
            return false
        } ? " (a comparison with `bool` returns 0 or 1 and filters nothing)" : ""
        findings.report(rule.expr?.range ?? rule.name.range, """
            alert "\(rule.name.value)": the expression has no comparison or filter\(boolNote), so every series \
            it returns is an alert and it fires permanently; add a condition such as `> threshold`
            """, scopeLine: rule.range.start.line)
    }
}
