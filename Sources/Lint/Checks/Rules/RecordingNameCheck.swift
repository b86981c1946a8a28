/// `rules/recording-name`: recording rules not named `level:metric:operations`.
public struct RecordingNameCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "rules/recording-name", defaultSeverity: .info,
        summary: "A recording rule's name is not of the form level:metric:operations.",
        doc: """
        The Prometheus naming conventions for recording rules are `level:metric:operations`: the \
        aggregation level (labels kept), the metric name unchanged (minus `_total` after `rate`), and the \
        operations applied, newest first (`path:requests:rate5m`). The colons make recorded series easy to \
        tell from scraped ones (exporters must not use colons) and the meaning readable at a glance.
        """)

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        guard rule.kind == .record, !rule.name.value.isEmpty else { return }
        let parts = rule.name.value.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count >= 3, parts.allSatisfy({ !$0.isEmpty }) { return }
        findings.report(rule.name.range, """
            recording rule "\(rule.name.value)" is not named level:metric:operations (e.g. \
            "job:\(Self.guessMetric(rule.name.value)):rate5m"): recorded series are then indistinguishable \
            from scraped ones; rename it following the recording rule conventions
            """, scopeLine: rule.range.start.line)
    }

    static func guessMetric(_ name: String) -> String {
        let parts = name.split(separator: ":").filter { !$0.isEmpty }
        return parts.max(by: { $0.count < $1.count }).map(String.init) ?? "metric"
    }
}
