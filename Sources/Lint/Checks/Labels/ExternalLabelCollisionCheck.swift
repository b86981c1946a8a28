/// `labels/external-collision`: a rule label with the same name as an external label.
public struct ExternalLabelCollisionCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "labels/external-collision", defaultSeverity: .warning,
        summary: "A rule sets a label that is also an external label of the Prometheus that loads it.",
        doc: """
        External labels are attached to alerts and to series leaving this Prometheus (remote write, \
        federation) only when the series does not have the label already. A rule setting the same label \
        silently wins over the external label, so alerts and recorded series claim a different cluster, \
        replica or region than the server that produced them, and deduplication in Alertmanager, Thanos or \
        Mimir breaks. Rename the rule's label, or drop it and rely on the external label.
        """)

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        guard context.hasConfig, !context.config.externalLabels.isEmpty else { return }
        // Group labels are reported once, with the group's first rule.
        var entries = rule.labels
        if context.group.rules.first?.range == rule.range { entries += context.group.labels }
        for l in entries {
            guard let ext = context.config.externalLabels.first(where: { $0.name.value == l.name.value }) else {
                continue
            }
            findings.report(l.name.range, """
                \(rule.kind.rawValue) "\(rule.name.value)": label "\(l.name.value)" is also an external label \
                (\(l.name.value)="\(ext.value.value)" in \(context.config.path)); the rule's value wins and \
                hides which server produced the \(rule.kind == .alert ? "alert" : "series"); rename or drop it
                """, scopeLine: rule.range.start.line)
        }
    }
}
