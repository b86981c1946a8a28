import ConfigModel
import Locking

/// Scrapes every target of a set of jobs on its job's interval, as Prometheus's scrape manager does:
/// targets from `static_configs` and `file_sd_configs`, each first scraped at its offset in the interval
/// (`ScrapeOffset`), then every interval; at most `parallelism` scrapes in flight; `target_limit`
/// failing every target of a job that has too many; staleness markers when a target goes away (and,
/// through `TargetScraper`, when a series vanishes or a scrape fails).
///
/// Time comes from an injected `ScrapeSchedulingClock`, so tests run many intervals without waiting.
/// Scrapes are stamped with their scheduled time, as Prometheus aligns them; one that starts more than
/// Prometheus's 2 ms tolerance late (a busy machine, a full set of slots) is stamped with its real start.
///
/// Use: `sync()` to (re)discover the targets, then `run(scrapesPerTarget:)` or `run(until:)`; call
/// `sync()` again when the target files may have changed (targets that went away get their staleness
/// markers then). `sync` and `run` are not meant to overlap.
public final class ScrapeLoop: Sendable {
    /// Makes the fetcher a job's scrapes go through (the CLI passes the HTTP one).
    public typealias FetcherFactory = @Sendable (ScrapeConfig) throws(ScrapeFetchError) -> any ScrapeFetcher

    public struct Options: Sendable {
        /// Scrapes in flight at once, at most.
        public var parallelism: Int
        /// The instance seed of target offsets (`ScrapeOffset.localSeed` for a real run).
        public var offsetSeed: UInt64

        public init(parallelism: Int = 64, offsetSeed: UInt64 = 0) {
            self.parallelism = parallelism
            self.offsetSeed = offsetSeed
        }
    }

    /// What `sync` found.
    public struct SyncReport: Sendable, Equatable {
        /// Targets now scraped (after relabelling and de-duplication).
        public var active = 0
        public var added = 0
        public var removed = 0
        /// What Prometheus would log and carry on without: unreadable target files, jobs whose HTTP
        /// client cannot be built (their targets are not scraped).
        public var problems: [String] = []
        /// `job: mechanism` for service discovery that only works against a live API.
        public var runtimeMechanisms: [String] = []

        public init(active: Int = 0, added: Int = 0, removed: Int = 0, problems: [String] = [], runtimeMechanisms: [String] = []) {
            self.active = active
            self.added = added
            self.removed = removed
            self.problems = problems
            self.runtimeMechanisms = runtimeMechanisms
        }
    }

    /// One scrape that happened.
    public struct Event: Sendable {
        public var job: String
        public var target: ScrapeTarget
        public var report: ScrapeReport
    }

    /// What a `run` did.
    public struct RunSummary: Sendable, Equatable {
        public var scrapes = 0
        /// Scrapes with `up` 0.
        public var failed = 0
        /// Samples kept after relabelling, summed over the scrapes.
        public var samples = 0

        public init(scrapes: Int = 0, failed: Int = 0, samples: Int = 0) {
            self.scrapes = scrapes
            self.failed = failed
            self.samples = samples
        }
    }

    /// A target's identity: its job and its labels after relabelling (Prometheus hashes labels and URL,
    /// and the URL is made of the labels).
    struct Key: Hashable, Sendable {
        var job: String
        var labels: [String: String]
    }

    struct Entry: Sendable {
        var scraper: TargetScraper
        var interval: Int64
        /// Scheduled time of the next scrape (ms).
        var next: Int64
        /// The job's `target_limit` failure, when it has one.
        var forcedError: String?
    }

    private struct State: Sendable {
        var entries: [Key: Entry] = [:]
        /// Discovery order, so runs and reports are deterministic.
        var order: [Key] = []
        var fetchers: [String: any ScrapeFetcher] = [:]
    }

    /// Prometheus's `ScrapeTimestampTolerance`.
    static let timestampToleranceMillis: Int64 = 2

    public let jobs: [ScrapeConfig]
    public let head: Head
    private let makeFetcher: FetcherFactory
    private let clock: any ScrapeSchedulingClock
    private let options: Options
    private let state = SanitizedMutex(State())

    public init(jobs: [ScrapeConfig], head: Head, fetcher: @escaping FetcherFactory,
                clock: any ScrapeSchedulingClock = SystemScrapeClock(), options: Options = Options()) {
        self.jobs = jobs
        self.head = head
        self.makeFetcher = fetcher
        self.clock = clock
        self.options = options
    }

    /// Targets currently scraped, in discovery order.
    public var targets: [ScrapeTarget] {
        state.withLock { s in s.order.compactMap { s.entries[$0]?.scraper.target } }
    }

