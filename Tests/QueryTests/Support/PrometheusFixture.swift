import Foundation
import Testing
import TestSupport

/// A real Prometheus (`/usr/bin/prometheus`) on 127.0.0.1 over data backfilled with
/// `promtool tsdb create-blocks-from openmetrics` from `SampleData.openMetrics` (or other OpenMetrics text).
final class PrometheusFixture {
    let url: String
    let directory: String
    private let process: Process

    static let prometheusPath = "/usr/bin/prometheus"
    static let promtoolPath = "/usr/bin/promtool"

    /// Starts Prometheus over `openMetrics`; tests that call this carry `.needsPrometheus` (skipped where
    /// Prometheus is not installed, a failure in CI).
    static func start(openMetrics: String = SampleData.openMetrics) throws -> PrometheusFixture {
        try PrometheusFixture(openMetrics: openMetrics)
    }

    /// A Prometheus with no backfilled data that scrapes `target` (host:port) every second, with `flags`
    /// added (e.g. `--enable-feature=native-histograms`); callers carry `.needsPrometheus`.
    static func startScraping(target: String, flags: [String]) throws -> PrometheusFixture {
        let config = "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: test\n    static_configs:\n      - targets: ['\(target)']\n"
        return try PrometheusFixture(openMetrics: nil, config: config, flags: flags)
    }

    /// A Prometheus with no data running `config` (a whole prometheus.yml); callers carry `.needsPrometheus`.
    static func start(config: String) throws -> PrometheusFixture {
        try PrometheusFixture(openMetrics: nil, config: config)
    }

    /// A Prometheus serving the existing TSDB directory `dataDirectory` (left in place by `stop()`; its
    /// config lives in the fixture's own temporary directory); callers carry `.needsPrometheus`.
    static func serve(dataDirectory: String) throws -> PrometheusFixture {
        try PrometheusFixture(openMetrics: nil, dataDirectory: dataDirectory)
    }

    private init(openMetrics: String?, dataDirectory: String? = nil, config: String = "global:\n  scrape_interval: 15s\n",
                 flags: [String] = []) throws {
        directory = try Processes.temporaryDirectory("prometheus")
        let data = dataDirectory ?? directory + "/data"
        if let openMetrics {
            let input = directory + "/input.om"
            try openMetrics.write(toFile: input, atomically: true, encoding: .utf8)
            let backfill = try Processes.run(Self.promtoolPath, ["tsdb", "create-blocks-from", "openmetrics", input, data])
            guard backfill.status == 0 else { throw TestFailure("backfill failed: \(backfill)") }
        }
        try config.write(toFile: directory + "/prometheus.yml", atomically: true, encoding: .utf8)
        let port = try Processes.freePort()
        url = "http://127.0.0.1:\(port)"
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.prometheusPath)
        process.arguments = [
            "--config.file=\(directory)/prometheus.yml", "--storage.tsdb.path=\(data)",
            "--storage.tsdb.retention.time=100y", "--web.listen-address=127.0.0.1:\(port)",
        ] + flags
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        // Ready within 60 s or fail (our own `check ready` polls it).
        let binary = try Processes.ourBinary()
        for _ in 0..<120 {
            let r = try Processes.run(binary, ["check", "ready", "--url", url])
            if r.status == 0 { return }
            if !process.isRunning { throw TestFailure("prometheus exited: status \(process.terminationStatus)") }
            usleep(500_000)
        }
        stop()
        throw TestFailure("prometheus at \(url) not ready after 60 s")
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// The test data: counters, a gauge with quotes and backslashes in a label, and a classic histogram,
/// every 15 s for 30 minutes from 1700000000 (OpenMetrics, seconds timestamps, `# EOF`).
enum SampleData {
    static let start = 1_700_000_000
    static let steps = 121

    static var openMetrics: String {
        var lines = ["# HELP http_requests_total Requests.", "# TYPE http_requests_total counter"]
        for i in 0..<steps {
            let t = start + i * 15
            for (job, instance, rate) in [("api", "a:1", 1.5), ("api", "b:1", 2.0), ("web", "c:1", 0.5)] {
                lines.append("http_requests_total{job=\"\(job)\",instance=\"\(instance)\",path=\"/x<y>&z\"} \(rate * Double(i * 15)) \(t)")
            }
        }
        lines.append("# TYPE temp gauge")
        for i in 0..<steps {
            lines.append("temp{room=\"k\\\"it\\\\chen\"} \(20 + Double(i % 7) * 0.25) \(start + i * 15)")
        }
        lines.append("# TYPE lat histogram")
        for i in 0..<steps {
            let t = start + i * 15
            lines.append("lat_bucket{le=\"0.1\"} \(i) \(t)")
            lines.append("lat_bucket{le=\"1\"} \(2 * i) \(t)")
            lines.append("lat_bucket{le=\"+Inf\"} \(3 * i) \(t)")
            lines.append("lat_sum \(Double(i) * 0.5) \(t)")
            lines.append("lat_count \(3 * i) \(t)")
        }
        lines.append("# EOF")
        return lines.joined(separator: "\n") + "\n"
    }
}

extension Trait where Self == ConditionTrait {
    /// For tests against a real Prometheus: both `/usr/bin/prometheus` and `/usr/bin/promtool` (which backfills).
    static var needsPrometheus: Self { .needsExecutables(PrometheusFixture.prometheusPath, PrometheusFixture.promtoolPath) }
}
