import Foundation
import Locking
import Testing
import TestSupport

/// `query … --config FILE --scrapes N` end to end: the built binary scrapes a real server on 127.0.0.1
/// (started here) into its embedded head and answers as the `--input` mode does.
@Suite struct ConfigScrapeQueryTests {
    func run(_ args: [String]) throws -> Processes.Result { try Processes.run(try Processes.ourBinary(), args) }

    /// A target whose counter goes up by 10 per scrape, and the config that scrapes it every 500 ms.
    func target() async throws -> (TestHTTPServer, String) {
        let scrapes = SanitizedMutex(0)
        let server = try await TestHTTPServer { _ in
            let n = scrapes.withLock { $0 += 1; return $0 }
            return .init(headers: [("Content-Type", "text/plain; version=0.0.4")],
                         body: "# TYPE c_total counter\nc_total{path=\"/a\"} \(n * 10)\nc_total{path=\"/b\"} 1\n")
        }
        let dir = try Processes.temporaryDirectory("config-scrape")
        let config = dir + "/prometheus.yml"
        try """
        global:
          scrape_interval: 500ms
        scrape_configs:
          - job_name: demo
            static_configs:
              - targets: ["127.0.0.1:\(server.port)"]
                labels: {env: "test"}
        """.write(toFile: config, atomically: true, encoding: .utf8)
        return (server, config)
    }

    @Test func instantQueryAnswersFromTheScrapedTargets() async throws {
        let (server, config) = try await target()
        let r = try run(["query", "instant", "--config", config, "--scrapes", "3", "sum by (job) (c_total)", "-o", "json"])
        await server.stop()
        #expect(server.requests.count == 3)
        #expect(r.status == 0, "\(r)")
        // The newest scrape (the third: 30 + 1) at its own time, printed as the remote mode prints it.
        #expect(r.stdout.hasPrefix("[{\"metric\":{\"job\":\"demo\"},\"value\":["), "\(r)")
        #expect(r.stdout.hasSuffix(",\"31\"]}]\n"), "\(r)")
    }

    @Test func seriesAndLabelsSeeTheTargetAndItsReportSeries() async throws {
        let (server, config) = try await target()
        let series = try run(["query", "series", "--config", config, "--scrapes", "1", "--match", "up"])
        let labels = try run(["query", "labels", "--config", config, "--scrapes", "1", "__name__"])
        await server.stop()
        #expect(series == Processes.Result(status: 0, stdout: "{__name__=\"up\", env=\"test\", instance=\"127.0.0.1:\(server.port)\", job=\"demo\"}\n", stderr: ""))
        #expect(labels == Processes.Result(status: 0, stdout: """
            c_total
            scrape_duration_seconds
            scrape_samples_post_metric_relabeling
            scrape_samples_scraped
            scrape_series_added
            up

            """, stderr: ""))
    }

    @Test func rangeQueryOverTheScrapes() async throws {
        let (server, config) = try await target()
        let r = try run(["query", "range", "--config", config, "--scrapes", "2", "count_over_time(up[1m])", "-o", "json"])
        await server.stop()
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.hasPrefix("[{\"metric\":{\"env\":\"test\",\"instance\":\"127.0.0.1:\(server.port)\",\"job\":\"demo\"},\"values\":["), "\(r)")
    }

    @Test func anUnreachableTargetIsDownAndTheQueryStillAnswers() throws {
        let dir = try Processes.temporaryDirectory("config-scrape-down")
        let config = dir + "/prometheus.yml"
        try "scrape_configs:\n  - job_name: down\n    scrape_interval: 200ms\n    static_configs: [{targets: [\"127.0.0.1:1\"]}]\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let r = try run(["query", "instant", "--config", config, "--scrapes", "1", "up"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.hasPrefix("up{instance=\"127.0.0.1:1\", job=\"down\"} => 0 @["), "\(r)")
    }

    @Test func badConfigAndScrapeCountAreErrors() throws {
        let missing = try run(["query", "instant", "--config", "/nonexistent/prometheus.yml", "up"])
        #expect(missing.status == 1)
        #expect(missing.stdout.isEmpty)
        #expect(missing.stderr.hasPrefix("error loading config: "), "\(missing)")
        let dir = try Processes.temporaryDirectory("config-scrape-bad")
        let config = dir + "/prometheus.yml"
        try "scrape_configs:\n  - job_name: x\n    scrape_interval: nope\n".write(toFile: config, atomically: true, encoding: .utf8)
        let invalid = try run(["query", "instant", "--config", config, "up"])
        #expect(invalid.status == 1)
        #expect(invalid.stderr.hasPrefix("error loading config: parsing YAML file \(config): not a valid duration string: \"nope\""), "\(invalid)")
        #expect(invalid.stderr.contains("\n  at \(config):3:"), "\(invalid)")
        let withServer = try run(["query", "instant", "--config", config, "http://127.0.0.1:1", "up"])
        #expect(withServer == Processes.Result(status: 1, stdout: "", stderr: "promtool: error: --config queries scraped targets without a server; drop the SERVER or --config, try --help\n"))
        let zero = try run(["query", "instant", "--config", config, "--scrapes", "0", "up"])
        #expect(zero == Processes.Result(status: 1, stdout: "", stderr: "promtool: error: --scrapes must be at least 1, got 0, try --help\n"))
    }
}