    /// Discovers every job's targets now: new targets are scheduled at their offset from `clock.now()`,
    /// targets that are gone get staleness markers at the time of their next scrape (Prometheus's
    /// `endOfRunStaleness`), and `target_limit` is applied per job.
    @discardableResult
    public func sync() -> SyncReport {
        var report = SyncReport()
        var found: [(Key, ScrapeTarget, ScrapeConfig, String?)] = []
        var jobFetchers: [String: any ScrapeFetcher] = state.withLock { $0.fetchers }
        for job in jobs {
            let discovered = JobTargets.discover(job)
            report.problems += discovered.fileErrors.map { "job \(job.jobName): file_sd: \($0.positionedDescription(defaultFile: job.sourceFile ?? ""))" }
            report.runtimeMechanisms += discovered.runtimeMechanisms.map { "\(job.jobName): \($0)" }
            var seen = Set<Key>()
            var targets: [(Key, ScrapeTarget)] = []
            for populated in discovered.populated() {
                guard let target = ScrapeTarget(populated, job: job) else { continue }
                let key = Key(job: job.jobName, labels: target.allLabels)
                if seen.insert(key).inserted { targets.append((key, target)) }
            }
            if targets.isEmpty { continue }
            if jobFetchers[job.jobName] == nil {
                do throws(ScrapeFetchError) {
                    jobFetchers[job.jobName] = try makeFetcher(job)
                } catch {
                    report.problems.append("job \(job.jobName): \(error.message)")
                    continue
                }
            }
            let forced = Self.targetLimitError(count: targets.count, limit: job.targetLimit)
            found += targets.map { ($0.0, $0.1, job, forced) }
        }
        let now = clock.now()
        state.withLock { s in
            s.fetchers = jobFetchers
            let keep = Set(found.map(\.0))
            for key in s.order where !keep.contains(key) {
                guard let gone = s.entries.removeValue(forKey: key) else { continue }
                gone.scraper.markEndOfRun(at: gone.next)
                report.removed += 1
            }
            var order: [Key] = []
            for (key, target, job, forced) in found {
                order.append(key)
                if var existing = s.entries[key] {
                    existing.forcedError = forced
                    s.entries[key] = existing
                    continue
                }
                guard let fetcher = s.fetchers[job.jobName] else { continue }
                let interval = max(1, target.interval.milliseconds)
                let delay = ScrapeOffset.delay(now: now, interval: interval, hash: ScrapeOffset.targetHash(target), seed: options.offsetSeed)
                s.entries[key] = Entry(scraper: TargetScraper(target: target, job: job, head: head, fetcher: fetcher),
                                       interval: interval, next: now &+ delay, forcedError: forced)
                report.added += 1
            }
            s.order = order
            report.active = order.count
        }
        return report
    }

    /// Prometheus's `refreshTargetLimitErr` text, when a job has more targets than its `target_limit`.
    static func targetLimitError(count: Int, limit: UInt) -> String? {
        guard limit > 0, UInt(count) > limit else { return nil }
        return "target_limit exceeded (number of targets: \(count), limit: \(limit))"
    }

    /// Scrapes every target `count` times at its schedule; returns when all are done.
    @discardableResult
    public func run(scrapesPerTarget count: Int, onScrape: (@Sendable (Event) -> Void)? = nil) async -> RunSummary {
        await run(onScrape: onScrape) { _, done in done < count }
    }

    /// Runs every scrape scheduled at or before `end` (ms).
    @discardableResult
    public func run(until end: Int64, onScrape: (@Sendable (Event) -> Void)? = nil) async -> RunSummary {
        await run(onScrape: onScrape) { next, _ in next <= end }
    }

    /// One child task per target, each sleeping until its next scrape and then waiting for a slot;
    /// `more(next, scrapesDone)` says whether the target scrapes again.
    private func run(onScrape: (@Sendable (Event) -> Void)?, more: @escaping @Sendable (Int64, Int) -> Bool) async -> RunSummary {
        let snapshot: [(Key, Entry)] = state.withLock { s in s.order.compactMap { k in s.entries[k].map { (k, $0) } } }
        let slots = ScrapeSlots(options.parallelism)
        let clock = self.clock
        let outcomes = await withTaskGroup(of: (Key, Int64, RunSummary).self, returning: [(Key, Int64, RunSummary)].self) { group in
            for (key, entry) in snapshot {
                group.addTask {
                    var next = entry.next
                    var summary = RunSummary()
                    while !Task.isCancelled && more(next, summary.scrapes) {
                        await clock.sleep(until: next)
                        let report = await slots.withSlot { () async -> ScrapeReport in
                            let start = clock.now()
                            let t = start > next &+ Self.timestampToleranceMillis ? start : next
                            return await entry.scraper.scrape(at: t, forcedError: entry.forcedError)
                        }
                        summary.scrapes += 1
                        if !report.up { summary.failed += 1 }
                        summary.samples += report.samplesPostRelabeling
                        onScrape?(Event(job: entry.scraper.job.jobName, target: entry.scraper.target, report: report))
                        next = Self.following(next, interval: entry.interval, now: clock.now())
                    }
                    return (key, next, summary)
                }
            }
            var all: [(Key, Int64, RunSummary)] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        var total = RunSummary()
        state.withLock { s in
            for (key, next, summary) in outcomes {
                s.entries[key]?.next = next
                total.scrapes += summary.scrapes
                total.failed += summary.failed
                total.samples += summary.samples
            }
        }
        return total
    }

    /// The next scheduled time after `previous`: one interval on, or — when the scrape ran so late that
    /// more intervals have passed — the last boundary already due (Go's ticker drops the missed ticks but
    /// delivers one at once).
    static func following(_ previous: Int64, interval: Int64, now: Int64) -> Int64 {
        let next = previous &+ interval
        guard now > next else { return next }
        return next &+ ((now &- next) / interval) &* interval
    }
}
