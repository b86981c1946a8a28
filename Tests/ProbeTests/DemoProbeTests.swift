import ConfigModel
import DemoTargets
import Engine
import Foundation
import Lint
import ScrapeHTTP
import Testing
import TestSupport

/// `check config --probe` on the demo's configuration (testdata/demo/prometheus.yml) against the demo's
/// own servers, started in-process on free ports (the config's fixed ports are rewritten to them).
@Suite struct DemoProbeTests {
    /// The demo config and the seed's alerts in a scratch directory, pointed at `setup`.
    static func demoConfig(_ setup: DemoSetup, in dir: ScratchDirectory) throws -> (path: String, text: String) {
        let root = SharedFiles.packageRoot
        var text = try String(contentsOfFile: root + "/testdata/demo/prometheus.yml", encoding: .utf8)
        let standard = DemoSetup.Ports.standard
        for (port, server) in zip(standard.apps + [standard.nginx, standard.redis], setup.all) {
            text = text.replacingOccurrences(of: "127.0.0.1:\(port)'", with: "127.0.0.1:\(server.port)'")
        }
        let alerts = try String(contentsOfFile: root + "/testdata/alerts/sse_alerts.yml", encoding: .utf8)
        try dir.write("alerts/sse_alerts.yml", alerts)
        return (try dir.write("demo/prometheus.yml", text), text)
    }

    /// Starts the demo, probes the demo config against it, stops it.
    static func probeDemo() async throws -> (result: ConfigProbe.Result, setup: DemoSetup, path: String, text: String) {
        let setup = try await DemoSetup.start(ports: .anyFree)
        let dir = try ScratchDirectory("demo")
        defer { dir.remove() }
        let (path, text) = try demoConfig(setup, in: dir)
        let result = await ConfigProbe.run(configPath: path, fetcher: httpFetcher)
        await setup.stop()
        return (result, setup, path, text)
    }

    @Test func nginxStubStatusIsReportedAtTheNginxJob() async throws {
        let (result, setup, path, text) = try await Self.probeDemo()
        let nginx = result.findings(ProbeChecks.notExposition)
        #expect(nginx.count == 1)
        let finding = try #require(nginx.first)
        #expect(finding.severity == .error)
        #expect(finding.message.contains("NGINX's stub_status page"))
        #expect(finding.message.contains("nginx-prometheus-exporter"))
        #expect(finding.message.hasPrefix("job \"nginx\": target http://\(setup.nginx.address)/nginx-status"))
        #expect(finding.file == path)
        #expect(finding.range.start == position(of: "'nginx'", in: text))
        // Everything else is up: the three app instances and the exporter.
        #expect(result.findings(ProbeChecks.targetDown).isEmpty)
        #expect(result.targets.filter(\.report.up).count == 4)
        #expect(result.findings(ProbeChecks.series).count == 4)
        // The seed's alerts only select metrics the app serves.
        #expect(result.findings(ProbeChecks.unexposedMetric).isEmpty)
        #expect(result.exitCode == 3)
    }

    @Test func appInstancesServeTheMetricsTheSeedAlertsSelect() async throws {
        let result = try await Self.probeDemo().result
        let apps = result.targets.filter { $0.job == "sse-application" }
        #expect(apps.count == 3)
        for app in apps {
            let names = Set(app.report.seriesPerMetric.keys)
            for needed in ["sse_requests_total", "sse_request_duration_seconds_bucket", "sse_active_connections",
                           "sse_cache_hits_total", "sse_cache_misses_total"] {
                #expect(names.contains(needed), "\(app.url) lacks \(needed)")
            }
            // Client-library output follows the naming rules.
            #expect(app.namingProblems.isEmpty, "\(app.namingProblems)")
        }
        let redis = try #require(result.targets.first { $0.job == "redis" })
        for needed in ["redis_connected_clients", "redis_used_memory_bytes", "redis_commands_processed_total"] {
            #expect(redis.report.seriesPerMetric[needed] != nil, "redis exporter lacks \(needed)")
        }
        #expect(result.findings(ProbeChecks.metricNaming).isEmpty)
    }

    /// Two scrapes of an app instance 15 s apart: its counters grew, so `rate()` over them is not zero.
    @Test func appCountersMoveBetweenScrapes() async throws {
        let app = SSEAppInstance(seed: 7)
        let server = try await DemoHTTPServer(port: 0, respond: app.respond(path:))
        let config = try PrometheusConfig.parse("""
        scrape_configs:
          - job_name: app
            metrics_path: /admin/metrics
            static_configs:
              - targets: ['\(server.address)']
        """)
        let job = try #require(config.scrapeConfigs.first)
        let target = try #require(JobTargets.discover(job).populated().first.flatMap { ScrapeTarget($0, job: job) })
        let head = Head()
        let scraper = TargetScraper(target: target, job: job, head: head, fetcher: try TransportScrapeFetcher(job: job))
        let first = await scraper.scrape(at: 1_000_000)
        let second = await scraper.scrape(at: 1_015_000)
        await server.stop()
        #expect(first.up && second.up)
        let byName = try LabelMatcher(.equal, "__name__", "sse_requests_total")
        var total: [Int64: Double] = [:]
        for series in head.select([byName], mint: .min, maxt: .max) {
            for s in series.samples(in: Int64.min...Int64.max) { total[s.t, default: 0] += s.float ?? 0 }
        }
        let before = try #require(total[1_000_000]), after = try #require(total[1_015_000])
        #expect(after > before)
    }

    @Test func demoSetupFailsWhenAPortIsBusy() async throws {
        let busy = try await DemoHTTPServer(port: 0) { _ in nil }
        await #expect(throws: (any Error).self) {
            _ = try await DemoSetup.start(ports: DemoSetup.Ports(apps: [0, 0, 0], nginx: busy.port, redis: 0))
        }
        await busy.stop()
    }

    @Test func stubStatusPageLooksLikeNginxs() {
        let page = NginxStubStatus().page()
        let lines = page.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("Active connections: "))
        #expect(lines[1] == "server accepts handled requests")
        #expect(lines[3].hasPrefix("Reading: "))
        #expect(ResponseShape.classify(Array(page.utf8), contentType: "text/plain") == .nginxStubStatus)
    }
}
