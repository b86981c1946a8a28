import Engine

/// `cardinality/regex-match-all`: matchers such as `label=~".*"` that match everything.
public struct RegexMatchAllCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "cardinality/regex-match-all", defaultSeverity: .warning,
        summary: "A matcher =~\".*\" (or =~\".+\") that selects every value of a label.",
        doc: """
        `label=~".*"` matches every value, including a missing label, so it filters nothing while still \
        costing a regex evaluation per series; on `__name__` it selects every metric. `label=~".+"` only \
        asks for the label to exist, which `label!=""` says faster and more clearly. Remove the matcher \
        or replace it.
        """)

    static let matchAll: Set<String> = [".*", "^.*$", "(.*)", ".*?"]
    static let matchNonEmpty: Set<String> = [".+", "^.+$", "(.+)"]

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        guard let pe = context.expression, pe.expr != nil else { return }
        for vs in pe.selectors {
            for m in vs.matchers where m.type == .regexMatch {
                if Self.matchAll.contains(m.value) {
                    findings.report(pe.range(vs.position), """
                        matcher \(m.name)=~"\(m.value)" matches every value (even a missing label) and filters \
                        nothing\(m.name == "__name__" ? "; on __name__ it selects every metric" : ""); remove it
                        """, scopeLine: rule.range.start.line)
                } else if Self.matchNonEmpty.contains(m.value) {
                    findings.report(pe.range(vs.position), """
                        matcher \(m.name)=~"\(m.value)" only requires the label to be set; write \(m.name)!="" \
                        which needs no regex
                        """, severity: .info, scopeLine: rule.range.start.line)
                }
            }
        }
    }
}

/// `cardinality/no-metric-name`: selectors that do not name a metric.
public struct NoMetricNameCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "cardinality/no-metric-name", defaultSeverity: .warning,
        summary: "A selector without a metric name ({job=\"x\"}) reads every metric of the matching series.",
        doc: """
        A selector such as `{job="api"}` has no metric name, so Prometheus must look at every series of \
        every metric carrying that label: slow, memory-hungry, and its result changes whenever a new metric \
        appears. In a rule, which runs every evaluation, name the metric (`up{job="api"}`) or at least \
        restrict `__name__` with a specific regex.
        """)

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        guard let pe = context.expression, pe.expr != nil else { return }
        for vs in pe.selectors where vs.name.isEmpty {
            let nameMatchers = vs.matchers.filter { $0.name == "__name__" }
            let specific = nameMatchers.contains { m in
                m.type == .equal || (m.type == .regexMatch && !RegexMatchAllCheck.matchAll.contains(m.value)
                    && !RegexMatchAllCheck.matchNonEmpty.contains(m.value))
            }
            if specific { continue }
            findings.report(pe.range(vs.position), """
                selector without a metric name reads every metric of the matching series on each evaluation; \
                name the metric (e.g. up\(Self.matchersText(vs)))
                """, scopeLine: rule.range.start.line)
        }
    }

    static func matchersText(_ vs: VectorSelector) -> String {
        "{" + vs.matchers.filter { $0.name != "__name__" }.map(\.description).joined(separator: ", ") + "}"
    }
}

/// `cardinality/high-cardinality-by`: aggregations keeping a high-cardinality label.
public struct HighCardinalityByCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "cardinality/high-cardinality-by", defaultSeverity: .warning,
        summary: "An aggregation keeps a high-cardinality label (by (user_id), by (path), …).",
        doc: """
        Aggregating `by` a label whose values are unbounded (user ids, request paths, IPs, emails, …) keeps \
        one output series per value: a recording rule writes them all to the TSDB every evaluation, an alert \
        fires one alert per value. Aggregate away such labels, or bucket them first (label_replace to a \
        bounded set). The list of labels is `high_cardinality_labels` in .promtool-swift.yml.
        """)

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        guard let pe = context.expression, pe.expr != nil else { return }
        let high = context.settings.highCardinalityLabels
        for node in pe.nodes {
            guard case .aggregate(let a) = node, !a.without else { continue }
            let bad = a.grouping.filter { high.contains($0) }
            guard !bad.isEmpty else { continue }
            findings.report(pe.range(a.position), """
                \(a.op.rawValue) by (\(a.grouping.joined(separator: ", "))) keeps \
                \(bad.map { "\"\($0)\"" }.joined(separator: ", ")), a high-cardinality label: one output series \
                per value; aggregate it away or map it to a bounded set first
                """, scopeLine: rule.range.start.line)
        }
    }
}

/// `cardinality/recording-no-aggregation`: recording rules that aggregate nothing.
public struct RecordingNoAggregationCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "cardinality/recording-no-aggregation", defaultSeverity: .info,
        summary: "A recording rule has no aggregation: it writes one new series per input series.",
        doc: """
        A recording rule without an aggregation (sum, max, count, …) records one series for every series \
        it reads, doubling the cardinality of its input. That is sometimes intended (an instance-level \
        rate to aggregate further), but a rule that only copies or rescales its input costs storage for \
        nothing. Aggregate to the level the consumers need (`sum without (instance)`), or query the input \
        directly.
        """)

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        guard rule.kind == .record, let pe = context.expression, pe.expr != nil else { return }
        guard !pe.selectors.isEmpty, !pe.aggregates else { return }
        // absent()/vector() and friends produce at most one series.
        let names = Set(pe.calls.map(\.function.name))
        if !names.isDisjoint(with: ["absent", "absent_over_time", "scalar", "vector"]) { return }
        findings.report(rule.expr?.range ?? rule.name.range, """
            recording rule "\(rule.name.value)" has no aggregation: it writes one series per input series, \
            doubling their cardinality; aggregate (e.g. sum without (instance) (...)) unless per-series output \
            is intended
            """, scopeLine: rule.range.start.line)
    }
}
