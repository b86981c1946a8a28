import Foundation
import Testing
import TestSupport

/// `tsdb create-blocks-from openmetrics` against the installed promtool (2.42) on the same generated input:
/// the same blocks (ranges and counts), byte-identical chunks, the same `tsdb dump`, and a real Prometheus
/// started on each directory answering the same queries.
@Suite(.serialized, .needsPrometheus) struct TSDBCreateBlocksProcessTests {
    static let promtool = "/usr/bin/promtool"
    static let prometheus = "/usr/bin/prometheus"

    /// Counters, gauges and a sparse series over 5 h from 1700000000 s (3 block ranges), 15 s steps with
    /// jitter (every delta-of-delta bucket), values of several XOR shapes, and a one-sample series.
    static func input(seed: UInt64) -> String {
        var rng = TestRNG(seed: seed)
        var lines: [String] = []
        let start = 1_700_000_000_000 as Int64
        func ts(_ ms: Int64) -> String {
            let s = ms / 1000, frac = ms % 1000
            return frac == 0 ? "\(s)" : "\(s)." + String(String(frac + 1000).dropFirst())
        }
        lines.append("# TYPE http_requests counter")
        for (job, inst) in [("api", "a:1"), ("api", "b:1"), ("web", "c:1"), ("web", "d\\\"q")] {
            var t = start, v = 0.0
            while t < start + 5 * 3600 * 1000 {
                v += Double(rng.next() % 20)
                lines.append("http_requests_total{job=\"\(job)\",instance=\"\(inst)\"} \(v) \(ts(t))")
                let jitter = Int64(rng.next() % 7) == 0 ? Int64(rng.next() % 4000) - 2000 : 0
                t += 15_000 + jitter + (rng.next() % 97 == 0 ? 600_000 : 0)
            }
        }
        lines.append("# TYPE temperature gauge")
        for room in ["kitchen", "hall", "ünïcode"] {
            var t = start + Int64(rng.next() % 10_000)
            while t < start + 5 * 3600 * 1000 {
                lines.append("temperature{room=\"\(room)\"} \(Double(Int(rng.next() % 200)) * 0.25 - 10) \(ts(t))")
                t += 30_000 + Int64(rng.next() % 3) * 1000
            }
        }
        lines.append("# TYPE lonely gauge")
        lines.append("lonely 42 \(ts(start + 3_000))")
        lines.append("# TYPE sparse gauge")
        for k in 0..<40 { lines.append("sparse{k=\"v\"} \(k % 3 == 0 ? "NaN" : String(k)) \(ts(start + Int64(k) * 450_000))") }
        lines.append("# EOF")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A chunk record of a segment file: encoding and data.
    struct ChunkRecord: Equatable { var encoding: UInt8; var data: [UInt8] }

    static func chunkRecords(_ blockDir: String) throws -> [ChunkRecord] {
        let files = try FileManager.default.contentsOfDirectory(atPath: blockDir + "/chunks").sorted()
        var out: [ChunkRecord] = []
        for f in files {
            let b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: blockDir + "/chunks/" + f)))
            var i = 8
            while i < b.count {
                var len = 0, shift = 0
                while true {
                    let x = b[i]; i += 1
                    len |= Int(x & 0x7F) << shift
                    if x < 0x80 { break }
                    shift += 7
                }
                out.append(ChunkRecord(encoding: b[i], data: Array(b[(i + 1)..<(i + 1 + len)])))
                i += 1 + len + 4
            }
        }
        return out
    }

    /// Block directories of `dir`, ordered by their meta.json's minTime.
    static func blocks(_ dir: String) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.count == 26 }
        return try names.map { dir + "/" + $0 }.sorted { a, b in try minTime(a) < minTime(b) }
    }

    static func minTime(_ block: String) throws -> Int64 {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: block + "/meta.json"))) as? [String: Any]
        return (json?["minTime"] as? NSNumber)?.int64Value ?? 0
    }

    /// The printed table's lines without the ULID and SIZE columns (ULIDs are random; promtool 2.42's index
    /// still has label indices, so sizes differ).
    static func tableFigures(_ stdout: String) -> [String] {
        stdout.split(separator: "\n").map { line in
            line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().dropLast().joined(separator: " ")
        }
    }

    struct Pair {
        var work: String
        var ours: Processes.Result
        var theirs: Processes.Result
    }

    static func backfillBoth(_ text: String, extraArguments: [String] = []) throws -> Pair {
        let work = try Processes.temporaryDirectory("create-blocks")
        try text.write(toFile: work + "/in.om", atomically: true, encoding: .utf8)
        let binary = try Processes.ourBinary()
        let ours = try Processes.run(binary, ["tsdb", "create-blocks-from", "openmetrics"] + extraArguments + [work + "/in.om", work + "/ours"])
        let theirs = try Processes.run(promtool, ["tsdb", "create-blocks-from"] + extraArguments + ["openmetrics", work + "/in.om", work + "/theirs"])
        return Pair(work: work, ours: ours, theirs: theirs)
    }

    @Test(arguments: [UInt64(1), 2])
    func blocksAndChunkBytesEqualPromtool(seed: UInt64) throws {
        let p = try Self.backfillBoth(Self.input(seed: seed))
        defer { try? FileManager.default.removeItem(atPath: p.work) }
        #expect(p.ours.status == 0, "\(p.ours)")
        #expect(p.theirs.status == 0, "\(p.theirs)")
        #expect(Self.tableFigures(p.ours.stdout) == Self.tableFigures(p.theirs.stdout))
        let ours = try Self.blocks(p.work + "/ours"), theirs = try Self.blocks(p.work + "/theirs")
        try #require(ours.count == theirs.count)
        #expect(ours.count == 3)
        for (o, t) in zip(ours, theirs) {
            let a = try Self.chunkRecords(o), b = try Self.chunkRecords(t)
            try #require(a.count == b.count)
            for (x, y) in zip(a, b) {
                // promtool 2.42's bit stream left a zero byte after a chunk ending on a byte boundary
                // through a whole-byte write; 3.x writes none. Everything else is identical.
                #expect(x.encoding == y.encoding)
                #expect(x.data == y.data || x.data + [0] == y.data, "chunk differs: \(x.data) vs \(y.data)")
            }
        }
        // `promtool tsdb dump` reads both directories to the same series and samples (2.42's dump needs a
        // `wal` directory, on its own output too).
        for d in ["/ours", "/theirs"] { try FileManager.default.createDirectory(atPath: p.work + d + "/wal", withIntermediateDirectories: true) }
        let dumpOurs = try Processes.run(Self.promtool, ["tsdb", "dump", p.work + "/ours"])
        let dumpTheirs = try Processes.run(Self.promtool, ["tsdb", "dump", p.work + "/theirs"])
        #expect(dumpOurs.status == 0, "\(dumpOurs)")
        #expect(dumpOurs.stdout.split(separator: "\n").count > 1000)
        #expect(dumpOurs.stdout == dumpTheirs.stdout)
    }

    @Test func flagsAndErrorsMatchPromtool() throws {
        var text = "a 1 100\n"
        for i in 0..<5000 { text += "b \(i) \(Double(i) / 1000 + 1)\n" }
        text += "a 2 50\n# EOF\n"
        let p = try Self.backfillBoth(text)
        defer { try? FileManager.default.removeItem(atPath: p.work) }
        #expect(p.ours.status == 1)
        #expect(p.ours.stderr == p.theirs.stderr)
        #expect(p.ours.stdout == "" && p.theirs.stdout == "")

        let q = try Self.backfillBoth("m{x=\"1\"} 1 100\nm{x=\"1\"} 2 20000\n# EOF\n", extraArguments: ["-r", "--max-block-duration=24h"])
        defer { try? FileManager.default.removeItem(atPath: q.work) }
        #expect(q.ours.status == 0, "\(q.ours)")
        #expect(Self.tableFigures(q.ours.stdout) == Self.tableFigures(q.theirs.stdout))
        #expect(try Self.blocks(q.work + "/ours").count == 1)

        let quiet = try Self.backfillBoth("m 1 100\n# EOF\n", extraArguments: ["--quiet"])
        defer { try? FileManager.default.removeItem(atPath: quiet.work) }
        #expect(quiet.ours.stdout == "" && quiet.theirs.stdout == "")
        #expect(quiet.ours.status == 0)
    }

    @Test func prometheusAnswersTheSameOnBothDirectories() throws {
        let p = try Self.backfillBoth(Self.input(seed: 3))
        defer { try? FileManager.default.removeItem(atPath: p.work) }
        try #require(p.ours.status == 0, "\(p.ours)")
        let oursServer = try PrometheusFixture.serve(dataDirectory: p.work + "/ours")
        defer { oursServer.stop() }
        let theirsServer = try PrometheusFixture.serve(dataDirectory: p.work + "/theirs")
        defer { theirsServer.stop() }
        let start = "1700000000", end = "1700018000"
        let queries = [
            "http_requests_total", "rate(http_requests_total[5m])", "temperature", "sum by (job) (http_requests_total)",
            "lonely", "sparse", "count_over_time({__name__=~\".+\"}[1h])",
        ]
        for q in queries {
            let a = try Processes.run(Self.promtool, ["query", "range", "--start=\(start)", "--end=\(end)", "--step=60s", oursServer.url, q])
            let b = try Processes.run(Self.promtool, ["query", "range", "--start=\(start)", "--end=\(end)", "--step=60s", theirsServer.url, q])
            #expect(a.status == 0, "\(q): \(a)")
            #expect(!a.stdout.isEmpty, "\(q)")
            #expect(a == b, "\(q)")
        }
        for (command, rest) in [("series", "--match=temperature"), ("labels", "room")] {
            let a = try Processes.run(Self.promtool, ["query", command, oursServer.url, rest])
            let b = try Processes.run(Self.promtool, ["query", command, theirsServer.url, rest])
            #expect(a.status == 0 && a == b, "\(command)")
        }
    }
}

