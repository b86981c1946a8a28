import ConfigModel
import Engine
import ScrapeHTTP

/// The one job of a config written inline (validated as Prometheus validates it).
func loadJob(_ yaml: String) throws -> ScrapeConfig {
    let cfg = try PrometheusConfig.parse(yaml)
    return try #require(cfg.scrapeConfigs.first)
}

/// A job scraping `server`, with `extra` YAML lines indented under the job.
func job(for server: ScrapeTestServer, _ extra: String = "") throws -> ScrapeConfig {
    let lines = extra.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
    return try loadJob("""
    scrape_configs:
      - job_name: test
        static_configs:
          - targets: ["\(server.address)"]
    \(lines)
    """)
}

/// The job's single target, populated and relabelled.
func onlyTarget(_ job: ScrapeConfig) throws -> ScrapeTarget {
    let t = try #require(JobTargets.discover(job).populated().first)
    return try #require(ScrapeTarget(t, job: job))
}

/// Scrapes `job`'s single target into `head` at `t` through the real HTTP fetcher.
@discardableResult
func scrapeOnce(_ job: ScrapeConfig, head: Head, at t: Int64 = 1_000_000, scraper: TargetScraper? = nil) async throws -> ScrapeReport {
    let s = try scraper ?? TargetScraper(target: onlyTarget(job), job: job, head: head, fetcher: TransportScrapeFetcher(job: job))
    return await s.scrape(at: t)
}

/// The samples of the series whose labels are exactly `labels`.
func samples(_ head: Head, _ labels: [String: String]) -> [Sample] {
    let matchers = labels.compactMap { try? LabelMatcher(.equal, $0.key, $0.value) }
    return head.select(matchers, mint: .min, maxt: .max)
        .filter { $0.labels == Labels(labels) }
        .flatMap { $0.samples(in: Int64.min...Int64.max) }
}

/// The metric names in `head`.
func metricNames(_ head: Head) -> [String] { head.labelValues("__name__") }

import Testing

/// The HTTP fetcher per job, as the CLI makes it.
let httpFetchers: ScrapeLoop.FetcherFactory = { @Sendable job throws(ScrapeFetchError) -> any ScrapeFetcher in
    try TransportScrapeFetcher(job: job)
}

/// `labels` plus `__name__`.
func named(_ name: String, _ labels: [String: String]) -> [String: String] {
    labels.merging(["__name__": name]) { $1 }
}
