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
    /// The previous scrape's series (head refs): all of them (for `scrape_series_added`), and those that
    /// get a staleness marker when they disappear; and what each exposed series became (`ScrapeSeriesCache`).
    private struct PreviousScrape {
        /// Sorted, without repeats (two appends a sample, one sort a scrape: cheaper than a set's hashing).
        var seen: [SeriesRef] = []
        var tracked: [SeriesRef] = []
        /// Whether there was a scrape (its report series exist).
        var scraped = false
        var cache = ScrapeSeriesCache()
    }
    private let previousSeries = SanitizedMutex(PreviousScrape())

    public init(target: ScrapeTarget, job: ScrapeConfig, head: Head, fetcher: any ScrapeFetcher) {
        self.target = target
        self.job = job
        self.head = head
        self.fetcher = fetcher
    }

    /// One scrape at `timestamp` (milliseconds); `clock` measures its duration (seconds, monotonic).
    ///
    /// A `forcedError` (the scrape loop's `target_limit` failure) fails the scrape without a request, as
    /// Prometheus's `setForcedError` does: `up` 0 with that message, the previous series marked stale.
    @discardableResult
    public func scrape(at timestamp: Int64, forcedError: String? = nil,
                       clock: @Sendable () -> Double = ScrapeClock.monotonicSeconds) async -> ScrapeReport {
        let start = clock()
        // The cache is taken for this scrape and handed back at commit (a concurrent scrape of the same
        // target, which the loop never makes, would just work without one).
        let cache = previousSeries.withLock { p in
            defer { p.cache = ScrapeSeriesCache(seed: 0) }
            return p.cache
        }
        var processor = ScrapeProcessor(target: target, job: job, timestamp: timestamp, cache: cache)
        let outcome: ScrapeProcessor.Outcome
        if let forcedError {
            outcome = .failed(forcedError, kind: .other)
        } else {
            switch await fetcher.fetch(ScrapeRequest(target: target, job: job)) {
            case .failure(let e):
                outcome = .failed(e.message, kind: e.kind)
            case .success(let response):
                outcome = processor.process(response)
            }
        }
        let duration = max(0, clock() - start)
        return previousSeries.withLock { previous in
            commit(outcome: outcome, processor: &processor, previous: &previous, duration: duration)
        }
    }

    /// Appends the scrape (or nothing, when it failed), staleness markers and the report series.
    private func commit(outcome: ScrapeProcessor.Outcome, processor: inout ScrapeProcessor, previous: inout PreviousScrape,
                        duration: Double) -> ScrapeReport {
        let t = processor.timestamp
        var report = ScrapeReport(timestamp: t, durationSeconds: duration, samplesScraped: processor.total,
                                  samplesPostRelabeling: processor.samples.count, seriesAdded: 0)
        var app = head.appender()
        var current = PreviousScrape(scraped: true)
        if case .failed(let message, let kind) = outcome {
            report.error = message
            report.errorKind = kind
        } else {
            current.seen.reserveCapacity(processor.samples.count)
            current.tracked.reserveCapacity(processor.samples.count)
            var runName = "", runLength = 0
            defer { if runLength > 0 { report.seriesPerMetric[runName, default: 0] += runLength } }
            for s in processor.samples {
                let known = processor.cache.entries[s.entry].ref
                var ref = known
                do throws(TSDBError) {
                    if let h = s.histogram {
                        ref = try app.appendHistogram(processor.cache.entries[s.entry].labels ?? Labels(), t: s.timestamp, h: h)
                    } else if let known {
                        do throws(TSDBError) {
                            try app.append(ref: known, t: s.timestamp, v: s.value)
                        } catch .unknownSeriesRef {
                            ref = nil
                            ref = try app.append(processor.cache.entries[s.entry].labels ?? Labels(), t: s.timestamp, v: s.value)
                        }
                    } else {
                        ref = try app.append(processor.cache.entries[s.entry].labels ?? Labels(), t: s.timestamp, v: s.value)
                    }
                } catch {
                    report.samplesRejected += 1
                    ref = ref ?? head.ref(for: processor.cache.entries[s.entry].labels ?? Labels())
                }
                // Samples of one metric come together: count runs, one dictionary update per run.
                if processor.cache.entries[s.entry].metricName != runName {
                    if runLength > 0 { report.seriesPerMetric[runName, default: 0] += runLength }
                    runName = processor.cache.entries[s.entry].metricName
                    runLength = 0
                }
                runLength += 1
                guard let ref else { continue }
                if ref != known { processor.cache.setRef(s.entry, ref) }
                current.seen.append(ref)
                if s.tracksStaleness { current.tracked.append(ref) }
            }
            Self.sortUnique(&current.seen)
            Self.sortUnique(&current.tracked)
            report.seriesAdded = Self.missing(current.seen, from: previous.seen).count
        }
        processor.cache.endScrape()
        current.cache = processor.cache
        for gone in Self.missing(previous.tracked, from: current.seen) {
            _ = try? app.append(ref: gone, t: t, v: StaleNaN)
        }
        previous = current
        let values = [report.up ? 1 : 0, duration, Double(report.samplesScraped),
                      Double(report.samplesPostRelabeling), Double(report.seriesAdded)]
        for (name, value) in zip(Self.reportSeriesNames, values) {
            _ = try? app.append(reportLabels(name), t: t, v: value)
        }
        app.commit()
        return report
    }

    /// Sorts refs and drops repeats (refs arrive mostly in order: the sort is close to linear).
    private static func sortUnique(_ refs: inout [SeriesRef]) {
        refs.sort()
        var out = 0
        for i in refs.indices where out == 0 || refs[out - 1] != refs[i] {
            refs[out] = refs[i]
            out += 1
        }
        refs.removeLast(refs.count - out)
    }

    /// The refs of sorted `refs` that sorted `other` lacks.
    private static func missing(_ refs: [SeriesRef], from other: [SeriesRef]) -> [SeriesRef] {
        var result: [SeriesRef] = []
        var j = 0
        for r in refs {
            while j < other.count && other[j] < r { j += 1 }
            if j == other.count || other[j] != r { result.append(r) }
        }
        return result
    }

    /// The report series Prometheus writes after every scrape, in its order.
    static let reportSeriesNames = ["up", "scrape_duration_seconds", "scrape_samples_scraped",
                                    "scrape_samples_post_metric_relabeling", "scrape_series_added"]

    private func reportLabels(_ name: String) -> Labels {
        var labels = target.labels
        labels["__name__"] = name
        return Labels(labels)
    }

    /// The target went away (Prometheus's `endOfRunStaleness`): a staleness marker at `timestamp` for every
    /// series of its last scrape that tracks staleness, and for its report series. Does nothing when the
    /// target was never scraped; a later scrape starts afresh.
    public func markEndOfRun(at timestamp: Int64) {
        previousSeries.withLock { previous in
            guard previous.scraped else { return }
            var app = head.appender()
            for gone in previous.tracked { _ = try? app.append(ref: gone, t: timestamp, v: StaleNaN) }
            for name in Self.reportSeriesNames { _ = try? app.append(reportLabels(name), t: timestamp, v: StaleNaN) }
            app.commit()
            previous = PreviousScrape()
        }
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
