import Engine
import Foundation
import Testing

/// The WAL written by a real Prometheus (`/usr/bin/prometheus` 2.42) scraping itself every 100 ms, replayed by
/// `WALReplay` into our head: every series and sample equals what Prometheus's HTTP API returns for the same
/// directory (a second Prometheus started on it after the first was stopped with SIGTERM, so both read the same
/// files). With WAL compression on (snappy, 2.42's default) and off.
@Suite(.serialized, .needsPrometheus) struct WALReplayProcessTests {
    @Test(arguments: [true, false]) func replayEqualsPrometheusAPI(compressed: Bool) throws {
        let scraper = try ScrapingPrometheus.start(walCompression: compressed)
        defer { scraper.removeDirectory() }
        // ~15 s of scrapes (150 samples a series, so head chunks get cut and memory-mapped too).
        sleep(15)
        // The target leaves service discovery: the scrape manager applies that within 5 s, and the stopped loop
        // writes stale markers two intervals later.
        try scraper.dropTarget()
        sleep(8)
        scraper.terminate()

        // Prometheus's way (chunks_head/ first, then WAL samples newer than each series' chunks), and the WAL alone.
        let head = Head()
        let stats = try WALReplay.replay(directory: scraper.dataDirectory, into: head)
        #expect(stats.segments >= 1)
        #expect(stats.unknownRecords == 0 && stats.droppedSamples == 0 && stats.unknownRefSamples == 0)
        #expect(stats.mmappedChunks > 0 && stats.mmappedSamples > 0 && stats.samplesCoveredByChunks > 0)
        #expect(stats.floatSamples > 0)
        let ours = Self.samples(of: head)
        let walOnly = Head()
        let walStats = try WALReplay.replay(directory: scraper.dataDirectory, into: walOnly, options: .init(headChunks: false))
        #expect(walStats.mmappedChunks == 0 && walStats.floatSamples == stats.floatSamples + stats.mmappedSamples)
        #expect(Self.samples(of: walOnly) == ours)

        let reader = try ScrapingPrometheus.restart(on: scraper)
        let expected = try reader.allSamples()
        reader.terminate()

        Self.expectEqual(ours, expected)
        // The stale markers are kept (the API's range selection hides them).
        #expect(Self.staleMarkers(in: head) > 0)
    }

    /// Every series and sample equal, with the first differences named.
    static func expectEqual(_ ours: [Labels: [Point]], _ expected: [Labels: [Point]],
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(ours.count == expected.count, "series: ours \(ours.count), Prometheus \(expected.count)", sourceLocation: sourceLocation)
        var mismatches: [String] = []
        for (labels, want) in expected where ours[labels] != want {
            let got = ours[labels] ?? []
            mismatches.append("\(labels): ours \(got.count) samples, Prometheus \(want.count); first difference at \(Array(zip(got, want)).firstIndex { $0 != $1 } ?? min(got.count, want.count))")
        }
        for labels in ours.keys where expected[labels] == nil { mismatches.append("\(labels): only ours") }
        #expect(mismatches.isEmpty, "\(mismatches.count) series differ: \(mismatches.prefix(5).joined(separator: "\n"))", sourceLocation: sourceLocation)
    }

    struct Point: Equatable {
        var t: Int64
        var bits: UInt64
        init(t: Int64, v: Double) {
            self.t = t
            bits = v.isNaN ? Double.nan.bitPattern : v.bitPattern
        }
    }

    /// Our head's float samples per series, stale markers left out (as a range selection leaves them out).
    static func samples(of head: Head) -> [Labels: [Point]] {
        var out: [Labels: [Point]] = [:]
        guard let all = try? LabelMatcher(.regexMatch, "__name__", ".+") else { return out }
        for s in head.select([all], mint: .min, maxt: .max) {
            let points = s.floatSamples(in: Int64.min...Int64.max).filter { !isStaleNaN($0.v) }
                .map { Point(t: $0.t, v: $0.v) }
            if !points.isEmpty { out[s.labels] = points }
        }
        return out
    }

    static func staleMarkers(in head: Head) -> Int {
        guard let all = try? LabelMatcher(.regexMatch, "__name__", ".+") else { return 0 }
        return head.select([all], mint: .min, maxt: .max).reduce(0) { n, s in
            n + s.floatSamples(in: Int64.min...Int64.max).filter { isStaleNaN($0.v) }.count
        }
    }
}

/// A Prometheus on 127.0.0.1 with its own data directory: first scraping a target (its own /metrics unless told
/// otherwise) every 100 ms from a file_sd file, so a test can take the target away, later restarted on the same
/// directory without scrape jobs to answer queries over what the first one wrote.
final class ScrapingPrometheus {
    let directory: String
    let url: String
    private let process: Process
    var dataDirectory: String { directory + "/data" }

    /// Starts a Prometheus that scrapes `target` (host:port; nil: itself) and, with `alsoItself`, itself too, with
    /// `flags` added and `storage` as the `storage:` section of prometheus.yml; tests that call this carry
    /// `.needsPrometheus`.
    static func start(walCompression: Bool = true, target: String? = nil, alsoItself: Bool = false, flags: [String] = [],
                      storage: String? = nil) throws -> ScrapingPrometheus {
        let directory = try Processes.temporaryDirectory("walreplay")
        return try ScrapingPrometheus(directory: directory, scraping: true, target: target, alsoItself: alsoItself,
                                      walCompression: walCompression, flags: flags, storage: storage)
    }

