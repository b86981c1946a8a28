import ConfigModel
@testable import Engine
import Foundation
import Testing

/// file_sd files watched as Prometheus watches them (inotify on the patterns' directories): a change is
/// picked up when it happens, not at the next `refresh_interval` (an hour here). Real HTTP on 127.0.0.1 and
/// the real clock; every wait ends on the awaited event (or, if it never comes, after a generous bound that
/// fails the test).
@Suite(.serialized) struct FileSDWatchTests {
    /// Waits for `signal`'s change, or gives up after `seconds`; whether the change came.
    func changed(_ signal: FileSDChangeSignal, within seconds: Int) async -> Bool {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await signal.wait() }
            group.addTask { try? await Task.sleep(for: .seconds(seconds)) }
            await group.next()
            group.cancelAll()
        }
        return signal.isPending
    }

    @Test func theDirectoriesOfThePatternsAreWatchedOnce() {
        #expect(FileSDWatcher.directories(of: ["/a/b/*.json", "/a/b/c.yml", "/d.json", "x.yaml"]) == ["/a/b", "/", "."])
    }

    @Test func aFileWrittenIntoTheDirectoryFiresTheWatcher() async throws {
        let dir = try TemporaryDirectory(prefix: "file-sd-watch")
        let watcher = try #require(FileSDWatcher.start(patterns: [dir.path + "/*.json"]))
        defer { watcher.stop() }
        #expect(!watcher.changes.isPending)
        try "[]".write(toFile: dir.path + "/targets.json", atomically: true, encoding: .utf8)
        #expect(await changed(watcher.changes, within: 60))
        #expect(watcher.changes.consume())
        #expect(!watcher.changes.isPending)
        // Removing the file is a change too.
        try FileManager.default.removeItem(atPath: dir.path + "/targets.json")
        #expect(await changed(watcher.changes, within: 60))
    }

    @Test func aDirectoryThatDoesNotExistIsNotWatched() {
        #expect(FileSDWatcher.start(patterns: ["/nonexistent-\(UInt32.random(in: 0...UInt32.max))/*.json"]) == nil)
    }

    @Test func aTargetAddedToAWatchedFileIsScrapedLongBeforeTheRefreshInterval() async throws {
        let a = try await ScrapeTestServer { _ in .init(text: "m{s=\"a\"} 1\n") }
        let b = try await ScrapeTestServer { _ in .init(text: "m{s=\"b\"} 2\n") }
        let dir = try TemporaryDirectory(prefix: "file-sd-watch")
        let file = dir.path + "/targets.json"
        try "[{\"targets\": [\"\(a.address)\"]}]".write(toFile: file, atomically: true, encoding: .utf8)
        let config = try PrometheusConfig.parse("""
        scrape_configs:
          - job_name: files
            scrape_interval: 1s
            scrape_timeout: 1s
            file_sd_configs: [{files: ["\(dir.path)/*.json"], refresh_interval: 1h}]
        """)
        let head = Head()
        let clock = SystemScrapeClock()
        let loop = ScrapeLoop(jobs: config.scrapeConfigs, head: head, fetcher: httpFetchers, clock: clock, options: .init(offsetSeed: 7))
        #expect(loop.sync().active == 1)

        let (events, sink) = AsyncStream<String>.makeStream()
        let end = clock.now() + 120_000
        let run = Task {
            await loop.run(until: end) { sink.yield($0.target.labels["instance"] ?? "") }
            sink.finish()
        }
        var wroteB = false
        var scrapedB = false
        for await instance in events {
            if instance == a.address && !wroteB {
                // A second file in the watched directory (a create), well inside the hour.
                try "[{\"targets\": [\"\(b.address)\"]}]".write(toFile: dir.path + "/more.json", atomically: false, encoding: .utf8)
                wroteB = true
            }
            if instance == b.address {
                scrapedB = true
                break
            }
        }
        run.cancel()
        _ = await run.value
        await a.stop()
        await b.stop()
        #expect(scrapedB)
        #expect(loop.targets.count == 2)
        #expect(head.labelValues("s").contains("b"))
    }
}
