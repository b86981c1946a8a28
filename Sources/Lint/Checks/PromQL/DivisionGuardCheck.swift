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
        `/ clamp_min(requests, 1)`, or `… and requests > 0` around the ratio) or add a separate alert for \
        missing traffic. Off by default: in most ratio alerts (errors / requests > 0.05) a NaN simply means \
        "no alert", which is what is wanted; enable it (`enable: [promql/division-guard]`) to review them.
        """, enabledByDefault: false)

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        guard rule.kind == .alert, let pe = context.expression, pe.expr != nil else { return }
        let guardedNames = Self.namesGuardedByAnd(pe.nodes)
        for node in pe.nodes {
            guard case .binary(let b) = node, b.op == .div, b.rhs.type == .vector else { continue }
            if Self.guarded(b.rhs) { continue }
            let names = ExprFacts.selectors(b.rhs).compactMap(ExprFacts.metricName)
            if !names.isEmpty, names.allSatisfy(guardedNames.contains) { continue }
            findings.report(pe.range(b.rhs.position), """
                alert "\(rule.name.value)": the denominator can be 0, making the ratio NaN (0/0) or +Inf, and \
                comparisons with NaN are always false; guard it, e.g. / (denominator > 0) or clamp_min(denominator, 1)
                """, scopeLine: rule.range.start.line)
        }
    }

    /// Metric names that some `and` operand requires to be positive (`… and requests > 0`,
    /// `… and on(job) sum(requests) >= 1`): a ratio over them is already guarded.
    static func namesGuardedByAnd(_ nodes: [Expr]) -> Set<String> {
        var out: Set<String> = []
        for node in nodes {
            guard case .binary(let b) = node, b.op == .and else { continue }
            for inner in ExprFacts.nodes(b.rhs) {
                guard case .binary(let cmp) = inner, cmp.op.isComparison, !cmp.returnBool,
                      case .numberLiteral(let n) = cmp.rhs.unwrappingParens else { continue }
                let positive = (cmp.op == .gtr && n.value >= 0) || (cmp.op == .gte && n.value > 0)
                    || (cmp.op == .neq && n.value == 0)
                if positive { out.formUnion(ExprFacts.selectors(cmp.lhs).compactMap(ExprFacts.metricName)) }
            }
        }
        return out
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
