import ConfigModel
import Engine
import Foundation
import Locking
import Testing

/// file_sd files re-read periodically while the scrape loop runs (the fallback of the inotify watch, off
/// here so the re-read times are exact): a target written into the file mid-run is scraped from the next
/// re-read on, one removed from it gets its staleness markers, one in a file caught
/// half-written is kept. Real HTTP on 127.0.0.1; a virtual clock.
@Suite struct FileSDRefreshTests {
    let start: Int64 = 1_700_000_000_123
    let interval: Int64 = 15_000
    let watch: Int64 = 5_000

    func write(_ text: String, to file: String) {
        // `atomically` renames a finished file into place, as tools that write target files should.
        try? text.write(toFile: file, atomically: true, encoding: .utf8)
    }

    func loop(file: String, clock: VirtualScrapeClock) throws -> (ScrapeLoop, Head) {
        let head = Head()
        let config = try PrometheusConfig.parse("""
        scrape_configs:
          - job_name: files
            scrape_interval: 15s
            file_sd_configs: [{files: ["\(file)"], refresh_interval: 1m}]
        """)
        return (ScrapeLoop(jobs: config.scrapeConfigs, head: head, fetcher: httpFetchers, clock: clock,
                           options: .init(offsetSeed: 42, fileSDWatchMillis: watch, watchFileSD: false)), head)
    }

    /// The first re-read at or after `t` in a run started at `start`.
    func rereadAfter(_ t: Int64) -> Int64 { start + watch * ((t - start) / watch + 1) }

    @Test func aTargetReplacedInTheFileMidRunIsStaleAndItsReplacementIsScraped() async throws {
        let a = try await ScrapeTestServer { _ in .init(text: "m{s=\"a\"} 1\n") }
        let b = try await ScrapeTestServer { _ in .init(text: "m{s=\"b\"} 2\n") }
        let dir = try TemporaryDirectory(prefix: "file-sd-refresh")
        let file = dir.path + "/targets.json"
        write("[{\"targets\": [\"\(a.address)\"]}]", to: file)
        let clock = VirtualScrapeClock(now: start)
        let (loop, head) = try loop(file: file, clock: clock)
        #expect(loop.sync() == ScrapeLoop.SyncReport(active: 1, added: 1))
        let aTarget = try #require(loop.targets.first)
        let firstA = start + ScrapeOffset.delay(now: start, interval: interval, hash: ScrapeOffset.targetHash(aTarget), seed: 42)
        // The file changes right after a's first scrape, while the run goes on.
        let rewritten = SanitizedMutex(false)
        let end = start + 4 * interval
        let summary = await loop.run(until: end) { event in
            guard event.target.labels["instance"] == a.address else { return }
            let first = rewritten.withLock { done in defer { done = true }; return !done }
            if first { write("[{\"targets\": [\"\(b.address)\"]}]", to: file) }
        }
        await a.stop()
        await b.stop()
        #expect(a.requests.count == 1)
        #expect(loop.targets.map { $0.labels["instance"] } == [b.address])
        // a: one scrape, then staleness markers at the time its next scrape would have been.
        for name in ["m", "up"] {
            var labels = named(name, aTarget.labels)
            if name == "m" { labels["s"] = "a" }
            let got = samples(head, labels)
            #expect(got.map(\.t) == [firstA, firstA + interval], "\(name)")
            #expect(got.last?.float.map(isStaleNaN) == true, "\(name)")
        }
        // b: scheduled at its offset from the re-read that found it, then every interval until the end.
        let bTarget = try #require(loop.targets.first)
        let found = rereadAfter(firstA)
        let firstB = found + ScrapeOffset.delay(now: found, interval: interval, hash: ScrapeOffset.targetHash(bTarget), seed: 42)
        let expectedB = Array(stride(from: firstB, through: end, by: Int(interval)))
        #expect(!expectedB.isEmpty)
        #expect(samples(head, named("up", bTarget.labels)).map(\.t) == expectedB)
        #expect(samples(head, ["__name__": "m", "s": "b", "job": "files", "instance": b.address]).map(\.float) == expectedB.map { _ in 2 })
        #expect(b.requests.count == expectedB.count)
        #expect(summary.scrapes == 1 + expectedB.count)
    }

    @Test func aTargetAddedMidRunIsScrapedAlongsideTheOthers() async throws {
        let a = try await ScrapeTestServer { _ in .init(text: "m 1\n") }
        let b = try await ScrapeTestServer { _ in .init(text: "m 2\n") }
        let dir = try TemporaryDirectory(prefix: "file-sd-refresh")
        let file = dir.path + "/targets.yml"
        write("- targets: [\"\(a.address)\"]\n", to: file)
        let clock = VirtualScrapeClock(now: start)
        let (loop, _) = try loop(file: file, clock: clock)
        loop.sync()
        let added = SanitizedMutex(false)
        let summary = await loop.run(scrapesPerTarget: 3) { _ in
            let first = added.withLock { done in defer { done = true }; return !done }
            if first { write("- targets: [\"\(a.address)\", \"\(b.address)\"]\n", to: file) }
        }
        await a.stop()
        await b.stop()
        #expect(a.requests.count == 3)
        #expect(b.requests.count == 3)
        #expect(summary.scrapes == 6)
        #expect(loop.targets.count == 2)
    }

    @Test func aFileThatCannotBeReadMidRunKeepsItsTargets() async throws {
        let a = try await ScrapeTestServer { _ in .init(text: "m 1\n") }
        let dir = try TemporaryDirectory(prefix: "file-sd-refresh")
        let file = dir.path + "/targets.json"
        write("[{\"targets\": [\"\(a.address)\"]}]", to: file)
        let clock = VirtualScrapeClock(now: start)
        let (loop, head) = try loop(file: file, clock: clock)
        loop.sync()
        let target = try #require(loop.targets.first)
        let broken = SanitizedMutex(false)
        await loop.run(scrapesPerTarget: 3) { _ in
            let first = broken.withLock { done in defer { done = true }; return !done }
            if first { write("[{\"targets\": [\"\(a.address)\"", to: file) }
        }
        await a.stop()
        #expect(a.requests.count == 3)
        let ups = samples(head, named("up", target.labels))
        #expect(ups.map(\.float) == [1, 1, 1])
    }
}
