import ConfigModel
import Engine
import Foundation
import ScrapeHTTP
import Locking
import Testing

/// The scrape loop over many targets: schedule and offsets, the concurrency bound, `target_limit`,
/// staleness when a target goes away, failures isolated per target. Real HTTP on 127.0.0.1; a virtual
/// clock so 15 s intervals take no time.
@Suite struct ScrapeLoopTests {
    let start: Int64 = 1_700_000_000_123

    func loop(_ yaml: String, clock: VirtualScrapeClock, parallelism: Int = 64,
              fetcher: @escaping ScrapeLoop.FetcherFactory = httpFetchers) throws -> (ScrapeLoop, Head) {
        let head = Head()
        let config = try PrometheusConfig.parse(yaml)
        return (ScrapeLoop(jobs: config.scrapeConfigs, head: head, fetcher: fetcher, clock: clock,
                           options: .init(parallelism: parallelism, offsetSeed: 42)), head)
    }

    /// When `target` is first scraped by a loop started at `now`.
    func firstScrape(_ target: ScrapeTarget, now: Int64, interval: Int64) -> Int64 {
        now + ScrapeOffset.delay(now: now, interval: interval, hash: ScrapeOffset.targetHash(target), seed: 42)
    }

    @Test(arguments: [Int64(1_700_000_000_000), 1_700_000_007_777, 5, -31_000])
    func offsetPinsEachTargetToOnePhaseOfItsInterval(now: Int64) {
        let interval: Int64 = 15_000
        for hash: UInt64 in [0, 1, 14_999, 15_000, 123_456_789, .max] {
            let delay = ScrapeOffset.delay(now: now, interval: interval, hash: hash, seed: 7)
            #expect((1...interval).contains(delay))
            // The phase depends only on the hash and the seed, not on when the loop started.
            let phase = ((now + delay) % interval + interval) % interval
            #expect(phase == Int64((hash ^ 7) % UInt64(interval)))
        }
    }

    @Test func targetsOfAJobGetDifferentOffsets() throws {
        let job = try loadJob("""
        scrape_configs:
          - job_name: spread
            static_configs:
              - targets: ["10.0.0.1:9100", "10.0.0.2:9100", "10.0.0.3:9100", "10.0.0.4:9100"]
        """)
        let targets = JobTargets.discover(job).populated().compactMap { ScrapeTarget($0, job: job) }
        let delays = Set(targets.map { ScrapeOffset.delay(now: start, interval: 60_000, hash: ScrapeOffset.targetHash($0), seed: 0) })
        #expect(delays.count == 4)
        // Another instance (another seed) scrapes the same targets at other phases.
        #expect(ScrapeOffset.seed(hostname: "a", externalLabels: Labels()) != ScrapeOffset.seed(hostname: "b", externalLabels: Labels()))
    }

    @Test func everyTargetIsScrapedAtItsOffsetThenEveryIntervalOfItsJob() async throws {
        let a = try await ScrapeTestServer { _ in .init(text: "m{k=\"a\"} 1\n") }
        let b = try await ScrapeTestServer { _ in .init(text: "m{k=\"b\"} 2\nn 3\n") }
        let clock = VirtualScrapeClock(now: start)
        let (loop, head) = try loop("""
        scrape_configs:
          - job_name: fast
            scrape_interval: 15s
            static_configs: [{targets: ["\(a.address)"]}]
          - job_name: slow
            scrape_interval: 1m
            static_configs: [{targets: ["\(b.address)"]}]
        """, clock: clock)
        #expect(loop.sync() == ScrapeLoop.SyncReport(active: 2, added: 2))
        let summary = await loop.run(scrapesPerTarget: 3)
        await a.stop()
        await b.stop()
        #expect(summary == ScrapeLoop.RunSummary(scrapes: 6, failed: 0, samples: 9))
        #expect(a.requests.count == 3)
        #expect(b.requests.count == 3)
        let targets = loop.targets
        try #require(targets.count == 2)
        for (target, interval) in zip(targets, [Int64(15_000), 60_000]) {
            let first = firstScrape(target, now: start, interval: interval)
            #expect(samples(head, named("up", target.labels)).map(\.t) == [first, first + interval, first + 2 * interval])
        }
        // A second run continues each schedule where the first stopped.
        let end = firstScrape(targets[1], now: start, interval: 60_000) + 3 * 60_000
        let fastNext = firstScrape(targets[0], now: start, interval: 15_000) + 3 * 15_000
        let more = await loop.run(until: end)
        #expect(more.scrapes == Int((end - fastNext) / 15_000 + 1) + 1)
        #expect(samples(head, named("up", targets[0].labels)).last?.t == fastNext + (end - fastNext) / 15_000 * 15_000)
        #expect(samples(head, named("up", targets[1].labels)).last?.t == end)
    }

