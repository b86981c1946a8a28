import ConfigModel
import Locking

/// Scrapes one target into a TSDB head as Prometheus's scrape loop does for a single iteration:
/// request, content negotiation, parsing, `honor_labels`, `metric_relabel_configs`, limits, appending,
/// the report series, and staleness markers for series that disappeared (or all of them on failure).
///
/// The series seen in the previous scrape are kept between calls so repeated scrapes mark staleness.
public final class TargetScraper: Sendable {
    public let target: ScrapeTarget
    public let job: ScrapeConfig
    private let head: Head
    private let fetcher: any ScrapeFetcher
    /// The previous scrape's series: all of them (for `scrape_series_added`), and those that get a
    /// staleness marker when they disappear.
    private struct PreviousScrape {
        var seen: Set<Labels> = []
        var tracked: Set<Labels> = []
    }
    private let previousSeries = SanitizedMutex(PreviousScrape())

    public init(target: ScrapeTarget, job: ScrapeConfig, head: Head, fetcher: any ScrapeFetcher) {
        self.target = target
        self.job = job
        self.head = head
        self.fetcher = fetcher
    }

    /// One scrape at `timestamp` (milliseconds); `clock` measures its duration (seconds, monotonic).
    @discardableResult
    public func scrape(at timestamp: Int64, clock: @Sendable () -> Double = ScrapeClock.monotonicSeconds) async -> ScrapeReport {
        let start = clock()
        let request = ScrapeRequest(target: target, job: job)
        let fetched = await fetcher.fetch(request)
        let duration = max(0, clock() - start)
        var processor = ScrapeProcessor(target: target, job: job, timestamp: timestamp)
        let outcome: ScrapeProcessor.Outcome
        switch fetched {
        case .failure(let e):
            outcome = .failed(e.message, kind: e.kind)
        case .success(let response):
            outcome = processor.process(response)
        }
        return previousSeries.withLock { previous in
            commit(outcome: outcome, processor: processor, previous: &previous, duration: duration)
        }
    }

    /// Appends the scrape (or nothing, when it failed), staleness markers and the report series.
    private func commit(outcome: ScrapeProcessor.Outcome, processor: ScrapeProcessor, previous: inout PreviousScrape,
                        duration: Double) -> ScrapeReport {
        let t = processor.timestamp
        var report = ScrapeReport(timestamp: t, durationSeconds: duration, samplesScraped: processor.total,
                                  samplesPostRelabeling: processor.samples.count, seriesAdded: 0)
        var app = head.appender()
        var current = PreviousScrape()
        if case .failed(let message, let kind) = outcome {
            report.error = message
            report.errorKind = kind
        } else {
            for s in processor.samples {
                let isNewInScrape = current.seen.insert(s.labels).inserted
                if s.tracksStaleness { current.tracked.insert(s.labels) }
                do {
                    try app.append(s.labels, t: s.timestamp, v: s.value)
                } catch {
                    report.samplesRejected += 1
                }
                if isNewInScrape && !previous.seen.contains(s.labels) { report.seriesAdded += 1 }
                report.seriesPerMetric[s.labels.metricName ?? "", default: 0] += 1
            }
        }
        for gone in previous.tracked where !current.seen.contains(gone) {
            _ = try? app.append(gone, t: t, v: StaleNaN)
        }
        previous = current
        let reportSeries: [(String, Double)] = [
            ("up", report.up ? 1 : 0),
            ("scrape_duration_seconds", duration),
            ("scrape_samples_scraped", Double(report.samplesScraped)),
            ("scrape_samples_post_metric_relabeling", Double(report.samplesPostRelabeling)),
            ("scrape_series_added", Double(report.seriesAdded)),
        ]
        for (name, value) in reportSeries {
            var labels = target.labels
            labels["__name__"] = name
            _ = try? app.append(Labels(labels), t: t, v: value)
        }
        app.commit()
        return report
    }
}

/// The scraper's clock, in seconds (for `scrape_duration_seconds`).
public enum ScrapeClock {
    @Sendable public static func monotonicSeconds() -> Double {
        let d = ContinuousClock.now - ContinuousClock.zeroReference
        let (s, atto) = d.components
        return Double(s) + Double(atto) / 1e18
    }
}

extension ContinuousClock {
    /// A fixed instant to measure from.
    fileprivate static let zeroReference = ContinuousClock.now
}
