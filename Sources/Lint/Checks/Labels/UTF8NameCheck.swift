import Engine

/// `labels/utf8-name`: metric or label names valid only with Prometheus 3's UTF-8 names.
public struct UTF8NameCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "labels/utf8-name", defaultSeverity: .error,
        summary: "A recorded metric name or a label name is valid only with UTF-8 names (Prometheus 3.x).",
        doc: """
        Prometheus 3 accepts any UTF-8 metric and label name; Prometheus 2 accepts only \
        `[a-zA-Z_:][a-zA-Z0-9_:]*` for metric names and `[a-zA-Z_][a-zA-Z0-9_]*` for label names and \
        refuses to load rule files using anything else. When the files target 2.x (`prometheus_version: \
        "2.x"` in .promtool-swift.yml or --prometheus-version 2.x) such names are errors. Even on 3.x they \
        must be quoted in PromQL (`{"my.metric"}`); prefer legacy names.
        """)

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        guard context.settings.prometheusVersion == .v2 else { return }
        let scope = rule.range.start.line
        if rule.kind == .record, !rule.name.value.isEmpty, !LegacyNames.isValidMetricName(rule.name.value) {
            findings.report(rule.name.range, """
                recording rule name "\(rule.name.value)" is not a legacy metric name \
                ([a-zA-Z_:][a-zA-Z0-9_:]*): Prometheus 2.x refuses it; use letters, digits, "_" and ":" only
                """, scopeLine: scope)
        }
        for (what, entries) in [("label", rule.labels), ("annotation", rule.annotations)] {
            for e in entries where !LegacyNames.isValidLabelName(e.name.value) {
                findings.report(e.name.range, """
                    \(what) name "\(e.name.value)" is not a legacy label name ([a-zA-Z_][a-zA-Z0-9_]*): \
                    Prometheus 2.x refuses it; use letters, digits and "_" only
                    """, scopeLine: scope)
            }
        }
        guard let pe = context.expression, pe.expr != nil else { return }
        var reported: Set<String> = []
        func report(_ name: String, metric: Bool, _ pos: PositionRange) {
            let ok = metric ? LegacyNames.isValidMetricName(name) : LegacyNames.isValidLabelName(name)
            guard !ok, !name.isEmpty, reported.insert(name).inserted else { return }
            findings.report(pe.range(pos), """
                \(metric ? "metric" : "label") name "\(name)" in the expression is valid only with UTF-8 names: \
                Prometheus 2.x cannot parse it; use a legacy name
                """, scopeLine: scope)
        }
        for node in pe.nodes {
            switch node {
            case .vectorSelector(let vs):
                for m in vs.matchers {
                    if m.name == "__name__" {
                        if m.type == .equal { report(m.value, metric: true, vs.position) }
                    } else {
                        report(m.name, metric: false, vs.position)
                    }
                }
            case .aggregate(let a):
                for l in a.grouping { report(l, metric: false, a.position) }
            case .binary(let b):
                for l in (b.matching?.matchingLabels ?? []) + (b.matching?.include ?? []) {
                    report(l, metric: false, node.position)
                }
            default:
                break
            }
        }
    }
}

/// Prometheus's legacy (pre-UTF-8) name rules.
public enum LegacyNames {
    public static func isValidMetricName(_ s: String) -> Bool {
        guard !s.isEmpty else { return false }
        for (i, b) in s.utf8.enumerated() {
            let alpha = (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F || b == 0x3A
            let digit = b >= 0x30 && b <= 0x39
            if !(alpha || (i > 0 && digit)) { return false }
        }
        return true
    }

    public static func isValidLabelName(_ s: String) -> Bool {
        guard !s.isEmpty else { return false }
        for (i, b) in s.utf8.enumerated() {
            let alpha = (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F
            let digit = b >= 0x30 && b <= 0x39
            if !(alpha || (i > 0 && digit)) { return false }
        }
        return true
    }
}
