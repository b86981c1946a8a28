import Engine
import Foundation
import Testing

/// `tsdb list|analyze|dump` and `query --tsdb` against the real tools on directories they wrote:
/// `/usr/bin/promtool tsdb create-blocks-from openmetrics` (2.42) and a `/usr/bin/prometheus` serving them.
@Suite(.serialized, .needsPrometheus) struct TSDBReadOracleTests {
    /// Several metrics over ~7 h (so several 2 h blocks), floats of every XOR shape (repeats, integers, fractions,
    /// large jumps, negative values), label values with quotes and UTF-8.
    static func openMetrics(seed: UInt64) -> String {
        var rng = SplitMix(seed)
        var lines: [String] = []
        for m in 0..<4 {
            lines.append("# TYPE m\(m) gauge")
            for s in 0..<5 {
                var v = Double(s)
                let label = s == 3 ? "q\\\"u\\\\o ä" : "i\(s)"
                for i in 0..<(1700 - s * 100) {
                    switch rng.next() % 5 {
                    case 0: break
                    case 1: v += 1
                    case 2: v = Double(rng.next() % 1000) / 7
                    case 3: v = -v * 1e6
                    default: v += 0.25
                    }
                    lines.append("m\(m){job=\"j\(s % 2)\",inst=\"\(label)\"} \(v) \(1_600_000_000 + i * 15 + s)")
                }
            }
        }
        lines.append("# EOF")
        return lines.joined(separator: "\n") + "\n"
    }

    struct SplitMix {
        var state: UInt64
        init(_ s: UInt64) { state = s }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// A directory backfilled by promtool (the suite carries `.needsPrometheus`).
    static func backfilled(_ name: String) throws -> String {
        let dir = try Processes.temporaryDirectory(name)
        try openMetrics(seed: 7).write(toFile: dir + "/in.om", atomically: true, encoding: .utf8)
        let r = try Processes.run(PrometheusFixture.promtoolPath, ["tsdb", "create-blocks-from", "openmetrics", dir + "/in.om", dir + "/data"])
        guard r.status == 0 else { throw TestFailure("backfill failed: \(r)") }
        return dir
    }

    @Test func listEqualsPromtools() throws {
        let dir = try Self.backfilled("tsdb-list")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ours = try Processes.ourBinary()
        for flags in [[], ["-r"]] {
            let expected = try Processes.run(PrometheusFixture.promtoolPath, ["tsdb", "list"] + flags + [dir + "/data"])
            let actual = try Processes.run(ours, ["tsdb", "list"] + flags + [dir + "/data"])
            #expect(expected.status == 0)
            #expect(actual == expected)
            #expect(expected.stdout.split(separator: "\n").count >= 4)
        }
    }

    @Test func dumpEqualsPromtools() throws {
        let dir = try Self.backfilled("tsdb-dump")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ours = try Processes.ourBinary()
        // promtool 2.42's read-only open wants a WAL directory (3.14's does not); it is empty, so the data is the same.
        try FileManager.default.createDirectory(atPath: dir + "/data/wal", withIntermediateDirectories: true)
        let cases: [[String]] = [
            [],
            ["--match", "m1{job=\"j0\"}"],
            ["--min-time", "1600005000000", "--max-time", "1600009000000", "--match", "{inst=~\"q.*|i1\"}"],
            ["--match", "{__name__=~\"m[23]\",inst!=\"i0\"}", "--min-time", "1600020000000"],
        ]
        for args in cases {
            let expected = try Processes.run(PrometheusFixture.promtoolPath, ["tsdb", "dump"] + args + [dir + "/data"])
            let actual = try Processes.run(ours, ["tsdb", "dump"] + args + [dir + "/data"])
            #expect(expected.status == 0, "\(expected)")
            #expect(actual.stdout == expected.stdout, "\(args)")
            #expect(actual.status == 0)
        }
        // seriesjson (3.x only): one line per series, as json.Marshal(labels) prints them.
        let json = try Processes.run(ours, ["tsdb", "dump", "--format", "seriesjson", "--match", "m0", dir + "/data"])
        #expect(json.stdout.split(separator: "\n").first == "{\"__name__\":\"m0\",\"inst\":\"i0\",\"job\":\"j0\"}")
        #expect(json.stdout.split(separator: "\n").count == 5)
        // dump-openmetrics (3.x only): every float sample of the prom dump, in OpenMetrics syntax.
        let om = try Processes.run(ours, ["tsdb", "dump-openmetrics", "--match", "m2", dir + "/data"])
        let prom = try Processes.run(ours, ["tsdb", "dump", "--match", "m2", dir + "/data"])
        #expect(om.stdout.hasSuffix("# EOF\n"))
        #expect(om.stdout.split(separator: "\n").count == prom.stdout.split(separator: "\n").count + 1)
    }

