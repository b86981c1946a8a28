/// `labels/reserved`: a rule setting a label whose name starts with `__`.
public struct ReservedLabelCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "labels/reserved", defaultSeverity: .warning,
        summary: "A rule sets a label whose name starts with __ (reserved for Prometheus internals).",
        doc: """
        Label names beginning with `__` are reserved for Prometheus itself (`__name__`, relabelling's \
        `__address__`, `__meta_*`, …). Setting one from a rule overwrites internal state (`__name__` \
        renames the series) or produces series that other tools drop or mishandle. Use a name without the \
        leading underscores.
        """)

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        var entries = rule.labels
        if context.group.rules.first?.range == rule.range { entries += context.group.labels }
        for l in entries where l.name.value.hasPrefix("__") {
            findings.report(l.name.range, """
                \(rule.kind.rawValue) "\(rule.name.value)": label "\(l.name.value)" starts with "__", which is \
                reserved for Prometheus internals; rename it (e.g. "\(l.name.value.drop { $0 == "_" })")
                """, scopeLine: rule.range.start.line)
        }
    }
}
