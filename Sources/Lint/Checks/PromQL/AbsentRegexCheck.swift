import Engine

/// `promql/absent-regex`: absent() over a selector with non-equality matchers.
public struct AbsentRegexCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "promql/absent-regex", defaultSeverity: .warning,
        summary: "absent() with a regex or negative matcher: it fires only when all matching series are gone.",
        doc: """
        absent(x{job=~"a|b"}) returns a series only when no series matches at all, so it does not notice \
        job "a" disappearing while "b" still reports; and its output has no `job` label (absent() keeps \
        only equality matchers' labels), so the alert cannot say which one. Write one absent() per value \
        with `=` matchers, or compare against an expected set: `count by (job) (up{job=~"a|b"}) unless ...`.
        """)

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        guard let pe = context.expression, pe.expr != nil else { return }
        for c in pe.calls where c.function.name == "absent" || c.function.name == "absent_over_time" {
            guard var target = c.args.first?.unwrappingParens else { continue }
            if case .matrixSelector(let m) = target { target = m.vectorSelector }
            guard case .vectorSelector(let vs) = target else { continue }
            let loose = vs.matchers.filter { $0.type != .equal && $0.name != "__name__" }
            guard let first = loose.first else { continue }
            findings.report(pe.range(c.position), """
                \(c.function.name)() with matcher \(first) fires only when no series matches at all, not per \
                value, and its result has no "\(first.name)" label; use one \(c.function.name)() per value with \
                "=" matchers
                """, scopeLine: rule.range.start.line)
        }
    }
}
