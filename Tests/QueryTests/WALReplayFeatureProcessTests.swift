import Engine
import Foundation
import Locking
import Testing
import TestSupport
@testable import Query

/// The head's remaining on-disk parts, each written by a real Prometheus 2.42 and replayed by `WALReplay`, compared
/// sample for sample with what a second Prometheus started on the stopped directory (with the same features) answers
/// over its HTTP API: WAL tombstones from the admin API's `delete_series`, out-of-order samples (`wbl/` and
/// out-of-order head chunks), a chunk snapshot written at shutdown, and native histograms.
@Suite(.serialized, .needsPrometheus) struct WALReplayFeatureProcessTests {
    /// `delete_series` while the data is in the head: one interval of the `go_*` series, all of `up`.
    @Test func tombstonesHideWhatPrometheusHides() throws {
        let scraper = try ScrapingPrometheus.start(flags: ["--web.enable-admin-api"])
        defer { scraper.removeDirectory() }
        // The first scrape comes up to 5 s after start (the scrape manager's reload throttle): ~6 s of data.
        sleep(11)
        let now = Date().timeIntervalSince1970
        try Self.deleteSeries(scraper.url, match: "{__name__=~\"go_.*\"}", start: now - 4, end: now - 2)
        // Without start and end: everything up to the series' newest sample (later samples stay).
        try Self.deleteSeries(scraper.url, match: "up", start: nil, end: nil)
        sleep(3)
        try scraper.dropTarget()
        sleep(8)
        scraper.terminate()

        let head = Head()
        let stats = try WALReplay.replay(directory: scraper.dataDirectory, into: head)
        #expect(stats.tombstones.count > 1 && stats.deletedSamples > 0, "\(stats)")
        #expect(stats.tombstones.contains { $0.labels["__name__"] == "up" })
        let ours = WALReplayProcessTests.samples(of: head)
        let up = ours.first { $0.key["__name__"] == "up" }?.value ?? []
        #expect(!up.isEmpty && up.allSatisfy { $0.t >= Int64((now - 1) * 1000) }, "\(up.first.map { "\($0.t)" } ?? "none") vs \(now)")
        let reader = try ScrapingPrometheus.restart(on: scraper)
        let expected = try reader.allSamples()
        reader.terminate()
        WALReplayProcessTests.expectEqual(ours, expected)
    }

    /// A target exposing explicit timestamps that go back in time, scraped with `out_of_order_time_window: 1h`:
    /// one series only ever older, one alternating newer and older; more than 32 out-of-order samples each, so
    /// Prometheus also writes out-of-order chunks to `chunks_head/` and mmap markers to `wbl/`.
    @Test func outOfOrderSamplesMergeAsPrometheusMergesThem() async throws {
        let base = Int64(Date().timeIntervalSince1970 * 1000) - 30 * 60 * 1000
        let storage = "  tsdb:\n    out_of_order_time_window: 1h\n"
        let (scraper, port) = try await Self.scrape(scrapes: 100, storage: storage) { n in
            let mixed = n % 2 == 0 ? base + n * 1000 : base - n * 1000
            return .init(text: "# TYPE ooo_back gauge\nooo_back \(n) \(base - n * 1000)\n# TYPE ooo_mixed gauge\nooo_mixed \(n) \(mixed)\n")
        }
        defer { scraper.removeDirectory() }

        let head = Head()
        let stats = try WALReplay.replay(directory: scraper.dataDirectory, into: head)
        #expect(stats.wblSegments >= 1 && stats.outOfOrderSamples > 0)
        #expect(stats.outOfOrderChunks > 0 && stats.outOfOrderChunkSamples > 0)
        let ours = WALReplayProcessTests.samples(of: head)
        #expect((ours[Labels([("__name__", "ooo_back"), ("instance", "127.0.0.1:\(port)"), ("job", "self")])]?.count ?? 0) >= 100)
        let reader = try ScrapingPrometheus.restart(on: scraper, storage: storage)
        let expected = try reader.allSamples()
        reader.terminate()
        WALReplayProcessTests.expectEqual(ours, expected)
        // Without the out-of-order data the older samples are missing.
        let inOrder = Head()
        try WALReplay.replay(directory: scraper.dataDirectory, into: inOrder, options: .init(outOfOrder: false))
        #expect(WALReplayProcessTests.samples(of: inOrder) != expected)
    }

    /// `memory-snapshot-on-shutdown`: the snapshot is the only copy of the head chunks' samples once the WAL before
    /// the snapshot's position is blanked (neither Prometheus nor we read it).
    @Test func chunkSnapshotReplaysAsPrometheusReplaysIt() throws {
        let flags = ["--enable-feature=memory-snapshot-on-shutdown"]
        let scraper = try ScrapingPrometheus.start(flags: flags)
        defer { scraper.removeDirectory() }
        sleep(15)
        try scraper.dropTarget()
        sleep(8)
        scraper.terminate()

        let location = try #require(try ChunkSnapshot.latest(in: scraper.dataDirectory))
        let wal = try WALDirectory(path: scraper.dataDirectory + "/wal")
        for segment in wal.segments where segment.index <= location.segment {
            let handle = try #require(FileHandle(forUpdatingAtPath: segment.path))
            let size = segment.index == location.segment ? location.offset : Int(try handle.seekToEnd())
            try handle.seek(toOffset: 0)
            try handle.write(contentsOf: Data(count: size))
            try handle.close()
        }

        let head = Head()
        let stats = try WALReplay.replay(directory: scraper.dataDirectory, into: head)
        #expect(stats.chunkSnapshot == location.path && stats.chunkSnapshotError == nil)
        #expect(stats.snapshotSeries > 0 && stats.snapshotSamples > 0)
        let ours = WALReplayProcessTests.samples(of: head)
        let reader = try ScrapingPrometheus.restart(on: scraper, flags: flags)
        let expected = try reader.allSamples()
        reader.terminate()
        #expect(!expected.isEmpty)
        WALReplayProcessTests.expectEqual(ours, expected)
    }

