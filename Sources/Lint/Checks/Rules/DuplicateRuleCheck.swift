/// `rules/duplicate`: the same recording rule (name and labels) or alert defined twice across the files.
public struct DuplicateRuleCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "rules/duplicate", defaultSeverity: .warning,
        summary: "Two rules record the same series, or two alerts have the same name and labels, in what one Prometheus loads.",
        doc: """
        Two recording rules with the same name and the same static labels write the same series: their \
        samples interleave or are rejected as out-of-order/duplicate, and the recorded data is garbage. Two \
        alerting rules with the same name and labels send indistinguishable alerts, usually a copy-pasted \
        rule edited in one place only. Rename one, give them distinct labels, or delete the copy. Rules \
        are compared within what one Prometheus loads: the rule files of one prometheus.yml, or, for rule \
        files linted without theirs, the files of one directory (so `staging/` and `production/` copies, or \
        two servers' folders in a monorepo, are not duplicates of each other).
        """)

    public func check(ruleSet: RuleSetContext, findings: inout Findings) {
        var first: [String: (file: String, line: Int)] = [:]
        for (file, _, unit) in ruleSet.files {
            for group in file.groups {
                for rule in group.rules where !rule.name.value.isEmpty {
                    let labels = rule.labels.map { "\($0.name.value)=\($0.value.value)" }.sorted().joined(separator: ",")
                    let key = "\(unit)\u{0}\(rule.kind.rawValue)\u{0}\(rule.name.value)\u{0}\(labels)"
                    // Alerts with different expressions are usually deliberate (e.g. warning/critical pairs
                    // share labels only if copy-pasted); same name and labels is what matters.
                    if let prev = first[key] {
                        let whereText = prev.file == file.path ? "line \(prev.line)" : "\(prev.file):\(prev.line)"
                        let what = rule.kind == .record
                            ? "recording rule \"\(rule.name.value)\" with the same labels is already defined at \(whereText): both write the same series and corrupt it"
                            : "alert \"\(rule.name.value)\" with the same labels is already defined at \(whereText): the two are indistinguishable in Alertmanager"
                        findings.report(rule.name.range, what + "; rename one, give them distinct labels, or remove the copy",
                                        scopeLine: rule.range.start.line, file: file.path)
                    } else {
                        first[key] = (file.path, rule.range.start.line)
                    }
                }
            }
        }
    }
}