    /// promtool's analyze output as sections of sets (ties are in Go map order), 2.42's `Series:` read as 3.14's
    /// `Total Series:` (3.14 cmd/promtool/tsdb.go analyzeBlock: `fmt.Printf("Total Series: %d\n", …)`).
    static func sections(_ text: String) -> [[String]] {
        text.replacingOccurrences(of: "\nSeries: ", with: "\nTotal Series: ")
            .components(separatedBy: "\n\n").map { $0.split(separator: "\n").map(String.init).sorted() }
    }

    @Test func analyzeEqualsPromtoolsAsSets() throws {
        let dir = try Self.backfilled("tsdb-analyze")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ours = try Processes.ourBinary()
        let blocks = try FileManager.default.contentsOfDirectory(atPath: dir + "/data").filter { $0.count == 26 }.sorted()
        // --limit 100 so that every row is printed and ties cannot fall on the cut.
        for args in [["--limit", "100"], ["--limit", "100", dir + "/data", blocks[0]]] {
            let full = args.count == 2 ? args + [dir + "/data"] : args
            let expected = try Processes.run(PrometheusFixture.promtoolPath, ["tsdb", "analyze"] + full)
            let actual = try Processes.run(ours, ["tsdb", "analyze"] + full)
            #expect(expected.status == 0, "\(expected)")
            #expect(Self.sections(actual.stdout) == Self.sections(expected.stdout), "\(full)\n\(actual.stdout)\n\(expected.stdout)")
        }
        // --match is 3.x only: 2 of the 5 series of each of the 4 metrics have job="j1".
        let matched = try Processes.run(ours, ["tsdb", "analyze", "--match", "{job=\"j1\"}", dir + "/data"])
        #expect(matched.stdout.contains("Matcher: {job=\"j1\"}\nLabel names: 3\nMatched series: 8\n"), "\(matched)")
        #expect(matched.stdout.contains("\n8 job=j1\n") && !matched.stdout.contains("job=j0"))
        let json = try Processes.run(ours, ["tsdb", "analyze", "-o", "json", dir + "/data"])
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let jobs = parsed?["seriesByJob"] as? [[String: Any]]
        #expect(jobs?.count == 2)
        #expect(jobs?.first?["key"] as? String == "j0")
        let byMetric = parsed?["seriesByMetricAndJob"] as? [[String: Any]]
        #expect(byMetric?.count == 8 && byMetric?.first?["key"] as? String == "m0{job=\"j0\"}")
    }