    /// A second Prometheus on the directory `first` wrote (stopped before), scraping nothing, with the same kind of
    /// `flags` and `storage:` section as the first needed to read what it wrote.
    static func restart(on first: ScrapingPrometheus, flags: [String] = [], storage: String? = nil) throws -> ScrapingPrometheus {
        try ScrapingPrometheus(directory: first.directory, scraping: false, target: nil, alsoItself: false, walCompression: true,
                               flags: flags, storage: storage)
    }

    private init(directory: String, scraping: Bool, target: String?, alsoItself: Bool, walCompression: Bool, flags: [String],
                 storage: String?) throws {
        self.directory = directory
        let port = try Processes.freePort()
        url = "http://127.0.0.1:\(port)"
        var config = "global:\n  scrape_interval: 100ms\n  scrape_timeout: 100ms\n"
        if let storage { config += "storage:\n" + storage }
        if scraping {
            let itself = "127.0.0.1:\(port)"
            let targets = [target ?? itself] + (alsoItself && target != nil ? [itself] : [])
            try "[{\"targets\": [\(targets.map { "\"\($0)\"" }.joined(separator: ", "))]}]\n"
                .write(toFile: directory + "/targets.json", atomically: true, encoding: .utf8)
            config += "scrape_configs:\n  - job_name: self\n    file_sd_configs:\n      - files: ['\(directory)/targets.json']\n"
        }
        try config.write(toFile: directory + "/prometheus.yml", atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: PrometheusFixture.prometheusPath)
        process.arguments = [
            "--config.file=\(directory)/prometheus.yml", "--storage.tsdb.path=\(directory)/data",
            "--web.listen-address=127.0.0.1:\(port)",
            walCompression ? "--storage.tsdb.wal-compression" : "--no-storage.tsdb.wal-compression",
        ] + flags
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        for _ in 0..<120 {
            let r = try Processes.run(try Processes.ourBinary(), ["check", "ready", "--url", url])
            if r.status == 0 { return }
            if !process.isRunning { throw TestFailure("prometheus exited: status \(process.terminationStatus)") }
            usleep(500_000)
        }
        terminate()
        throw TestFailure("prometheus at \(url) not ready after 60 s")
    }

    /// Empties the file_sd file: the target disappears.
    func dropTarget() throws {
        try "[]\n".write(toFile: directory + "/targets.json", atomically: true, encoding: .utf8)
    }

    /// Every float sample of every series, from `{__name__=~".+"}[1d]` at a time after all of them (series holding
    /// only native histograms left out).
    func allSamples() throws -> [Labels: [WALReplayProcessTests.Point]] {
        // An hour ahead, for targets that expose timestamps a little in the future.
        try Self.allSamples(url: url, time: Int(Date().timeIntervalSince1970) + 3600)
    }

    /// Every float sample of every series the Prometheus at `url` holds in the day before `time` (Unix seconds).
    static func allSamples(url: String, time: Int) throws -> [Labels: [WALReplayProcessTests.Point]] {
        // Our remote `query -o json` prints the API's bare result value.
        let r = try Processes.run(try Processes.ourBinary(), [
            "query", "instant", "-o", "json", url, "{__name__=~\".+\"}[1d]", "--time", "\(time)",
        ])
        guard r.status == 0 else { throw TestFailure("query failed: \(r)") }
        return try Self.floatSamples(matrixJSON: r.stdout)
    }

    /// The float samples of a range selection printed by `query instant -o json` (series holding only native
    /// histograms left out).
    static func floatSamples(matrixJSON: String) throws -> [Labels: [WALReplayProcessTests.Point]] {
        guard let result = try JSONSerialization.jsonObject(with: Data(matrixJSON.utf8)) as? [[String: Any]]
        else { throw TestFailure("unexpected response: \(matrixJSON.prefix(300))") }
        var out: [Labels: [WALReplayProcessTests.Point]] = [:]
        for series in result {
            guard let metric = series["metric"] as? [String: String] else { throw TestFailure("unexpected series: \(series)") }
            // Native histogram series have only "histograms" (compared separately).
            if series["values"] == nil && series["histograms"] != nil { continue }
            guard let values = series["values"] as? [[Any]] else { throw TestFailure("unexpected series: \(series)") }
            var points: [WALReplayProcessTests.Point] = []
            for pair in values {
                guard pair.count == 2, let ts = pair[0] as? Double, let text = pair[1] as? String, let v = Self.goFloat(text) else {
                    throw TestFailure("unexpected sample: \(pair)")
                }
                points.append(.init(t: Int64((ts * 1000).rounded()), v: v))
            }
            out[Labels(metric)] = points
        }
        return out
    }

    private static func goFloat(_ s: String) -> Double? {
        switch s {
        case "+Inf": return .infinity
        case "-Inf": return -.infinity
        default: return Double(s)
        }
    }

    /// SIGTERM, then wait for the shutdown to finish (the WAL is closed cleanly).
    func terminate() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    func removeDirectory() {
        terminate()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