/// `tsdb create-blocks-from rules` against a real Prometheus holding data: our blocks and promtool's for the
/// same rules and range hold the same series and samples.
@Suite(.serialized, .needsPrometheus) struct TSDBCreateBlocksFromRulesProcessTests {
    @Test func sameBlocksAsPromtool() throws {
        let server = try PrometheusFixture.start()
        defer { server.stop() }
        let work = try Processes.temporaryDirectory("rules-backfill")
        defer { try? FileManager.default.removeItem(atPath: work) }
        try """
            groups:
              - name: rates
                interval: 30s
                rules:
                  - record: job:http_requests:rate1m
                    expr: sum by (job) (rate(http_requests_total[1m]))
                    labels:
                      source: backfill
                  - record: temp:max
                    expr: max(temp)
              - name: default-interval
                rules:
                  - record: lat:count
                    expr: lat_count
            """.write(toFile: work + "/rules.yml", atomically: true, encoding: .utf8)
        let start = "\(SampleData.start)", end = "\(SampleData.start + 1800)"
        let common = ["--start=\(start)", "--end=\(end)", "--url=\(server.url)"]
        let ours = try Processes.run(try Processes.ourBinary(),
                                     ["tsdb", "create-blocks-from", "rules"] + common + ["--output-dir=\(work)/ours", work + "/rules.yml"])
        let theirs = try Processes.run("/usr/bin/promtool",
                                       ["tsdb", "create-blocks-from", "rules"] + common + ["--output-dir=\(work)/theirs", work + "/rules.yml"])
        #expect(ours.status == 0, "\(ours)")
        #expect(theirs.status == 0, "\(theirs)")
        for d in ["/ours", "/theirs"] { try FileManager.default.createDirectory(atPath: work + d + "/wal", withIntermediateDirectories: true) }
        let dumpOurs = try Processes.run("/usr/bin/promtool", ["tsdb", "dump", work + "/ours"])
        let dumpTheirs = try Processes.run("/usr/bin/promtool", ["tsdb", "dump", work + "/theirs"])
        #expect(dumpOurs.status == 0, "\(dumpOurs)")
        let sortedOurs = dumpOurs.stdout.split(separator: "\n").sorted()
        #expect(sortedOurs.count > 100)
        #expect(sortedOurs == dumpTheirs.stdout.split(separator: "\n").sorted())
        #expect(try TSDBCreateBlocksProcessTests.blocks(work + "/ours").count == (try TSDBCreateBlocksProcessTests.blocks(work + "/theirs")).count)
    }

    @Test func errorsMatchPromtool() throws {
        let work = try Processes.temporaryDirectory("rules-backfill-errors")
        defer { try? FileManager.default.removeItem(atPath: work) }
        try "groups: []\n".write(toFile: work + "/r.yml", atomically: true, encoding: .utf8)
        for args in [["--start=10", "--end=5"], ["--start=x"], ["--start=10", "--end=bad"]] {
            let a = try Processes.run(try Processes.ourBinary(), ["tsdb", "create-blocks-from", "rules"] + args + ["--output-dir=\(work)/o", work + "/r.yml"])
            let b = try Processes.run("/usr/bin/promtool", ["tsdb", "create-blocks-from", "rules"] + args + ["--output-dir=\(work)/o", work + "/r.yml"])
            #expect(a.status == b.status, "\(args)")
            #expect(a.stderr == b.stderr, "\(args)")
        }
    }
}
