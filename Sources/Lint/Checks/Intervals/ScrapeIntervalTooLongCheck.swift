import ConfigModel

/// `interval/scrape-too-long`: scrape intervals above 2 minutes, which break staleness handling.
public struct ScrapeIntervalTooLongCheck: LintCheck {
    public init() {}

    static let limit = PromDuration.minutes(2)

    public let info = CheckInfo(
        id: "interval/scrape-too-long", defaultSeverity: .warning,
        summary: "A scrape interval longer than 2 minutes.",
        doc: """
        PromQL looks back at most 5 minutes (the lookback delta) for the latest sample of a series. With a \
        scrape interval above about 2 minutes, a single failed or late scrape leaves instant queries, \
        alerts and recording rules without data, so graphs have gaps and alerts flap. Scrape at 2 minutes \
        or less; for slow-changing data expose it more often, or record it with a timestamp-free gauge.
        """)

    public func check(config: ConfigView, context: ConfigContext, findings: inout Findings) {
        if let g = config.scrapeIntervalNode, g.value > Self.limit {
            findings.report(g.range, """
                global scrape_interval \(g.value) is longer than 2m: with the 5m lookback delta one missed \
                scrape makes series disappear from queries and alerts; scrape every 2m or less
                """)
        }
        for job in config.jobs where !job.isExternal {
            guard let si = job.scrapeIntervalNode, si.value > Self.limit else { continue }
            findings.report(si.range, """
                job "\(job.name.value)": scrape_interval \(si.value) is longer than 2m: with the 5m lookback \
                delta one missed scrape makes its series disappear from queries and alerts; scrape every 2m or less
                """, scopeLine: job.range.start.line)
        }
    }
}