    /// `--extended`: the analysis as promtool's (as sets), then 3.14's compaction analysis, which 2.42 prints in
    /// an older form ("Fullness" deciles; 3.14 cmd/promtool/tsdb.go analyzeCompaction/displayHistogram print
    /// min/avg/max and a histogram per chunk kind), so its figures are checked against `promtool tsdb list`'s
    /// chunk count of the block.
    @Test func analyzeExtendedAddsTheCompactionAnalysis() throws {
        let dir = try Self.backfilled("tsdb-analyze-extended")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ours = try Processes.ourBinary()
        let blocks = try FileManager.default.contentsOfDirectory(atPath: dir + "/data").filter { $0.count == 26 }.sorted()
        let list = try Processes.run(PrometheusFixture.promtoolPath, ["tsdb", "list", dir + "/data"])
        for block in blocks {
            let expected = try Processes.run(PrometheusFixture.promtoolPath, ["tsdb", "analyze", "--extended", "--limit", "100", dir + "/data", block])
            let actual = try Processes.run(ours, ["tsdb", "analyze", "--extended", "--limit", "100", dir + "/data", block])
            #expect(expected.status == 0 && actual.status == 0, "\(expected)\n\(actual)")
            let theirs = expected.stdout.components(separatedBy: "\nCompaction analysis:\n")
            let mine = actual.stdout.components(separatedBy: "\nCompaction analysis:\n")
            try #require(theirs.count == 2 && mine.count == 2, "\(actual.stdout)")
            #expect(Self.sections(mine[0]) == Self.sections(theirs[0]))
            // NUM CHUNKS of this block in `tsdb list`: the sum of the float histogram's rows.
            let row = try #require(list.stdout.split(separator: "\n").first { $0.hasPrefix(block) })
            let chunks = try #require(Int(row.split(separator: " ", omittingEmptySubsequences: true)[5]))
            #expect(Self.floatChunkCount(mine[1]) == chunks, "\(mine[1])")
            let lines = mine[1].split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.first == "")
            let samples = try #require(lines.first { $0.hasPrefix("samples per float chunk (min/avg/max): ") })
            let figures = samples.split(separator: " ").last?.split(separator: "/").compactMap { Int($0) } ?? []
            // A chunk holds at least one sample and at most what its 16-bit header counts (2.42's backfill may
            // cut chunks past 120 samples).
            #expect(figures.count == 3 && figures[0] >= 1 && figures[2] < 65536 && figures[0] <= figures[1] && figures[1] <= figures[2], "\(figures)")
            #expect(mine[1].hasSuffix("samples per histogram chunk: N/A\n\nbytes per histogram chunk: N/A\n\nbuckets per histogram chunk: N/A\n\n"))
        }
        // With a matcher only the matched series' chunks count: 2 of the 5 series per metric have job="j1".
        let all = try Processes.run(ours, ["tsdb", "analyze", "--extended", dir + "/data", blocks[0]])
        let matched = try Processes.run(ours, ["tsdb", "analyze", "--extended", "--match", "{job=\"j1\"}", dir + "/data", blocks[0]])
        #expect(matched.status == 0)
        let some = try #require(Self.floatChunkCount(matched.stdout)), every = try #require(Self.floatChunkCount(all.stdout))
        #expect(some > 0 && some < every)
    }

