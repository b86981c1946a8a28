/// `interval/scrape-timeout`: a scrape timeout longer than (or equal to) the scrape interval.
public struct ScrapeTimeoutCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "interval/scrape-timeout", defaultSeverity: .error,
        summary: "scrape_timeout is longer than, or as long as, scrape_interval.",
        doc: """
        A scrape may not take longer than the interval between scrapes: Prometheus refuses a \
        configuration whose scrape_timeout exceeds its scrape_interval (globally or for a job, where a job \
        inherits the global timeout). A timeout equal to the interval is accepted but leaves no headroom: a \
        slow target makes every scrape run into the next one, so scrapes are skipped and series go stale. \
        Keep the timeout below the interval (about 80% of it at most); that case is reported as info.
        """)

    public func check(config: ConfigView, context: ConfigContext, findings: inout Findings) {
        if let t = config.scrapeTimeoutNode, t.value > config.scrapeInterval {
            findings.report(t.range, """
                global scrape_timeout \(t.value) is longer than the global scrape_interval \
                \(config.scrapeInterval): Prometheus refuses to load this; lower the timeout below the interval
                """)
        }
        for job in config.jobs where !job.isExternal {
            let range = job.scrapeTimeoutNode?.range ?? job.scrapeIntervalNode?.range ?? job.name.range
            if job.scrapeTimeout > job.scrapeInterval {
                let inherited = job.scrapeTimeoutNode == nil ? " (inherited from global)" : ""
                findings.report(range, """
                    job "\(job.name.value)": scrape_timeout \(job.scrapeTimeout)\(inherited) is longer than its \
                    scrape_interval \(job.scrapeInterval): Prometheus refuses to load this; set a scrape_timeout \
                    below the interval
                    """, scopeLine: job.range.start.line)
            } else if let t = job.scrapeTimeoutNode, t.value.milliseconds > 0, t.value == job.scrapeInterval {
                findings.report(t.range, """
                    job "\(job.name.value)": scrape_timeout equals scrape_interval (\(t.value)): a slow target \
                    makes each scrape run into the next and scrapes get skipped; leave headroom (about 80% of \
                    the interval)
                    """, severity: .info, scopeLine: job.range.start.line)
            }
        }
    }
}
