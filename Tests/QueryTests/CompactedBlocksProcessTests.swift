import Engine
import Foundation
import Locking
import Testing
import TestSupport

/// Blocks that Prometheus's own compactor wrote, and its data directory read while it runs. A real Prometheus 2.42
/// scrapes itself (floats, classic histograms) and a test target (native histograms over protobuf) every 100 ms
/// with a 5 s block range (the hidden `--storage.tsdb.min-block-duration`): the head is compacted into a level-1
/// block every 5 s, and the leveled compactor (ranges 5 s, 15 s, 45 s) merges level-1 blocks into level-2 blocks
/// with `compaction.parents`, re-encoding their chunks, while the WAL is checkpointed and `chunks_head/` truncated.
@Suite(.serialized, .needsPrometheus) struct CompactedBlocksProcessTests {
    static let flags = ["--storage.tsdb.min-block-duration=5s", "--storage.tsdb.max-block-duration=45s",
                        "--enable-feature=native-histograms"]
    /// Classic histogram buckets, counters and gauges of Prometheus itself, the test target's native histograms.
    static let selector = "{__name__=~\"up|rpc_seconds|prometheus_http_requests_total|prometheus_tsdb_head_series|prometheus_http_request_duration_seconds_bucket\"}[1d]"

    /// Prometheus scraping itself and the native histogram target (stop both), with `extraFlags` added.
    static func start(extraFlags: [String] = []) async throws -> (ScrapingPrometheus, TestHTTPServer) {
        let scrapes = SanitizedMutex<UInt64>(0)
        let target = try await TestHTTPServer { _ in
            let n = scrapes.withLock { $0 += 1; return $0 }
            return .init(headers: [("Content-Type", NativeHistogramExposition.contentType)],
                         body: NativeHistogramServerTests.exposition(scrape: n))
        }
        do {
            return (try ScrapingPrometheus.start(target: "127.0.0.1:\(target.port)", alsoItself: true, flags: flags + extraFlags), target)
        } catch {
            await target.stop()
            throw error
        }
    }

    /// The compaction level of every block of `data` (a block being deleted may vanish under us: skipped).
    static func levels(_ data: String) -> [String: Int] {
        var out: [String: Int] = [:]
        for name in TSDBDirectory.blockNames(in: data) {
            if let meta = try? BlockMeta.read(directory: data + "/" + name) { out[name] = meta.compaction.level }
        }
        return out
    }

    static func hasCompactedBlocks(_ data: String) -> Bool {
        let l = levels(data).values
        return l.contains(1) && l.contains { $0 >= 2 }
    }

    /// An hour ahead, past every sample, for `[1d]` selections.
    static func farTime() -> String { "\(Int(Date().timeIntervalSince1970) + 3600)" }

