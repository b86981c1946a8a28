import ConfigModel
import Engine

/// `unittest/eval-after-input`: an assertion evaluated after every input series has ended.
public struct UnitTestEvalTimeCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "unittest/eval-after-input", defaultSeverity: .warning,
        summary: "A unit test expects alerts or samples at an eval_time after every input series has ended.",
        doc: """
        An instant selector sees a sample for 5 minutes (the lookback delta), a range selector for its range. \
        When `eval_time` is later than the last sample of every input series plus what the tested expression \
        can look back (its ranges, offsets and those of the recording rules it reads), the expression \
        returns nothing, so a test expecting alerts or samples then can only fail. Extend the input series \
        (`0+1x120`) or move eval_time inside them. Expressions that produce results without data \
        (absent(), vector(), `@` modifiers, ALERTS) are not reported, nor are tests expecting nothing \
        (checking that an alert stays quiet once its data is gone is a fair test).
        """)

    /// Prometheus's default lookback delta.
    static let lookbackMillis: Int64 = 5 * 60 * 1000

    public func check(unitTest: UnitTestContext, findings: inout Findings) {
        guard let rules = unitTest.rules else { return }
        var horizons = Horizons(rules: rules)
        for group in unitTest.file.tests {
            guard let last = group.lastSampleMillis else { continue }
            for t in group.alertTests where t.expectsAlerts {
                guard let eval = t.evalTime else { continue }
                let alerts = rules.filter { $0.kind == .alert && $0.name.value == t.alertname.value }
                guard !alerts.isEmpty else { continue }
                var reach: Int64 = 0
                var known = true
                for a in alerts {
                    guard let h = horizons.of(a.expr?.value ?? "") else { known = false; break }
                    let keep = a.keepFiringFor?.value.milliseconds ?? 0
                    reach = max(reach, Self.add(h, max(keep, 0)))
                }
                guard known else { continue }
                report(eval, last: last, reach: reach, what: "alert \"\(t.alertname.value)\"",
                       scope: t.range.start.line, findings: &findings)
            }
            for t in group.exprTests where t.expectsSamples {
                guard let eval = t.evalTime, let h = horizons.of(t.expr.value) else { continue }
                report(eval, last: last, reach: h, what: "expression", scope: t.range.start.line, findings: &findings)
            }
        }
    }

    func report(_ eval: Located<PromDuration>, last: Int64, reach: Int64, what: String, scope: Int,
                findings: inout Findings) {
        let visible = Self.add(last, reach)
        guard eval.value.milliseconds > visible else { return }
        findings.report(eval.range, """
            eval_time \(eval.value) is after the input series end (last sample at \
            \(PromDurationText.format(milliseconds: last)); the \(what) can see data until \
            \(PromDurationText.format(milliseconds: visible))): it returns nothing then, so the expected \
            results can never appear; extend the input series or evaluate earlier
            """, scopeLine: scope)
    }

    /// `a + b`, saturating at Int64.max (durations are non-negative here).
    static func add(_ a: Int64, _ b: Int64) -> Int64 {
        let (r, o) = a.addingReportingOverflow(b)
        return o ? Int64.max : r
    }

    /// How long after the last input sample an expression can still return something, following the
    /// recording rules it reads; nil when it can return results without input (absent(), vector(), `@`).
    struct Horizons {
        var recorded: [String: [String]] = [:]
        /// Known answers by expression text (each recording rule is followed once, whatever the fan-out).
        var memo: [String: Int64?] = [:]

        init(rules: [RuleView]) {
            for r in rules where r.kind == .record {
                if let e = r.expr?.value { recorded[r.name.value, default: []].append(e) }
            }
        }

        mutating func of(_ text: String, depth: Int = 0) -> Int64? {
            if let known = memo[text] { return known }
            // Marked unknown while it is worked out, so a rule reading itself ends the recursion.
            memo[text] = .some(nil)
            let h = compute(text, depth: depth)
            memo[text] = h
            return h
        }

        private mutating func compute(_ text: String, depth: Int) -> Int64? {
            guard depth < 16, case .success(let expr) = LintParsers.parse(text) else { return nil }
            var total: Int64 = UnitTestEvalTimeCheck.lookbackMillis
            var deepest: Int64 = 0
            for node in ExprFacts.nodes(expr) {
                switch node {
                case .call(let c):
                    if ["absent", "absent_over_time", "vector"].contains(c.function.name) { return nil }
                case .vectorSelector(let vs):
                    if vs.timestampMillis != nil || vs.modifiers.startOrEnd != nil { return nil }
                    let name = ExprFacts.metricName(vs) ?? ""
                    if name.isEmpty || name == "ALERTS" || name == "ALERTS_FOR_STATE" { return nil }
                    total = UnitTestEvalTimeCheck.add(total, max(vs.offsetMillis, 0))
                    if let sources = recorded[name] {
                        for s in sources {
                            guard let h = of(s, depth: depth + 1) else { return nil }
                            deepest = max(deepest, h)
                        }
                    }
                case .matrixSelector(let m):
                    total = UnitTestEvalTimeCheck.add(total, max(m.rangeMillis, 0))
                case .subquery(let s):
                    if s.modifiers.timestampMillis != nil || s.modifiers.startOrEnd != nil { return nil }
                    total = UnitTestEvalTimeCheck.add(total, UnitTestEvalTimeCheck.add(max(s.rangeMillis, 0), max(s.modifiers.offsetMillis, 0)))
                case .numberLiteral, .stringLiteral, .binary, .aggregate, .paren, .unary:
                    break
                }
            }
            // Expressions made of literals only return a result whatever the input.
            guard !ExprFacts.selectors(expr).isEmpty else { return nil }
            return UnitTestEvalTimeCheck.add(total, deepest)
        }
    }
}