    /// Native histograms scraped over protobuf (2.42 with `native-histograms`): the histogram samples of our replay
    /// (memory-mapped histogram chunks and WAL histogram records) equal the API's.
    @Test func nativeHistogramsEqualPrometheusAPI() async throws {
        let flags = ["--enable-feature=native-histograms"]
        // Over 120 scrapes, so histogram chunks are cut and memory-mapped.
        let (scraper, _) = try await Self.scrape(scrapes: 140, flags: flags) { n in
            .init(headers: [("Content-Type", NativeHistogramExposition.contentType)],
                  body: NativeHistogramServerTests.exposition(scrape: UInt64(n)))
        }
        defer { scraper.removeDirectory() }

        let head = Head()
        let stats = try WALReplay.replay(directory: scraper.dataDirectory, into: head)
        #expect(stats.histogramSamples > 0 && stats.mmappedSamples > 0 && stats.invalidHistograms == 0 && stats.droppedSamples == 0)
        let reader = try ScrapingPrometheus.restart(on: scraper, flags: flags)
        defer { reader.terminate() }
        let expected = try reader.allSamples()
        WALReplayProcessTests.expectEqual(WALReplayProcessTests.samples(of: head), expected)

        let served = try Self.histograms(reader.url, "rpc_seconds[1d]")
        #expect(served.count == 2)
        for s in served {
            let matchers = try Labels(s.metric).labels.map { try LabelMatcher(.equal, $0.name, $0.value) }
            let local = head.select(matchers, mint: .min, maxt: .max).first?.samples.compactMap { sample -> APIHistogramPoint? in
                guard let h = sample.histogram, !isStaleNaN(h.sum) else { return nil }
                return APIHistogramPoint(timestamp: sample.t, histogram: APIHistogram(h))
            } ?? []
            #expect(local.count == s.histograms.count && local.count >= 120, "\(s.metric)")
            for (c, h) in zip(local, s.histograms) {
                #expect(c.timestamp == h.timestamp && c.histogram.count == h.histogram.count && c.histogram.sum == h.histogram.sum)
                let cb = c.histogram.buckets ?? [], hb = h.histogram.buckets ?? []
                #expect(cb.map(\.count) == hb.map(\.count) && cb.map(\.boundaries) == hb.map(\.boundaries), "\(s.metric) at \(h.timestamp)")
                // Bounds may be a few ulps off Prometheus's table of constants.
                #expect(zip(cb, hb).allSatisfy { HistogramRebuilder.nearlyEqual($0.lower, $1.lower) && HistogramRebuilder.nearlyEqual($0.upper, $1.upper) })
            }
        }
    }

    // MARK: Helpers

    /// A Prometheus scraping a test target that answers scrape `n` (from 1) with `reply(n)`, stopped (SIGTERM) once
    /// the target was scraped `scrapes` times (at most a minute) and then dropped from service discovery long enough
    /// for stale markers to be written. Returns the stopped Prometheus (its directory kept) and the target's port.
    static func scrape(scrapes: Int64, flags: [String] = [], storage: String? = nil,
                       reply: @escaping @Sendable (Int64) -> TestHTTPServer.Reply) async throws -> (ScrapingPrometheus, Int) {
        let count = SanitizedMutex<Int64>(0)
        let target = try await TestHTTPServer { _ in reply(count.withLock { $0 += 1; return $0 }) }
        let scraper: ScrapingPrometheus
        do {
            scraper = try ScrapingPrometheus.start(target: "127.0.0.1:\(target.port)", flags: flags, storage: storage)
        } catch {
            await target.stop()
            throw error
        }
        for _ in 0..<240 where count.withLock({ $0 }) < scrapes { try await Task.sleep(for: .milliseconds(250)) }
        try scraper.dropTarget()
        try await Task.sleep(for: .seconds(8))
        await target.stop()
        scraper.terminate()
        return (scraper, target.port)
    }

    /// POST /api/v1/admin/tsdb/delete_series (204 on success). The parameters go in the URL's query (`-G`): 2.42
    /// answers 204 to a form body too but deletes nothing.
    static func deleteSeries(_ url: String, match: String, start: Double?, end: Double?) throws {
        var args = ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-G", "-X", "POST", "--data-urlencode", "match[]=\(match)"]
        if let start { args += ["--data-urlencode", "start=\(start)"] }
        if let end { args += ["--data-urlencode", "end=\(end)"] }
        let r = try Processes.run("/usr/bin/curl", args + [url + "/api/v1/admin/tsdb/delete_series"])
        guard r.status == 0, r.stdout == "204" else { throw TestFailure("delete_series failed: \(r)") }
    }

    /// The histogram series of a range selector, from the server's API.
    static func histograms(_ url: String, _ selector: String) throws -> [APISeries] {
        var served: [APISeries] = []
        var failure: String?
        let now = Int64(Date().timeIntervalSince1970 * 1000) + 60_000
        let code = RemoteQuery.withClient(RemoteQuery.Connection(server: url), CommandOutput(out: { _ in }, err: { _ in })) { client in
            do throws(PrometheusAPIClient.Failure) {
                if case .matrix(let m) = try client.query(selector, at: QueryTime(millis: now)).value { served = m ?? [] }
                return 0
            } catch {
                failure = error.promtoolMessage
                return 1
            }
        }
        guard code == 0 else { throw TestFailure("query failed: \(failure ?? "")") }
        return served
    }
}
