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
/// Use: `sync()` to discover the targets, then `run(scrapesPerTarget:)` or `run(until:)`. While a run goes
/// on, the `file_sd_configs` files are read again as Prometheus reads them: at once when something changes
/// in a pattern's directory (`FileSDWatcher`, inotify), and every `refresh_interval` (the shortest of the
/// jobs') whatever happens: targets that appear are scheduled at their offset, targets that go get their
/// staleness markers. `sync()` may also be called between runs; `sync` and `run` are not meant to overlap.
public final class ScrapeLoop: Sendable {
    /// Makes the fetcher a job's scrapes go through (the CLI passes the HTTP one).
    public typealias FetcherFactory = @Sendable (ScrapeConfig) throws(ScrapeFetchError) -> any ScrapeFetcher

    public struct Options: Sendable {
        /// Scrapes in flight at once, at most.
        public var parallelism: Int
        /// The instance seed of target offsets (`ScrapeOffset.localSeed` for a real run).
        public var offsetSeed: UInt64

        /// Re-read the file_sd files at least this often (ms), when shorter than their `refresh_interval`.
        public var fileSDWatchMillis: Int64?
        /// Re-read the file_sd files when their directories change (inotify), as Prometheus does; off, only
        /// the periodic re-read happens.
        public var watchFileSD: Bool

