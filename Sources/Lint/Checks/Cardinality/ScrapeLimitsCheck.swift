/// `cardinality/no-scrape-limits`: scrape jobs without `sample_limit` and `label_limit`.
public struct ScrapeLimitsCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "cardinality/no-scrape-limits", defaultSeverity: .info,
        summary: "A scrape job has no sample_limit or label_limit (nor a global one).",
        doc: """
        Without limits one misbehaving target (a label holding request ids, a bug emitting a new series \
        per call) can push millions of series into the TSDB and take Prometheus down with it. \
        `sample_limit` fails the scrape of a target exposing more samples than that; `label_limit` one with \
        more labels per series. Set them per job (or under `global:`), a comfortable margin above today's numbers.
        """)

    public func check(config: ConfigView, context: ConfigContext, findings: inout Findings) {
        let globalSamples = (config.globalSampleLimit?.value ?? 0) > 0
        let globalLabels = (config.globalLabelLimit?.value ?? 0) > 0
        for job in config.jobs where !job.isExternal {
            var missing: [String] = []
            if !globalSamples, (job.sampleLimit?.value ?? 0) <= 0 { missing.append("sample_limit") }
            if !globalLabels, (job.labelLimit?.value ?? 0) <= 0 { missing.append("label_limit") }
            guard !missing.isEmpty else { continue }
            findings.report(job.name.range, """
                job "\(job.name.value)" has no \(missing.joined(separator: " or ")): a single target emitting \
                unbounded series can overload Prometheus; set \(missing.joined(separator: " and ")) for the job \
                or under global:
                """, scopeLine: job.range.start.line)
        }
    }
}
