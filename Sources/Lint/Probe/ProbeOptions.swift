import ConfigModel

/// Settings of one `check config --probe` run.
public struct ProbeOptions: Sendable {
    /// Replaces every target's `scrape_timeout` (nil: the configuration's).
    public var timeout: PromDuration?
    /// A label of one metric with more distinct values than this on one target is reported.
    public var cardinalityThreshold = 100
    /// A scrape that took at least this fraction of its timeout is reported as slow.
    public var slowFraction = 0.8
    /// How many metric names the series finding lists.
    public var topMetrics = 5
    /// Targets scraped at the same time.
    public var parallelism = 16
    /// Scrape time, milliseconds since the epoch.
    public var now: Int64 = 0

    public init(timeout: PromDuration? = nil, cardinalityThreshold: Int = 100, now: Int64 = 0) {
        self.timeout = timeout
        self.cardinalityThreshold = cardinalityThreshold
        self.now = now
    }
}