        public init(parallelism: Int = 64, offsetSeed: UInt64 = 0, fileSDWatchMillis: Int64? = nil, watchFileSD: Bool = true) {
            self.parallelism = parallelism
            self.offsetSeed = offsetSeed
            self.fileSDWatchMillis = fileSDWatchMillis
            self.watchFileSD = watchFileSD
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
    public func sync() -> SyncReport { sync(now: clock.now()) }

    /// `sync()` as of `now` (a run re-reads the files at its scheduled watch times).
    ///
    /// A job whose file_sd files could not all be read keeps its targets that are no longer found, as
    /// Prometheus keeps the last good target groups of a file it fails to read (a file caught half-written
    /// does not make its targets go stale).
    @discardableResult
    func sync(now: Int64) -> SyncReport {
        var report = SyncReport()
        var jobsWithFileErrors = Set<String>()
        var found: [(Key, ScrapeTarget, ScrapeConfig, String?)] = []
        var jobFetchers: [String: any ScrapeFetcher] = state.withLock { $0.fetchers }
        for job in jobs {
            let discovered = JobTargets.discover(job)
            if !discovered.fileErrors.isEmpty { jobsWithFileErrors.insert(job.jobName) }
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
        state.withLock { s in
            s.fetchers = jobFetchers
            // Targets of jobs with unreadable files stay, in their old place, after the ones found.
            for key in s.order where jobsWithFileErrors.contains(key.job) && !found.contains(where: { $0.0 == key }) {
                guard let kept = s.entries[key] else { continue }
                found.append((key, kept.scraper.target, kept.scraper.job, kept.forcedError))
            }
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

    /// Scrapes every target `count` times at its schedule (targets file_sd adds during the run too);
    /// returns when all are done.
    @discardableResult
    public func run(scrapesPerTarget count: Int, onScrape: (@Sendable (Event) -> Void)? = nil) async -> RunSummary {
        await run(horizon: nil, onScrape: onScrape) { _, done in done < count }
    }

    /// Runs every scrape scheduled at or before `end` (ms).
    @discardableResult
    public func run(until end: Int64, onScrape: (@Sendable (Event) -> Void)? = nil) async -> RunSummary {
        await run(horizon: end, onScrape: onScrape) { next, _ in next <= end }
    }

    /// The file_sd configs of every job.
    var fileSDConfigs: [FileSDConfig] {
        jobs.flatMap { job in job.serviceDiscoveryConfigs.entries.compactMap { $0.config as? FileSDConfig } }
    }

    /// The interval at which a run re-reads file_sd files: the shortest `refresh_interval` (or
    /// `fileSDWatchMillis` when shorter); nil when no job has file_sd configs.
    var fileSDRereadInterval: Int64? {
        guard let shortest = fileSDConfigs.map(\.refreshInterval.milliseconds).min() else { return nil }
        return max(1, min(options.fileSDWatchMillis ?? shortest, shortest))
    }

    /// Runs in rounds between file_sd re-reads (one round when there is no file_sd): each round scrapes
    /// what is due before the next periodic re-read, then the files are read again at that time; a change
    /// the watcher sees ends the round at once and the files are read again then (the periodic re-reads
    /// keep their times). Ends when no target has more to do and the horizon (if any) is passed.
    private func run(horizon: Int64?, onScrape: (@Sendable (Event) -> Void)?,
                     more: @escaping @Sendable (Int64, Int) -> Bool) async -> RunSummary {
        guard let reread = fileSDRereadInterval else {
            return await runRound(before: nil, changes: nil, done: [:], onScrape: onScrape, more: more).0
        }
        let watcher = options.watchFileSD ? FileSDWatcher.start(patterns: fileSDConfigs.flatMap(\.files)) : nil
        defer { watcher?.stop() }
        let changes = watcher?.changes
        var total = RunSummary()
        var done: [Key: Int] = [:]
        var boundary = clock.now() &+ reread
        while !Task.isCancelled {
            let (summary, counts) = await runRound(before: boundary, changes: changes, done: done, onScrape: onScrape, more: more)
            total.scrapes += summary.scrapes
            total.failed += summary.failed
            total.samples += summary.samples
            done = counts
            if changes?.consume() == true {
                sync(now: clock.now())
                continue
            }
            let pending = state.withLock { s in
                s.order.contains { k in s.entries[k].map { more($0.next, done[k] ?? 0) } ?? false }
            }
            guard pending || (horizon.map { boundary <= $0 } ?? false) else { break }
            if let changes {
                if await changes.sleep(until: boundary, on: clock) { continue }
            } else {
                await clock.sleep(until: boundary)
            }
            sync(now: boundary)
            boundary = boundary &+ reread
        }
        return total
    }

    /// One child task per target, each sleeping until its next scrape and then waiting for a slot;
    /// `more(next, scrapesDone)` says whether the target scrapes again, `before` (when set) stops every
    /// target at its first scrape due at or after that time, a change marked in `changes` stops every
    /// target at once (a scrape under way finishes). Returns the scrapes done per target, `done` included.
    private func runRound(before: Int64?, changes: FileSDChangeSignal?, done: [Key: Int], onScrape: (@Sendable (Event) -> Void)?,
                          more: @escaping @Sendable (Int64, Int) -> Bool) async -> (RunSummary, [Key: Int]) {
        let snapshot: [(Key, Entry, Int)] = state.withLock { s in
            s.order.compactMap { k in s.entries[k].map { (k, $0, done[k] ?? 0) } }
        }
        let slots = ScrapeSlots(options.parallelism)
        let clock = self.clock
        let outcomes = await withTaskGroup(of: (Key, Int64, RunSummary, Int).self, returning: [(Key, Int64, RunSummary, Int)].self) { group in
            for (key, entry, earlier) in snapshot {
                group.addTask {
                    var next = entry.next
                    var summary = RunSummary()
                    while !Task.isCancelled && !(changes?.isPending ?? false)
                            && more(next, earlier + summary.scrapes) && before.map({ next < $0 }) ?? true {
                        if let changes {
                            if await changes.sleep(until: next, on: clock) { break }
                        } else {
                            await clock.sleep(until: next)
                        }
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
                    return (key, next, summary, earlier + summary.scrapes)
                }
            }
            var all: [(Key, Int64, RunSummary, Int)] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        var total = RunSummary()
        var counts = done
        state.withLock { s in
            for (key, next, summary, scrapes) in outcomes {
                s.entries[key]?.next = next
                counts[key] = scrapes
                total.scrapes += summary.scrapes
                total.failed += summary.failed
                total.samples += summary.samples
            }
        }
        return (total, counts)
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
