import Engine
import Foundation
import Testing
import TestSupport

/// `tsdb bench write` against the installed promtool (2.42) on the same generated input: the same stage lines,
/// the same error for a missing file, a WAL byte for byte the same when one shard does the work (with several,
/// promtool's goroutines number the series in no fixed order), and a real Prometheus started on our `storage/`
/// answering exactly as on promtool's.
@Suite(.serialized, .needsPrometheus) struct TSDBBenchWriteProcessTests {
    /// `n` lines shaped like `20kseries.json`, with repeats (skipped by both readers).
    static func input(_ n: Int, in dir: String) throws -> String {
        var rng = TestRNG(seed: UInt64(n))
        var lines: [String] = []
        for i in 0..<n {
            let k = rng.next() % 5 == 0 ? Int(rng.next() % UInt64(i + 1)) : i
            lines.append("{\"__name__\":\"bench_metric_\(k % 17)\",\"instance\":\"node-\(k % 50)\",\"job\":\"j\(k % 3)\",\"le\":\"\(k)\"}")
        }
        let path = dir + "/series.json"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The output with durations and the rate masked (they differ from run to run).
    static func shape(_ stdout: String) -> [String] {
        stdout.split(separator: "\n").map { line in
            if line.hasPrefix(">> completed stage="), let cut = line.range(of: " duration=") { return String(line[..<cut.lowerBound]) }
            if line.hasPrefix(" > samples/sec: ") { return " > samples/sec:" }
            return String(line)
        }
    }

    static func run(_ binary: String, out: String, metrics: Int, scrapes: Int, file: String) throws -> Processes.Result {
        try Processes.run(binary, ["tsdb", "bench", "write", "--out=\(out)", "--metrics=\(metrics)", "--scrapes=\(scrapes)", file])
    }

    /// promtool into `dir/theirs`, then ours into `dir/ours`, on `lines` generated series; both must succeed.
    static func runBoth(in dir: String, lines: Int, metrics: Int, scrapes: Int) throws -> (theirs: Processes.Result, ours: Processes.Result) {
        let file = try input(lines, in: dir)
        let theirs = try run(PrometheusFixture.promtoolPath, out: dir + "/theirs", metrics: metrics, scrapes: scrapes, file: file)
        let ours = try run(try Processes.ourBinary(), out: dir + "/ours", metrics: metrics, scrapes: scrapes, file: file)
        guard theirs.status == 0 && ours.status == 0 else { throw TestFailure("\(theirs)\n\(ours)") }
        return (theirs, ours)
    }

    @Test func oneShardWritesPromtoolsWALByteForByte() throws {
        let dir = try Processes.temporaryDirectory("benchwrite")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (theirs, ours) = try Self.runBoth(in: dir, lines: 900, metrics: 700, scrapes: 250)
        #expect(Self.shape(ours.stdout) == Self.shape(theirs.stdout))
        #expect(ours.stdout.contains(" > total samples: 210000\n"))
        #expect(ours.stderr.isEmpty)
        let segments = try FileManager.default.contentsOfDirectory(atPath: dir + "/theirs/storage/wal").sorted()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/ours/storage/wal").sorted() == segments)
        for s in segments {
            let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/ours/storage/wal/" + s))
            let b = try Data(contentsOf: URL(fileURLWithPath: dir + "/theirs/storage/wal/" + s))
            #expect(a.count == b.count && a == b, "segment \(s): \(a.count) vs \(b.count) bytes")
        }
    }

    @Test func prometheusServesOurStorageAsPromtools() throws {
        let dir = try Processes.temporaryDirectory("benchwrite")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Two shards, two rounds (120 scrapes round up to 200).
        let (theirs, ours) = try Self.runBoth(in: dir, lines: 2_000, metrics: 1_500, scrapes: 120)
        #expect(ours.stdout.contains(" > total samples: 300000\n"))
        #expect(theirs.stdout.contains(" > total samples: 300000\n"))

        var answers: [[Labels: [WALReplayProcessTests.Point]]] = []
        for storage in [dir + "/ours/storage", dir + "/theirs/storage"] {
            let prometheus = try PrometheusFixture.serve(dataDirectory: storage)
            defer { prometheus.stop() }
            answers.append(try ScrapingPrometheus.allSamples(url: prometheus.url, time: 200 * 30 + 1))
        }
        #expect(answers[0].count == 1_500)
        #expect(answers[0].values.allSatisfy { $0.count == 200 })
        WALReplayProcessTests.expectEqual(answers[0], answers[1])
    }

    @Test func missingFileIsPromtoolsError() throws {
        let dir = try Processes.temporaryDirectory("benchwrite")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let theirs = try Self.run(PrometheusFixture.promtoolPath, out: dir + "/theirs", metrics: 10, scrapes: 10, file: dir + "/none.json")
        let ours = try Self.run(try Processes.ourBinary(), out: dir + "/ours", metrics: 10, scrapes: 10, file: dir + "/none.json")
        #expect(ours.status == 1 && theirs.status == 1)
        #expect(ours.stdout == ">> start stage=readData\n" && ours.stdout == theirs.stdout)
        // promtool logs the TSDB's start-up to stderr first; its last line is the error.
        #expect(ours.stderr == "open \(dir)/none.json: no such file or directory\n")
        #expect(theirs.stderr.hasSuffix(ours.stderr))
    }

    /// Where promtool panics (a pair without a colon), we stop with the file and line.
    @Test func badLineIsAnErrorWithFileAndLine() throws {
        let dir = try Processes.temporaryDirectory("benchwrite")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "{\"a\":\"1\"}\n{\"a\"\"1\"}\n".write(toFile: dir + "/bad.json", atomically: true, encoding: .utf8)
        let ours = try Self.run(try Processes.ourBinary(), out: dir + "/ours", metrics: 10, scrapes: 10, file: dir + "/bad.json")
        #expect(ours.status == 1)
        #expect(ours.stderr == "\(dir)/bad.json:2: label pair \"a1\" has no ':' (want \"name\":\"value\")\n")
    }
}