    @Test func scrapesInFlightAreBoundedByTheParallelism() async throws {
        let server = try await ScrapeTestServer { _ in .init(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4")],
                                                             body: Array("m 1\n".utf8), delayMillis: 100) }
        let counting = SanitizedMutex<[CountingFetcher]>([])
        let factory: ScrapeLoop.FetcherFactory = { @Sendable job throws(ScrapeFetchError) -> any ScrapeFetcher in
            let f = CountingFetcher(try TransportScrapeFetcher(job: job))
            counting.withLock { $0.append(f) }
            return f
        }
        let groups = (1...6).map { "      - targets: [\"\(server.address)\"]\n        labels: {n: \"\($0)\"}" }.joined(separator: "\n")
        let (loop, _) = try loop("""
        scrape_configs:
          - job_name: many
            static_configs:
        \(groups)
        """, clock: VirtualScrapeClock(now: start), parallelism: 2, fetcher: factory)
        #expect(loop.sync().active == 6)
        let summary = await loop.run(scrapesPerTarget: 2)
        await server.stop()
        #expect(summary.scrapes == 12)
        #expect(summary.failed == 0)
        let fetcher = try #require(counting.withLock { $0.first })
        #expect(fetcher.total == 12)
        #expect(fetcher.maxInFlight == 2)
    }

    @Test func targetLimitFailsEveryTargetOfTheJobWithoutScrapingIt() async throws {
        let limited = try await ScrapeTestServer { _ in .init(text: "m 1\n") }
        let other = try await ScrapeTestServer { _ in .init(text: "m 1\n") }
        let clock = VirtualScrapeClock(now: start)
        let (loop, head) = try loop("""
        scrape_configs:
          - job_name: limited
            target_limit: 2
            static_configs:
              - targets: ["\(limited.address)", "localhost:\(limited.port)"]
              - targets: ["\(limited.address)"]
                labels: {extra: "x"}
          - job_name: other
            target_limit: 1
            static_configs: [{targets: ["\(other.address)"]}]
        """, clock: clock)
        let errors = SanitizedMutex<[String: Set<String>]>([:])
        loop.sync()
        let summary = await loop.run(scrapesPerTarget: 1) { event in
            _ = errors.withLock { $0[event.job, default: []].insert(event.report.error ?? "ok") }
        }
        await limited.stop()
        await other.stop()
        #expect(summary == ScrapeLoop.RunSummary(scrapes: 4, failed: 3, samples: 1))
        #expect(errors.withLock { $0 } == ["limited": ["target_limit exceeded (number of targets: 3, limit: 2)"], "other": ["ok"]])
        #expect(limited.requests.isEmpty)
        #expect(other.requests.count == 1)
        let ups = head.select([try LabelMatcher(.equal, "__name__", "up")], mint: .min, maxt: .max)
        #expect(ups.map { $0.labels["job"] ?? "" }.sorted() == ["limited", "limited", "limited", "other"])
        #expect(ups.map { $0.samples(in: Int64.min...Int64.max).map(\.float) == [$0.labels["job"] == "other" ? 1 : 0] } == [true, true, true, true])
    }

