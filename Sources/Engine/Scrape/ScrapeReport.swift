/// What one scrape did: the values of the report series Prometheus writes after every scrape, and
/// the error that made `up` 0.
public struct ScrapeReport: Sendable, Equatable {
    /// Scrape time (milliseconds since the epoch); the report series and un-timestamped samples use it.
    public var timestamp: Int64
    public var durationSeconds: Double
    /// `scrape_samples_scraped`: samples in the response.
    public var samplesScraped: Int
    /// `scrape_samples_post_metric_relabeling`.
    public var samplesPostRelabeling: Int
    /// `scrape_series_added`: series not in the previous scrape of this target.
    public var seriesAdded: Int
    /// Why the scrape failed (`up` 0); nil when it succeeded.
    public var error: String?
    /// What went wrong, for reports that classify failures (refused, timeout, …).
    public var errorKind: ScrapeFetchError.Kind?
    /// Samples whose append the head refused (out of order or duplicate), as Prometheus counts and skips them.
    public var samplesRejected: Int = 0
    /// Number of series per metric name in this scrape, after relabelling.
    public var seriesPerMetric: [String: Int] = [:]

    public var up: Bool { error == nil }
    /// Series of this scrape after relabelling.
    public var seriesCount: Int { samplesPostRelabeling }
}
