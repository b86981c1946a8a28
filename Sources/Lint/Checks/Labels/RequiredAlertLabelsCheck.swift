/// `labels/required-labels`: alerts lacking labels the team requires (default: `severity`).
public struct RequiredAlertLabelsCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "labels/required-labels", defaultSeverity: .warning,
        summary: "An alerting rule lacks a required label (default: severity).",
        doc: """
        Alertmanager routes, silences and inhibits alerts by their labels. An alert without the labels the \
        routing tree expects (by default `severity`; configure `required_alert_labels` in \
        .promtool-swift.yml) ends up at the default receiver or is never paged. Add the label under the \
        rule's `labels:`.
        """)

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        guard rule.kind == .alert else { return }
        let missing = context.settings.requiredAlertLabels.filter { name in
            rule.label(name) == nil && !context.group.labels.contains { $0.name.value == name }
        }
        guard !missing.isEmpty else { return }
        let list = missing.map { "\"\($0)\"" }.joined(separator: ", ")
        findings.report(rule.name.range, """
            alert "\(rule.name.value)" has no \(list) label\(missing.count > 1 ? "s" : ""): Alertmanager routes \
            and silences by these, so the alert may reach the wrong receiver; add \(missing.count > 1 ? "them" : "it") \
            under labels:
            """, scopeLine: rule.range.start.line)
    }
}

/// `labels/required-annotations`: alerts lacking annotations the team requires (default: `summary`).
public struct RequiredAlertAnnotationsCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "labels/required-annotations", defaultSeverity: .warning,
        summary: "An alerting rule lacks a required annotation (default: summary).",
        doc: """
        Annotations are what a person paged at night reads: a `summary`, a `description`, a \
        `runbook_url`. An alert without them says only its name. Configure the list with \
        `required_alert_annotations` in .promtool-swift.yml and add the annotations under the rule's \
        `annotations:`. Without that setting the default asks for a `summary`, and a `description` or \
        `message` annotation (as many mixins write) also counts; once configured, the list is strict.
        """)

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        guard rule.kind == .alert else { return }
        let settings = context.settings
        let missing = settings.requiredAlertAnnotations.filter { rule.annotation($0) == nil }
        guard !missing.isEmpty else { return }
        if !settings.requiredAlertAnnotationsConfigured, missing == ["summary"],
           rule.annotation("description") != nil || rule.annotation("message") != nil { return }
        let list = missing.map { "\"\($0)\"" }.joined(separator: ", ")
        findings.report(rule.name.range, """
            alert "\(rule.name.value)" has no \(list) annotation\(missing.count > 1 ? "s" : ""): whoever is paged \
            gets only the alert name; add \(missing.count > 1 ? "them" : "it") under annotations:
            """, scopeLine: rule.range.start.line)
    }
}
