import ConfigModel
import Engine
import ScrapeHTTP
import Testing

@Suite struct ScrapeRequestTests {
    /// Prometheus's TestAcceptHeader expectations (scrape/scrape_test.go at v3.14.0).
    @Test(arguments: [
        (["OpenMetricsText1.0.0", "OpenMetricsText0.0.1", "PrometheusText1.0.0", "PrometheusText0.0.4"], "underscores",
         "application/openmetrics-text;version=1.0.0;escaping=underscores;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=underscores;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2"),
        (["PrometheusProto", "OpenMetricsText1.0.0", "OpenMetricsText0.0.1", "PrometheusText1.0.0", "PrometheusText0.0.4"], "dots",
         "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,application/openmetrics-text;version=1.0.0;escaping=dots;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=dots;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1"),
        (["OpenMetricsText1.0.0", "OpenMetricsText0.0.1", "PrometheusText1.0.0", "PrometheusText0.0.4"], "allow-utf-8",
         "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2"),
    ])
    func acceptHeader(_ protocols: [String], _ escaping: String, _ expected: String) {
        #expect(ScrapeRequest.acceptHeader(protocols, escaping: escaping) == expected)
    }

    @Test func urlCarriesPathSchemeAndSortedEscapedParams() throws {
        let job = try loadJob("""
        scrape_configs:
          - job_name: probe
            metrics_path: /probe
            params:
              module: [http_2xx]
              target: ["a b&c"]
            relabel_configs:
              - source_labels: [__address__]
                target_label: __param_target
              - target_label: __address__
                replacement: exporter:9115
            static_configs:
              - targets: ["example.com:443"]
        """)
        let target = try onlyTarget(job)
        #expect(target.url == "http://exporter:9115/probe?module=http_2xx&target=example.com%3A443")
        #expect(target.labels == ["instance": "exporter:9115", "job": "probe"])
    }

    @Test func timeoutHeaderIsGoSeconds() throws {
        let job = try loadJob("""
        scrape_configs:
          - job_name: t
            scrape_interval: 2s
            scrape_timeout: 1500ms
            static_configs: [{targets: ["h:1"]}]
        """)
        let request = ScrapeRequest(target: try onlyTarget(job), job: job)
        #expect(request.headers.first { $0.0 == "X-Prometheus-Scrape-Timeout-Seconds" }?.1 == "1.5")
    }

    @Test func requestAsPrometheusSendsIt() async throws {
        let server = try await ScrapeTestServer { _ in .init(text: "m 1\n") }
        let job = try job(for: server, """
        params:
          x: ["1"]
        basic_auth:
          username: user
          password: s3cret
        """)
        let report = try await scrapeOnce(job, head: Head())
        await server.stop()
        #expect(report.up)
        let r = try #require(server.requests.first)
        #expect(r.uri == "/metrics?x=1")
        #expect(r.header("Accept") == "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2")
        #expect(r.header("Accept-Encoding") == "gzip")
        #expect(r.header("User-Agent") == ScrapeRequest.userAgent)
        #expect(r.header("X-Prometheus-Scrape-Timeout-Seconds") == "10")
        #expect(r.header("Authorization") == "Basic dXNlcjpzM2NyZXQ=")
    }

    @Test func compressionCanBeDisabled() async throws {
        let server = try await ScrapeTestServer { _ in .init(text: "m 1\n") }
        try await scrapeOnce(try job(for: server, "enable_compression: false"), head: Head())
        await server.stop()
        #expect(server.requests.first?.header("Accept-Encoding") == "identity")
    }
}
