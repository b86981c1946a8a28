import Engine

/// `labels/template-dropped`: templates reading a label the alert expression no longer has.
public struct TemplateDroppedLabelCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "labels/template-dropped", defaultSeverity: .warning,
        summary: "An alert template reads a label ($labels.x) that the expression's aggregation or matching removed.",
        doc: """
        `$labels` in an alert's annotations and labels holds the labels of the series the expression \
        returned. An aggregation (`sum by (job)`, `sum without (instance)`), `on(...)` vector matching, \
        `histogram_quantile` (drops `le`), a function (drops `__name__`) or `absent()` (keeps only equality \
        matchers) removes labels, and the template then renders an empty string: the page says \
        "instance  is down". Inside `{{ range query "…" }}` or `{{ with … }}` the dot is the query result, \
        so `.Labels.x` there is not reported (`$labels.x` still is). Keep the label in the aggregation (`by (job, instance)`) or stop referring to it.
        """)

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        guard rule.kind == .alert, let pe = context.expression, let expr = pe.expr else { return }
        var output: OutputLabels?
        for entry in rule.annotations + rule.labels {
            let refs = TemplateLabelRefs.references(in: entry.value.value)
            if refs.isEmpty { continue }
            let out = output ?? OutputLabels.of(expr)
            output = out
            let locator = ExprLocator(node: entry.valueNode, value: entry.value.value, source: context.source)
            for ref in refs where out.definitelyLacks(ref.name) {
                let end = ref.offset + ref.text.utf8.count
                findings.report(locator.range(start: ref.offset, end: end), """
                    alert "\(rule.name.value)": "\(entry.name.value)" uses \(ref.text), but the \
                    expression's result has no "\(ref.name)" label (\(Self.reason(out))), so it renders empty; \
                    keep "\(ref.name)" in the aggregation or matching, or drop the reference
                    """, scopeLine: rule.range.start.line)
            }
        }
    }

    static func reason(_ out: OutputLabels) -> String {
        switch out {
        case .only(let s):
            return s.isEmpty ? "it keeps no labels" : "it keeps only " + s.sorted().joined(separator: ", ")
        case .allExcept(let s):
            return "it drops " + s.sorted().joined(separator: ", ")
        }
    }
}

/// `labels/external-label-missing`: templates reading an external label the configuration does not set.
public struct ExternalLabelMissingCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "labels/external-label-missing", defaultSeverity: .warning,
        summary: "An alert template reads $externalLabels.x, but the Prometheus loading the rule has no such external label.",
        doc: """
        `$externalLabels` holds the `global.external_labels` of the Prometheus evaluating the rule. A \
        template reading one that is not configured renders an empty string (\"cluster  is down\"). Add \
        the external label to prometheus.yml, or fix the name. Only checked when the rule file is linted \
        together with the prometheus.yml that loads it.
        """)

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        guard rule.kind == .alert, context.hasConfig else { return }
        let configured = Set(context.config.externalLabels.map(\.name.value))
        for entry in rule.annotations + rule.labels {
            let refs = TemplateLabelRefs.references(in: entry.value.value, roots: ["$externalLabels.", ".ExternalLabels."])
            if refs.isEmpty { continue }
            let locator = ExprLocator(node: entry.valueNode, value: entry.value.value, source: context.source)
            for ref in refs where !configured.contains(ref.name) {
                let end = ref.offset + ref.text.utf8.count
                let known = configured.isEmpty ? "it has none" : "it has " + configured.sorted().joined(separator: ", ")
                findings.report(locator.range(start: ref.offset, end: end), """
                    alert "\(rule.name.value)": "\(entry.name.value)" uses \(ref.text), but \
                    \(context.config.path) sets no external label "\(ref.name)" (\(known)), so it renders empty; \
                    add it under global.external_labels or fix the name
                    """, scopeLine: rule.range.start.line)
            }
        }
    }
}
