import Engine

/// `promql/division-guard`: divisions in alerts whose denominator can be zero.
public struct DivisionGuardCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "promql/division-guard", defaultSeverity: .info,
        summary: "An alert divides by a series that can be 0 (0/0 is NaN, x/0 is +Inf) without a guard.",
        doc: """
        When traffic stops, `errors / requests` becomes 0/0 = NaN: every comparison with NaN is false, so \
        an alert on a low success ratio silently stops firing exactly when everything is down, while x/0 = \
        +Inf makes `> threshold` alerts fire. Guard the denominator (`/ (requests > 0)`, \
        `/ clamp_min(requests, 1)`) or add a separate alert for missing traffic.
        """)

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        guard rule.kind == .alert, let pe = context.expression, pe.expr != nil else { return }
        for node in pe.nodes {
            guard case .binary(let b) = node, b.op == .div, b.rhs.type == .vector else { continue }
            if Self.guarded(b.rhs) { continue }
            findings.report(pe.range(b.rhs.position), """
                alert "\(rule.name.value)": the denominator can be 0, making the ratio NaN (0/0) or +Inf, and \
                comparisons with NaN are always false; guard it, e.g. / (denominator > 0) or clamp_min(denominator, 1)
                """, scopeLine: rule.range.start.line)
        }
    }

    /// True when the expression cannot be zero: filtered by a comparison, clamped, or offset by a constant.
    static func guarded(_ e: Expr, depth: Int = 0) -> Bool {
        guard depth < 100 else { return true }
        switch e.unwrappingParens {
        case .binary(let b):
            if b.op.isComparison && !b.returnBool { return true }
            if b.op == .and || b.op == .unless { return true }
            if b.op == .add, b.lhs.type == .scalar || b.rhs.type == .scalar { return true }
            if b.op == .or { return guarded(b.lhs, depth: depth + 1) && guarded(b.rhs, depth: depth + 1) }
            return false
        case .call(let c):
            if ["clamp_min", "clamp", "vector", "time", "absent", "absent_over_time"].contains(c.function.name) { return true }
            return false
        case .aggregate(let a):
            if a.op == .count { return true }  // count of something is at least 1 when present
            return guarded(a.expr, depth: depth + 1)
        case .numberLiteral(let n): return n.value != 0
        default:
            return false
        }
    }
}