    /// Also with tombstones: `delete_series` over an interval that covers blocks and the head, then another head
    /// compaction (which drops the deleted head samples from the block it writes).
    @Test func compactedBlocksEqualPrometheusAPI() async throws {
        let (prometheus, target) = try await Self.start(extraFlags: ["--web.enable-admin-api"])
        defer { prometheus.removeDirectory() }
        let data = prometheus.dataDirectory
        // A level-2 block needs three level-1 blocks, the newest of which the planner leaves alone: ~30 s.
        for _ in 0..<160 where !Self.hasCompactedBlocks(data) { try await Task.sleep(for: .milliseconds(500)) }
        let now = Date().timeIntervalSince1970
        let deleted = "{__name__=~\"go_gc_duration_seconds|prometheus_tsdb_head_series\"}"
        // From 2 s after the first sample (at most 20 s back) to 4 s ago (in the head).
        let first = try TSDBDirectory(path: data).blocks.map(\.meta.minTime).min() ?? 0
        let inside = max(first + 2000, Int64((now - 20) * 1000))...Int64((now - 4) * 1000)
        try WALReplayFeatureProcessTests.deleteSeries(prometheus.url, match: deleted, start: Double(inside.lowerBound) / 1000,
                                                      end: Double(inside.upperBound) / 1000)
        // Read while it runs: the blocks it had then carry the deletion in their tombstones files.
        let afterDeletion = try TSDBDirectory(path: data)
        #expect(afterDeletion.blocks.contains { $0.meta.minTime <= inside.upperBound && $0.meta.maxTime > inside.lowerBound })
        var missing = Self.blocksWithoutTombstones(afterDeletion, overlapping: inside, deletedAt: Int64(now * 1000))
        #expect(missing.isEmpty, "blocks without the tombstones: \(missing)")
        try await Task.sleep(for: .seconds(6))
        // The targets leave service discovery (applied within 5 s; stale markers two intervals later): nothing is
        // appended any more, so the API's answer is final.
        try prometheus.dropTarget()
        try await Task.sleep(for: .seconds(8))
        let time = Self.farTime()
        let ours = try Processes.ourBinary()
        let all = "{__name__=~\".+\"}[1d]"
        let fromServer = try Processes.run(ours, ["query", "instant", "-o", "json", prometheus.url, all, "--time", time])
        prometheus.terminate()
        await target.stop()
        #expect(fromServer.status == 0, "\(fromServer.stderr)")

        let levels = Self.levels(data)
        #expect(levels.values.contains(1) && levels.values.contains { $0 >= 2 }, "\(levels)")
        let before = try DirectorySnapshot(data)

        // Every series and sample, native histograms included, exactly as the API printed them.
        let fromDisk = try Processes.run(ours, ["query", "instant", "-o", "json", all, "--time", time, "--tsdb", data])
        #expect(fromDisk.status == 0, "\(fromDisk.stderr)")
        let identical = fromDisk.stdout == fromServer.stdout
        let differences = identical ? [] : try MatrixAnswer(fromDisk.stdout).differences(from: MatrixAnswer(fromServer.stdout))
        #expect(identical, "\(differences.count) series differ: \(differences.prefix(4))")
        let expected = try ScrapingPrometheus.floatSamples(matrixJSON: fromServer.stdout)
        #expect(expected.keys.contains { $0["__name__"] == "prometheus_http_request_duration_seconds_bucket" })
        #expect(fromServer.stdout.contains("\"histograms\":"))

        // The library's merge of blocks and head: the same float samples, and a level-2 block holding native
        // histogram chunks the compactor re-encoded.
        let dir = try TSDBDirectory.openWithHead(path: data)
        var merged: [Labels: [WALReplayProcessTests.Point]] = [:]
        for s in try dir.seriesSamples([try LabelMatcher(.regexMatch, "__name__", ".+")], mint: .min, maxt: .max) {
            let points = s.samples.compactMap { x in x.float.flatMap { isStaleNaN($0) ? nil : WALReplayProcessTests.Point(t: x.t, v: $0) } }
            if !points.isEmpty { merged[s.labels] = points }
        }
        WALReplayProcessTests.expectEqual(merged, expected)
        let compacted = try #require(dir.blocks.first { $0.meta.compaction.level >= 2 })
        #expect(compacted.meta.compaction.parents.count >= 2)
        var histograms = 0
        for ref in try compacted.index.postings(matching: [try LabelMatcher(.equal, "__name__", "rpc_seconds")]) {
            let (_, metas) = try compacted.index.series(ref)
            histograms += try compacted.samples(series: ref, chunks: metas, in: .min ... .max).filter { $0.histogram != nil }.count
        }
        #expect(histograms > 0)
        // The deletion left tombstones in the blocks it found (those compacted since dropped the samples), and a
        // gap in the series: samples before and after, none inside.
        missing = Self.blocksWithoutTombstones(dir, overlapping: inside, deletedAt: Int64(now * 1000))
        #expect(missing.isEmpty, "blocks without the tombstones: \(missing)")
        let gapped = try #require(expected.first { $0.key["__name__"] == "prometheus_tsdb_head_series" }?.value)
        #expect(gapped.contains { $0.t < inside.lowerBound } && gapped.contains { $0.t > inside.upperBound })
        #expect(!gapped.contains { inside.contains($0.t) })

        // `tsdb list` as promtool prints it; `tsdb dump` of the float series as promtool 2.42 dumps them (it stops
        // at a series' first histogram sample).
        for flags in [[], ["-r"]] {
            let theirs = try Processes.run(PrometheusFixture.promtoolPath, ["tsdb", "list"] + flags + [data])
            let mine = try Processes.run(ours, ["tsdb", "list"] + flags + [data])
            #expect(theirs.status == 0 && mine == theirs, "\(mine)\n\(theirs)")
        }
        let match = ["--match", "{__name__=~\".+\",__name__!=\"rpc_seconds\"}"]
        let myDump = try Processes.run(ours, ["tsdb", "dump"] + match + [data])
        #expect(myDump.status == 0, "\(myDump.stderr)")
        #expect(try DirectorySnapshot(data) == before, "our reads changed the directory")
        // promtool goes last: its read-only open may create files.
        let theirDump = try Processes.run(PrometheusFixture.promtoolPath, ["tsdb", "dump"] + match + [data])
        #expect(theirDump.status == 0, "\(theirDump.stderr)")
        let mineLines = myDump.stdout.split(separator: "\n"), theirLines = theirDump.stdout.split(separator: "\n")
        let firstDifference = zip(mineLines, theirLines).first { $0 != $1 }.map { "ours \($0)\npromtool \($1)" }
        let sameDump = myDump.stdout == theirDump.stdout
        #expect(sameDump,
                "\(mineLines.count) vs \(theirLines.count) lines; \(firstDifference ?? "one is a prefix of the other")")
        #expect(myDump.stdout.split(separator: "\n").count > 10_000)
    }

    /// Blocks overlapping the deleted `interval` by 2 s or more (so holding samples of the deleted series inside
    /// it) that hold no tombstones, though written (their ULID's time) before the deletion at `deletedAt`:
    /// Prometheus adds the deletion to every block it has.
    static func blocksWithoutTombstones(_ dir: TSDBDirectory, overlapping interval: ClosedRange<Int64>, deletedAt: Int64) -> [String] {
        dir.blocks.filter { b in
            guard b.meta.minTime <= interval.upperBound - 2000 && b.meta.maxTime > interval.lowerBound + 2000,
                  let created = BlockDirectoryName.timestamp(b.meta.ulid), Int64(created) < deletedAt else { return false }
            return b.tombstones.intervals.isEmpty
        }.map(\.meta.ulid)
    }

    /// `query --tsdb` (the CLI process) against the directory while Prometheus scrapes, cuts blocks, compacts them
    /// and truncates its WAL: every run succeeds, leaves every block file it could see as it was (and takes no
    /// lock: Prometheus holds its own on the directory all along), and answers with a prefix of each series'
    /// samples as the API finally has them (nothing missing in the middle, nothing doubled).
    @Test func readsWhileRunningAreConsistentAndWriteNothing() async throws {
        let (prometheus, target) = try await Self.start()
        defer { prometheus.removeDirectory() }
        let data = prometheus.dataDirectory
        let ours = try Processes.ourBinary()
        let time = Self.farTime()
        var answers: [String] = []
        var blockSets = Set<[String]>()
        var failures: [String] = []
        // Bounded by time, not by a count of reads: a faster binary (the static release one) finished 80 reads before
        // Prometheus's first leveled compaction (~25-30 s after its first sample).
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            let blocksBefore = try BlockFilesSnapshot(data)
            let r = try Processes.run(ours, ["query", "instant", "-o", "json", Self.selector, "--time", time, "--tsdb", data])
            let list = try Processes.run(ours, ["tsdb", "list", data])
            let blocksAfter = try BlockFilesSnapshot(data)
            if r.status == 0 { answers.append(r.stdout) } else { failures.append(r.stderr) }
            if list.status != 0 || !list.stdout.hasPrefix("BLOCK ULID") { failures.append("tsdb list: \(list)") }
            // A Prometheus never rewrites a block's files; one present before and after our run must be untouched.
            let changed = blocksBefore.changed(comparedTo: blocksAfter)
            #expect(changed.isEmpty, "block files changed: \(changed)")
            blockSets.insert(TSDBDirectory.blockNames(in: data))
            if answers.count >= 8 && Self.hasCompactedBlocks(data) && blockSets.count >= 4 { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(failures.isEmpty, "\(failures.count) runs failed: \(failures.prefix(3))")
        // The reads overlapped head compactions (new blocks) and a leveled compaction.
        #expect(blockSets.count >= 4 && Self.hasCompactedBlocks(data), "\(blockSets.count) block sets, levels \(Self.levels(data))")
        #expect(!FileManager.default.fileExists(atPath: data + "/lock") || Self.isPrometheusLock(data + "/lock"))

        try prometheus.dropTarget()
        try await Task.sleep(for: .seconds(8))
        let final = try Processes.run(ours, ["query", "instant", "-o", "json", prometheus.url, Self.selector, "--time", time])
        prometheus.terminate()
        await target.stop()
        #expect(final.status == 0, "\(final.stderr)")
        let complete = try MatrixAnswer(final.stdout)
        #expect(complete.series.count >= 5)
        for (i, text) in answers.enumerated() {
            let partial = try MatrixAnswer(text)
            let problems = partial.notPrefix(of: complete)
            #expect(problems.isEmpty, "answer \(i): \(problems.prefix(3))")
        }
        #expect(answers.count >= 8)
    }

    /// Prometheus's lock file is its own: it was created before any of our reads (at start-up).
    static func isPrometheusLock(_ path: String) -> Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let modified = attributes[.modificationDate] as? Date else { return false }
        return modified.timeIntervalSinceNow < -5
    }
}
