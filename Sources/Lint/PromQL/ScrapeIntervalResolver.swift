import ConfigModel
import Engine

/// Which scrape interval a selector's data arrives at: the slowest job its `job` matcher can match, else
/// the global interval.
public struct ScrapeIntervalResolution: Sendable {
    public var interval: PromDuration
    /// Human text saying where the interval comes from.
    public var basis: String
}

extension RuleContext {
    /// The scrape interval of the data `selector` selects; nil when unknown (no configuration, no assumption).
    public func scrapeInterval(for selector: VectorSelector) -> ScrapeIntervalResolution? {
        guard hasConfig else {
            guard scrapeIntervalKnown else { return nil }
            return ScrapeIntervalResolution(
                interval: config.scrapeInterval,
                basis: "the scrape_interval \(config.scrapeInterval) assumed in the lint configuration")
        }
        let jobMatchers = selector.matchers.filter { $0.name == "job" }
        if !jobMatchers.isEmpty {
            let jobs = config.jobs.filter { j in jobMatchers.allSatisfy { $0.matches(j.name.value) } }
            if let slowest = jobs.max(by: { $0.scrapeInterval < $1.scrapeInterval }) {
                let names = jobs.count == 1 ? "job \"\(slowest.name.value)\"" : "job \"\(slowest.name.value)\" (slowest of \(jobs.count) matching jobs)"
                return ScrapeIntervalResolution(interval: slowest.scrapeInterval,
                                                basis: "the scrape_interval \(slowest.scrapeInterval) of \(names)")
            }
        }
        return ScrapeIntervalResolution(interval: config.scrapeInterval,
                                        basis: "the global scrape_interval \(config.scrapeInterval)")
    }
}
