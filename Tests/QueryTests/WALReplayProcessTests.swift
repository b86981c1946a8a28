import Engine
import Foundation
import Testing

/// The WAL written by a real Prometheus (`/usr/bin/prometheus` 2.42) scraping itself every 100 ms, replayed by
/// `WALReplay` into our head: every series and sample equals what Prometheus's HTTP API returned for the same
/// data just before it was stopped (SIGTERM). With WAL compression on (snappy, 2.42's default) and off.
@Suite(.serialized) struct WALReplayProcessTests {
    @Test(arguments: [true, false]) func replayEqualsPrometheusAPI(compressed: Bool) throws {
        guard let server = try ScrapingPrometheus.startIfInstalled(walCompression: compressed) else { return }
        defer { server.removeDirectory() }
        // ~15 s of scrapes (150 samples a series, so head chunks get cut and memory-mapped too).
        sleep(15)
        // Stop scraping (the reload drops the job, which writes stale markers), then read everything back.
        try server.dropScrapeJob()
        sleep(2)
        let expected = try server.allSamples()
        server.terminate()

        let head = Head()
        let stats = try WALReplay.replay(directory: server.dataDirectory, into: head)
        #expect(stats.segments >= 1)
        #expect(stats.unknownRecords == 0)
        #expect(stats.floatSamples > 0)
        let ours = Self.samples(of: head)
        #expect(ours.count == expected.count, "series: ours \(ours.count), Prometheus \(expected.count)")
        var mismatches: [String] = []
        for (labels, want) in expected where ours[labels] != want {
            let got = ours[labels] ?? []
            mismatches.append("\(labels): ours \(got.count) samples, Prometheus \(want.count); first difference at \(Array(zip(got, want)).firstIndex { $0 != $1 } ?? min(got.count, want.count))")
        }
        for labels in ours.keys where expected[labels] == nil { mismatches.append("\(labels): only ours") }
        #expect(mismatches.isEmpty, "\(mismatches.count) series differ: \(mismatches.prefix(5).joined(separator: "\n"))")
        // The reload's stale markers are kept (the API's range selection hides them).
        #expect(Self.staleMarkers(in: head) > 0)
    }

    /// A sample compared bit for bit, except that every NaN is one NaN (the API prints them all as "NaN").
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

/// A Prometheus on 127.0.0.1 scraping its own /metrics every 100 ms into a fresh data directory.
final class ScrapingPrometheus {
    let directory: String
    let url: String
    private let process: Process
    var dataDirectory: String { directory + "/data" }

    static func startIfInstalled(walCompression: Bool) throws -> ScrapingPrometheus? {
        guard Processes.installed(PrometheusFixture.prometheusPath) != nil, Processes.installed("/usr/bin/curl") != nil else {
            if Processes.inCI { throw TestFailure("\(PrometheusFixture.prometheusPath) and curl are required in CI") }
            return nil
        }
        return try ScrapingPrometheus(walCompression: walCompression)
    }

    private init(walCompression: Bool) throws {
        directory = try Processes.temporaryDirectory("walreplay")
        let port = try Processes.freePort()
        url = "http://127.0.0.1:\(port)"
        try """
        global:
          scrape_interval: 100ms
          scrape_timeout: 100ms
        scrape_configs:
          - job_name: self
            static_configs:
              - targets: ['127.0.0.1:\(port)']
        """.write(toFile: directory + "/prometheus.yml", atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: PrometheusFixture.prometheusPath)
        process.arguments = [
            "--config.file=\(directory)/prometheus.yml", "--storage.tsdb.path=\(directory)/data",
            "--web.listen-address=127.0.0.1:\(port)", "--web.enable-lifecycle",
            walCompression ? "--storage.tsdb.wal-compression" : "--no-storage.tsdb.wal-compression",
        ]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: directory + "/prometheus.log")
        try process.run()
        for _ in 0..<120 {
            let r = try Processes.run("/usr/bin/curl", ["-sf", url + "/-/ready"])
            if r.status == 0 { return }
            if !process.isRunning { throw TestFailure("prometheus exited: status \(process.terminationStatus)") }
            usleep(500_000)
        }
        terminate()
        throw TestFailure("prometheus at \(url) not ready after 60 s")
    }

    /// Reloads a configuration without scrape jobs.
    func dropScrapeJob() throws {
        try "global:\n  scrape_interval: 100ms\n  scrape_timeout: 100ms\n".write(toFile: directory + "/prometheus.yml", atomically: true, encoding: .utf8)
        let r = try Processes.run("/usr/bin/curl", ["-sf", "-X", "POST", url + "/-/reload"])
        guard r.status == 0 else { throw TestFailure("reload failed: \(r)") }
    }

    /// Every float sample of every series, from `{__name__=~".+"}[1d]` at a time after all of them.
    func allSamples() throws -> [Labels: [WALReplayProcessTests.Point]] {
        let time = Int(Date().timeIntervalSince1970) + 60
        let r = try Processes.run("/usr/bin/curl", [
            "-sf", "--get", url + "/api/v1/query", "--data-urlencode", "query={__name__=~\".+\"}[1d]",
            "--data-urlencode", "time=\(time)",
        ])
        guard r.status == 0 else { throw TestFailure("query failed: \(r)") }
        guard let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any],
              let data = json["data"] as? [String: Any], let result = data["result"] as? [[String: Any]]
        else { throw TestFailure("unexpected response: \(r.stdout.prefix(300))") }
        var out: [Labels: [WALReplayProcessTests.Point]] = [:]
        for series in result {
            guard let metric = series["metric"] as? [String: String], let values = series["values"] as? [[Any]] else {
                throw TestFailure("unexpected series: \(series)")
            }
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
