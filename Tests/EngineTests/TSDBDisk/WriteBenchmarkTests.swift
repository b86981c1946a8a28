import Foundation
import Testing
import TestSupport
@testable import Engine

/// `tsdb bench write`'s input reader (`BenchSeriesFile`, promtool's `readPrometheusLabels`) and its ingestion
/// (`WriteBenchmark`), whose WAL we replay with our reader; Prometheus and promtool on the same work are
/// `TSDBBenchWriteProcessTests`.
@Suite struct WriteBenchmarkTests {
    static func parse(_ text: String, limit: Int = 100) throws -> [Labels] {
        try parse(Array(text.utf8), file: "in.json", limit: limit)
    }

    static func parse(_ bytes: [UInt8], file: String, limit: Int) throws -> [Labels] {
        try bytes.withUnsafeBytes { raw in try BenchSeriesFile.parse(raw, file: file, limit: limit) }
    }

    @Test func linesAreReadAsPromtoolReadsThem() throws {
        let got = try Self.parse("""
            {"job":"api","__name__":"up","instance":"host:9100"}\r
            {"__name__":"up","instance":"host","job":"api"}
            {"b":"2","a":"1","empty":""}
            {"a":"1","b":"2"}
            {"__name__":"last"}
            """)
        #expect(got == [
            // Quotes and braces dropped, a value cut at its colon, names sorted; the second line is the same set.
            Labels([("__name__", "up"), ("instance", "host"), ("job", "api")]),
            // An empty value is no label, but it still tells the set apart when duplicates are skipped (as in
            // promtool, whose head then gets the same series twice).
            Labels([("a", "1"), ("b", "2")]),
            Labels([("a", "1"), ("b", "2")]),
            Labels([("__name__", "last")]),
        ])
    }

    @Test func commaInsideAValueIsAnErrorNamingTheLine() {
        #expect(throws: BenchWriteError("in.json:2: label pair \"y\" has no ':' (want \"name\":\"value\")")) {
            try Self.parse("{\"a\":\"1\"}\n{\"__name__\":\"x,y\"}\n")
        }
    }

    @Test func backslashesAndLimitAndDuplicates() throws {
        let text = (0..<10).map { "{\"__name__\":\"m\",\"i\":\"\($0 % 4)\",\"e\":\"a\\\"b\"}" }.joined(separator: "\n") + "\n"
        let all = try Self.parse(text)
        #expect(all.count == 4)
        #expect(all.first?["e"] == "a\\b")
        #expect(try Self.parse(text, limit: 3).count == 3)
        #expect(try Self.parse(text, limit: 0).isEmpty)
        #expect(try Self.parse(text, limit: -5).isEmpty)
        #expect(try Self.parse("").isEmpty)
    }

    @Test(arguments: [
        ("{\"a\":\"1\"}\n\n{\"b\":\"2\"}\n", "in.json:2: empty label pair (want \"name\":\"value\")"),
        ("{\"a\"}\n", "in.json:1: label pair \"a\" has no ':' (want \"name\":\"value\")"),
        ("{\"a\":\"1\",\"a\":\"2\"}\n", "in.json:1: label name \"a\" is not unique"),
        ("{\"\":\"1\"}\n", "in.json:1: empty label name"),
        ("{\"a\":\"1\",}\n", "in.json:1: empty label pair (want \"name\":\"value\")"),
    ])
    func badLinesAreErrorsWithFileAndLine(text: String, message: String) {
        #expect(throws: BenchWriteError(message)) { try Self.parse(text) }
    }

    @Test func invalidUTF8AndLongLinesAreErrors() throws {
        let bad: [UInt8] = Array("{\"a\":\"".utf8) + [0xFF, 0xFE] + Array("\"}\n".utf8)
        #expect(throws: BenchWriteError("in.json:1: invalid UTF-8 in a label")) {
            try Self.parse(bad, file: "in.json", limit: 10)
        }
        let long = "{\"a\":\"1\"}\n{\"a\":\"" + String(repeating: "x", count: 70_000) + "\"}\n"
        #expect(throws: BenchWriteError("in.json:2: line longer than 65535 bytes")) { try Self.parse(long) }
        // Reading stops at the limit, before a bad line after it.
        #expect(try Self.parse(long, limit: 1).count == 1)
    }

    @Test func missingFileIsGoWorded() {
        #expect(throws: BenchWriteError("open /nonexistent/20kseries.json: no such file or directory")) {
            _ = try BenchSeriesFile.read(path: "/nonexistent/20kseries.json", limit: 10)
        }
    }

    /// Random bytes never crash the reader.
    @Test func hostileBytesNeverCrash() {
        var rng = TestRNG(seed: 99)
        let alphabet: [UInt8] = Array("{}\":,\n\r ab\\".utf8) + [0xC3, 0xFF, 0]
        for _ in 0..<2_000 {
            let bytes = (0..<Int(rng.next() % 200)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            _ = try? Self.parse(bytes, file: "f", limit: 50)
        }
    }

    static func series(_ n: Int) -> [Labels] {
        (0..<n).map { Labels([("__name__", "metric_\($0 % 13)"), ("instance", "host-\($0)"), ("job", "bench")]) }
    }

    @Test func ingestionIsLoggedToTheWALAndReplaysToTheSameHead() throws {
        let out = NSTemporaryDirectory() + "benchwrite-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: out) }
        let dir = try WriteBenchmark.prepareOutput(out)
        #expect(dir == out)
        // Two shards (1,000 and 500 series), two rounds (150 scrapes round up to 200), small segments.
        let bench = try WriteBenchmark(storage: dir + "/storage", segmentSize: 16 * WALSegmentReader.pageSize)
        let series = Self.series(1_500)
        let total = try bench.ingest(series, scrapes: 150)
        try bench.close()
        #expect(total == 1_500 * 200)
        #expect(bench.head.stats.numSeries == 1_500)
        #expect(bench.head.stats.numSamples == 1_500 * 200)
        #expect(bench.head.stats.minTime == 30_000 && bench.head.stats.maxTime == 200 * 30_000)
        #expect(try WALDirectory(path: dir + "/storage/wal").segments.count > 1)

        let replayed = Head()
        let stats = try WALReplay.replay(directory: dir + "/storage", into: replayed)
        #expect(stats.floatSamples == 1_500 * 200 && stats.unknownRefSamples == 0)
        let all = try LabelMatcher(.regexMatch, "__name__", ".+")
        let ours = bench.head.select([all], mint: .min, maxt: .max)
        let back = replayed.select([all], mint: .min, maxt: .max)
        #expect(ours.map(\.labels) == back.map(\.labels))
        func points(_ list: [Series]) -> [[String]] {
            list.map { $0.floatSamples(in: Int64.min...Int64.max).map { "\($0.t) \($0.v.bitPattern)" } }
        }
        #expect(points(ours) == points(back))
        // promtool's values: 123456789 + 1,000 per scrape, from the start again in each round of 100.
        let first = back.first?.floatSamples(in: Int64.min...Int64.max) ?? []
        #expect(first.count == 200)
        #expect(first.first.map { $0.t == 30_000 && $0.v == 123_457_789 } == true)
        #expect(first.dropFirst(100).first.map { $0.t == 101 * 30_000 && $0.v == 123_457_789 } == true)
        #expect(first.last.map { $0.v == 123_556_789 } == true)
    }

    @Test func nothingToIngestWritesAnEmptyWAL() throws {
        let out = NSTemporaryDirectory() + "benchwrite-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: out) }
        let bench = try WriteBenchmark(storage: try WriteBenchmark.prepareOutput(out) + "/storage")
        #expect(try bench.ingest([], scrapes: 3000) == 0)
        #expect(try bench.ingest(Self.series(3), scrapes: 0) == 0)
        #expect(try bench.ingest(Self.series(3), scrapes: -10) == 0)
        try bench.close()
        #expect(try WALReplay.replay(directory: out + "/storage", into: Head()).floatSamples == 0)
    }

    /// A line whose values are all empty is an empty label set, which the head refuses (promtool panics).
    @Test func emptyLabelSetIsAnError() throws {
        let out = NSTemporaryDirectory() + "benchwrite-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: out) }
        let series = try Self.parse("{\"a\":\"1\"}\n{\"a\":\"\"}\n")
        #expect(series.count == 2 && series[1].isEmpty)
        let bench = try WriteBenchmark(storage: try WriteBenchmark.prepareOutput(out) + "/storage")
        #expect(throws: BenchWriteError("append: invalid sample: empty labelset")) { try bench.ingest(series, scrapes: 10) }
    }

    /// A WAL write that fails on the queue's thread is reported by the next submit and by close, and nothing after
    /// it is written.
    @Test func walQueueReportsTheFirstFailure() throws {
        let out = NSTemporaryDirectory() + "benchwrite-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: out) }
        let writer = try WALWriter(directory: out + "/wal", compression: .none)
        try writer.close()
        let queue = WALCommitQueue(wal: writer, depth: 1)
        let sample = WALSample(ref: 1, startTime: 0, t: 1, v: 1)
        try queue.submit(series: [], samples: [sample])
        // depth 1: this submit waits until the failed write is done, then may or may not see it; close must.
        _ = try? queue.submit(series: [], samples: [sample])
        #expect(throws: BenchWriteError("wlog is closed")) { try queue.close() }
        #expect(throws: BenchWriteError("wlog is closed")) { try queue.submit(series: [], samples: [sample]) }
    }

    @Test func outputDirectoryIsReplacedOrTemporary() throws {
        let out = NSTemporaryDirectory() + "benchwrite-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: out) }
        try FileManager.default.createDirectory(atPath: out + "/old/deeper", withIntermediateDirectories: true)
        _ = try WriteBenchmark.prepareOutput(out)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).isEmpty)
        let temp = try WriteBenchmark.prepareOutput("")
        defer { try? FileManager.default.removeItem(atPath: temp) }
        #expect(temp.contains("/tsdb_bench") && !temp.hasSuffix("XXXXXX") && FileManager.default.fileExists(atPath: temp))
    }
}