    @Test func aTargetThatGoesAwayIsMarkedStaleAtItsNextScrapeTime() async throws {
        let a = try await ScrapeTestServer { _ in .init(text: "m{s=\"a\"} 1\n") }
        let b = try await ScrapeTestServer { _ in .init(text: "m{s=\"b\"} 2\n") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scrape-loop-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/targets.json"
        try "[{\"targets\": [\"\(a.address)\", \"\(b.address)\"], \"labels\": {\"env\": \"test\"}}]".write(toFile: file, atomically: true, encoding: .utf8)
        let clock = VirtualScrapeClock(now: start)
        let (loop, head) = try loop("""
        scrape_configs:
          - job_name: files
            scrape_interval: 15s
            file_sd_configs: [{files: ["\(file)"]}]
        """, clock: clock)
        #expect(loop.sync().active == 2)
        await loop.run(scrapesPerTarget: 2)
        let gone = try #require(loop.targets.first { $0.labels["instance"] == b.address })
        try "[{\"targets\": [\"\(a.address)\"], \"labels\": {\"env\": \"test\"}}]".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(loop.sync() == ScrapeLoop.SyncReport(active: 1, removed: 1))
        let staleAt = firstScrape(gone, now: start, interval: 15_000) + 2 * 15_000
        for name in ["m", "up", "scrape_samples_scraped"] {
            var labels = named(name, gone.labels)
            if name == "m" { labels["s"] = "b" }
            let got = samples(head, labels)
            #expect(got.count == 3, "\(name)")
            #expect(got.last?.float.map(isStaleNaN) == true, "\(name)")
            #expect(got.last?.t == staleAt, "\(name)")
        }
        let after = await loop.run(scrapesPerTarget: 1)
        await a.stop()
        await b.stop()
        #expect(after.scrapes == 1)
        #expect(a.requests.count == 3)
        #expect(b.requests.count == 2)
    }

    @Test func aFailingTargetIsDownWithItsReasonAndTheOthersAreUnaffected() async throws {
        let calls = SanitizedMutex(0)
        let flaky = try await ScrapeTestServer { _ in
            calls.withLock { $0 += 1; return $0 } == 1 ? .init(text: "m 1\n") : .init(status: 500, body: Array("boom".utf8))
        }
        let fine = try await ScrapeTestServer { _ in .init(text: "m 2\n") }
        let clock = VirtualScrapeClock(now: start)
        let (loop, head) = try loop("""
        scrape_configs:
          - job_name: flaky
            static_configs: [{targets: ["\(flaky.address)"]}]
          - job_name: fine
            static_configs: [{targets: ["\(fine.address)"]}]
          - job_name: nobody
            static_configs: [{targets: ["127.0.0.1:1"]}]
        """, clock: clock)
        loop.sync()
        let reasons = SanitizedMutex<[String: String]>([:])
        let summary = await loop.run(scrapesPerTarget: 2) { e in reasons.withLock { $0[e.job] = e.report.error ?? "ok" } }
        await flaky.stop()
        await fine.stop()
        #expect(summary.scrapes == 6)
        #expect(summary.failed == 3)
        let got = reasons.withLock { $0 }
        #expect(got["flaky"] == "server returned HTTP status 500 Internal Server Error")
        #expect(got["fine"] == "ok")
        #expect(got["nobody"]?.contains("connection refused") == true, "\(got["nobody"] ?? "")")
        let flakyTarget = try #require(loop.targets.first { $0.labels["job"] == "flaky" })
        let m = samples(head, named("m", flakyTarget.labels))
        #expect(m.count == 2)
        #expect(m.last?.float.map(isStaleNaN) == true)
        #expect(samples(head, named("up", flakyTarget.labels)).map(\.float) == [1, 0])
        let fineTarget = try #require(loop.targets.first { $0.labels["job"] == "fine" })
        #expect(samples(head, named("m", fineTarget.labels)).map(\.float) == [2, 2])
    }

    /// Later scrapes go through the per-target series cache: they must give what the first scrape gave.
    @Test func laterScrapesRelabelAndCountSeriesAsTheFirst() async throws {
        let calls = SanitizedMutex(0)
        let server = try await ScrapeTestServer { _ in
            let n = calls.withLock { $0 += 1; return $0 }
            return .init(text: "keep{a=\"1\"} \(n)\ndrop_me 1\nrename{job=\"inner\"} 2\n" + (n == 3 ? "fresh 1\n" : ""))
        }
        let (loop, head) = try loop("""
        scrape_configs:
          - job_name: cached
            static_configs: [{targets: ["\(server.address)"]}]
            metric_relabel_configs:
              - {source_labels: [__name__], regex: drop_me, action: drop}
        """, clock: VirtualScrapeClock(now: start))
        loop.sync()
        let reports = SanitizedMutex<[ScrapeReport]>([])
        await loop.run(scrapesPerTarget: 3) { e in reports.withLock { $0.append(e.report) } }
        await server.stop()
        let got = reports.withLock { $0 }
        #expect(got.map(\.samplesScraped) == [3, 3, 4])
        #expect(got.map(\.samplesPostRelabeling) == [2, 2, 3])
        #expect(got.map(\.seriesAdded) == [2, 0, 1])
        let target = try #require(loop.targets.first)
        #expect(samples(head, named("keep", target.labels).merging(["a": "1"]) { $1 }).map(\.float) == [1, 2, 3])
        #expect(samples(head, named("rename", target.labels).merging(["exported_job": "inner"]) { $1 }).count == 3)
        #expect(samples(head, named("drop_me", target.labels)).isEmpty)
    }

    @Test func aJobWhoseHTTPClientCannotBeMadeIsReportedAndTheOthersRun() async throws {
        let fine = try await ScrapeTestServer { _ in .init(text: "m 2\n") }
        let (loop, _) = try loop("""
        scrape_configs:
          - job_name: broken
            tls_config: {ca_file: /nonexistent/ca.pem}
            static_configs: [{targets: ["127.0.0.1:1"]}]
          - job_name: fine
            static_configs: [{targets: ["\(fine.address)"]}]
        """, clock: VirtualScrapeClock(now: start))
        let report = loop.sync()
        #expect(report.active == 1)
        #expect(report.problems.count == 1)
        #expect(report.problems.first?.hasPrefix("job broken: error creating HTTP client: ") == true, "\(report.problems)")
        let summary = await loop.run(scrapesPerTarget: 1)
        await fine.stop()
        #expect(summary == ScrapeLoop.RunSummary(scrapes: 1, failed: 0, samples: 1))
    }
}