    /// The sum of the rows of "samples per float chunk" in an extended analysis: the float chunks counted.
    static func floatChunkCount(_ text: String) -> Int? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("samples per float chunk (min/avg/max): ") }),
              let end = lines.firstIndex(where: { $0.hasPrefix("bytes per float chunk") }), start < end else { return nil }
        // "[ 1, 10]: 2 ##": the count after the colon.
        return lines[(start + 1)..<end].compactMap { $0.split(separator: "]: ").last?.split(separator: " ").first.flatMap { Int($0) } }.reduce(0, +)
    }

    @Test func queryOverTSDBAnswersAsPrometheusDoes() throws {
        let prometheus = try PrometheusFixture.start(openMetrics: Self.openMetrics(seed: 11))
        defer { prometheus.stop() }
        let ours = try Processes.ourBinary()
        let data = prometheus.directory + "/data"
        // Times are chosen so that no sample sits exactly on a window's left edge: 2.42 includes it, 3.x (and we)
        // do not (3.0 made range selectors and the lookback window left-open).
        let queries: [[String]] = [
            ["instant", "SERVER", "m0", "--time", "1600003007"],
            ["instant", "-o", "json", "SERVER", "sum by (job) (m1)", "--time", "1600012345.5"],
            ["range", "SERVER", "max_over_time(m2[10m])", "--start", "1600000007", "--end", "1600026000", "--step", "7m"],
            ["range", "-o", "json", "SERVER", "count by (inst) (m3 > 0)", "--start", "1600007000", "--end", "1600015000", "--step", "90s"],
            ["series", "SERVER", "--match", "m1{job=\"j1\"}", "--start", "1600000000", "--end", "1600030000"],
            ["labels", "SERVER", "inst", "--start", "1600000000", "--end", "1600030000"],
        ]
        for args in queries {
            let remote = ["query"] + args.map { $0 == "SERVER" ? prometheus.url : $0 }
            let local = ["query"] + args.filter { $0 != "SERVER" } + ["--tsdb", data]
            let fromServer = try Processes.run(ours, remote)
            let fromDisk = try Processes.run(ours, local)
            #expect(fromServer.status == 0, "\(fromServer)")
            #expect(!fromServer.stdout.isEmpty)
            #expect(fromDisk == fromServer, "\(args.joined(separator: " "))")
        }
    }

    /// A directory a real Prometheus wrote while scraping (WAL + head chunks, no blocks yet): every series and
    /// sample `TSDBDirectory.openWithHead` reads equals what that Prometheus's API returned just before it stopped.
    @Test func scrapedDirectoryEqualsPrometheusAPI() throws {
        let server = try ScrapingPrometheus.start(walCompression: true)
        defer { server.removeDirectory() }
        sleep(10)
        // The target leaves service discovery (applied within 5 s; stale markers two intervals later); then a
        // second Prometheus on the stopped directory answers for everything its WAL holds.
        try server.dropTarget()
        sleep(8)
        server.terminate()
        let reader = try ScrapingPrometheus.restart(on: server)
        let expected = try reader.allSamples()
        reader.terminate()
        let dir = try TSDBDirectory.openWithHead(path: server.dataDirectory)
        let all = try LabelMatcher(.regexMatch, "__name__", ".+")
        var ours: [Labels: [WALReplayProcessTests.Point]] = [:]
        for s in try dir.seriesSamples([all], mint: .min, maxt: .max) {
            let points = s.samples.compactMap { x in x.float.flatMap { isStaleNaN($0) ? nil : WALReplayProcessTests.Point(t: x.t, v: $0) } }
            if !points.isEmpty { ours[s.labels] = points }
        }
        #expect(!expected.isEmpty)
        #expect(ours.count == expected.count)
        let differing = expected.filter { ours[$0.key] != $0.value }.map(\.key)
        #expect(differing.isEmpty, "\(differing.count) series differ, e.g. \(differing.prefix(3))")
        // The same through the CLI: `query series --tsdb` lists every series the API has.
        let r = try Processes.run(try Processes.ourBinary(), ["query", "series", "--tsdb", server.dataDirectory, "--match", "{__name__=~\".+\"}"])
        #expect(r.status == 0)
        #expect(r.stdout.split(separator: "\n").count == expected.count, "\(r.stderr)")
    }

    // MARK: corrupt input

    static func copyBlock(_ dir: String) throws -> String {
        let blocks = try FileManager.default.contentsOfDirectory(atPath: dir + "/data").filter { $0.count == 26 }.sorted()
        return dir + "/data/" + blocks[0]
    }

    @Test func corruptFilesGiveErrorsNamingFileAndOffset() throws {
        let dir = try Self.backfilled("tsdb-corrupt")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ours = try Processes.ourBinary()
        let block = try Self.copyBlock(dir)
        let index = block + "/index"
        let original = try Data(contentsOf: URL(fileURLWithPath: index))

        // Truncated index: the TOC is gone.
        try original.prefix(original.count / 2).write(to: URL(fileURLWithPath: index))
        var r = try Processes.run(ours, ["tsdb", "list", dir + "/data"])
        #expect(r.status == 1)
        #expect(r.stderr.contains(index) && r.stderr.contains("offset"), "\(r)")

        // A flipped byte inside the symbol table: its CRC no longer matches.
        var flipped = original
        flipped[20] ^= 0xFF
        try flipped.write(to: URL(fileURLWithPath: index))
        r = try Processes.run(ours, ["tsdb", "dump", dir + "/data"])
        #expect(r.status == 1)
        #expect(r.stderr.contains(index) && r.stderr.contains("checksum mismatch") && r.stderr.contains("offset"), "\(r)")
        try original.write(to: URL(fileURLWithPath: index))

        // A corrupt chunk: the chunk CRC fails when its series is read.
        let segment = block + "/chunks/000001"
        var chunks = try Data(contentsOf: URL(fileURLWithPath: segment))
        chunks[40] ^= 0x55
        try chunks.write(to: URL(fileURLWithPath: segment))
        r = try Processes.run(ours, ["tsdb", "dump", dir + "/data"])
        #expect(r.status == 1)
        #expect(r.stderr.contains(segment) && r.stderr.contains("offset"), "\(r)")

        // Missing chunk file.
        try FileManager.default.removeItem(atPath: segment)
        r = try Processes.run(ours, ["query", "instant", "--tsdb", dir + "/data", "m0", "--time", "1600000100"])
        #expect(r.status == 1)
        #expect(r.stderr.contains(segment), "\(r)")
    }
}
