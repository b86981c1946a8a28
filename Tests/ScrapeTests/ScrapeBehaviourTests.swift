import ConfigModel
import Engine
import ScrapeHTTP
import Testing

private let openMetricsType = "application/openmetrics-text; version=1.0.0; charset=utf-8"

@Suite struct ScrapeBehaviourTests {
    private func serve(_ reply: ScrapeTestServer.Reply) async throws -> ScrapeTestServer {
        try await ScrapeTestServer { _ in reply }
    }

    @Test func prometheusTextIsAppendedWithReportSeries() async throws {
        let server = try await serve(.init(text: "# TYPE a counter\na_total{x=\"1\"} 5\nb 2 123\n"))
        let head = Head()
        let report = try await scrapeOnce(try job(for: server), head: head, at: 1_000_000)
        await server.stop()
        #expect(report.up)
        #expect(report.samplesScraped == 2)
        #expect(report.samplesPostRelabeling == 2)
        #expect(report.seriesAdded == 2)
        let instance = server.address
        #expect(samples(head, ["__name__": "a_total", "x": "1", "job": "test", "instance": instance]).map(\.float) == [5])
        // honor_timestamps (default true): the exposed timestamp is kept.
        #expect(samples(head, ["__name__": "b", "job": "test", "instance": instance]).map(\.t) == [123])
        for (name, value) in [("up", 1.0), ("scrape_samples_scraped", 2), ("scrape_samples_post_metric_relabeling", 2), ("scrape_series_added", 2)] {
            #expect(samples(head, ["__name__": name, "job": "test", "instance": instance]).map(\.float) == [value], "\(name)")
        }
        #expect(samples(head, ["__name__": "scrape_duration_seconds", "job": "test", "instance": instance]).count == 1)
    }

    @Test func honorTimestampsFalseUsesTheScrapeTime() async throws {
        let server = try await serve(.init(text: "b 2 123\n"))
        let head = Head()
        try await scrapeOnce(try job(for: server, "honor_timestamps: false"), head: head, at: 5000)
        await server.stop()
        #expect(samples(head, ["__name__": "b", "job": "test", "instance": server.address]).map(\.t) == [5000])
    }

    @Test func openMetricsIsNegotiated() async throws {
        let server = try await serve(.init(text: "# TYPE c counter\nc_total 3\n# EOF\n", contentType: openMetricsType))
        let head = Head()
        let report = try await scrapeOnce(try job(for: server), head: head)
        await server.stop()
        #expect(report.up, "\(report.error ?? "")")
        #expect(samples(head, ["__name__": "c_total", "job": "test", "instance": server.address]).map(\.float) == [3])
    }

    @Test func missingContentTypeFailsWithoutFallback() async throws {
        let server = try await serve(.init(headers: [], body: Array("m 1\n".utf8)))
        let report = try await scrapeOnce(try job(for: server), head: Head())
        #expect(!report.up)
        #expect(report.error == "non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target")
        let withFallback = try await scrapeOnce(try job(for: server, "fallback_scrape_protocol: PrometheusText0.0.4"), head: Head())
        await server.stop()
        #expect(withFallback.up)
        #expect(withFallback.samplesScraped == 1)
    }

    @Test func htmlPageFailsTheScrape() async throws {
        let server = try await serve(.init(headers: [("Content-Type", "text/html")], body: Array("<html>nope</html>".utf8)))
        let report = try await scrapeOnce(try job(for: server), head: Head())
        await server.stop()
        #expect(report.error == "received unsupported Content-Type \"text/html\" and no fallback_scrape_protocol specified for target")
    }

    @Test func gzipBodyIsDecoded() async throws {
        let text = (0..<200).map { "g{i=\"\($0)\"} \($0)\n" }.joined()
        let server = try await serve(.init(headers: [("Content-Type", "text/plain; version=0.0.4"), ("Content-Encoding", "gzip")],
                                           body: gzipStored(Array(text.utf8))))
        let report = try await scrapeOnce(try job(for: server), head: Head())
        await server.stop()
        #expect(report.up, "\(report.error ?? "")")
        #expect(report.samplesScraped == 200)
    }

    @Test func httpErrorStatusIsReported() async throws {
        let server = try await serve(.init(status: 404, body: Array("not here".utf8)))
        let report = try await scrapeOnce(try job(for: server), head: Head())
        await server.stop()
        #expect(report.error == "server returned HTTP status 404 Not Found")
    }

    @Test func refusedConnectionIsDown() async throws {
        let server = try await serve(.init(text: ""))
        let address = server.address
        await server.stop()
        let job = try loadJob("scrape_configs:\n  - job_name: gone\n    static_configs: [{targets: [\"\(address)\"]}]\n")
        let report = try await scrapeOnce(job, head: Head())
        #expect(!report.up)
        #expect(report.errorKind == .refused)
    }

    @Test func timeoutFailsTheScrape() async throws {
        let server = try await serve(.init(hang: true))
        let report = try await scrapeOnce(try job(for: server, "scrape_interval: 1s\nscrape_timeout: 300ms"), head: Head())
        await server.stop()
        #expect(!report.up)
        #expect(report.errorKind == .timeout)
    }

    @Test func bodySizeLimit() async throws {
        let server = try await serve(.init(text: String(repeating: "m 1\n", count: 100)))
        let report = try await scrapeOnce(try job(for: server, "body_size_limit: 100B"), head: Head())
        let under = try await scrapeOnce(try job(for: server, "body_size_limit: 1KB"), head: Head())
        await server.stop()
        #expect(report.error == "body size limit exceeded")
        #expect(report.errorKind == .bodySizeLimit)
        #expect(under.error?.contains("body size") != true)
    }

    @Test(arguments: [
        ("sample_limit: 2", "sample limit exceeded"),
        ("label_limit: 3", "label_limit exceeded (metric: m, number of labels: 4, limit: 3)"),
        ("label_name_length_limit: 4", "label_name_length_limit exceeded (metric: m, label name: __name__, length: 8, limit: 4)"),
        ("label_value_length_limit: 5", "label_value_length_limit exceeded (metric: m, label name: instance, value: \"127.0.0.1:"),
    ])
    func limitsFailTheWholeScrape(_ setting: String, _ messagePrefix: String) async throws {
        let server = try await serve(.init(text: "m{a=\"1\"} 1\nm{a=\"2\"} 2\nm{a=\"3\"} 3\n"))
        let head = Head()
        let job = try job(for: server, setting)
        let report = try await scrapeOnce(job, head: head)
        await server.stop()
        #expect(!report.up)
        // The instance label holds the server's port, so the value case is checked up to it.
        #expect(report.error?.hasPrefix(messagePrefix) == true, "\(report.error ?? "")")
        #expect(samples(head, ["__name__": "m", "a": "1", "job": "test", "instance": server.address]).isEmpty)
        #expect(samples(head, ["__name__": "up", "job": "test", "instance": server.address]).map(\.float) == [0])
    }

    @Test func honorLabelsFalsePrefixesExported() async throws {
        let server = try await serve(.init(text: "m{job=\"other\",exported_job=\"x\"} 1\n"))
        let head = Head()
        try await scrapeOnce(try job(for: server), head: head)
        await server.stop()
        #expect(samples(head, ["__name__": "m", "job": "test", "instance": server.address, "exported_job": "x", "exported_exported_job": "other"]).count == 1)
    }

    @Test func honorLabelsTrueKeepsScrapedValues() async throws {
        let server = try await serve(.init(text: "m{job=\"other\"} 1\n"))
        let head = Head()
        try await scrapeOnce(try job(for: server, "honor_labels: true"), head: head)
        await server.stop()
        #expect(samples(head, ["__name__": "m", "job": "other", "instance": server.address]).count == 1)
    }

    @Test func metricRelabelConfigsDropAndRewrite() async throws {
        let server = try await serve(.init(text: "keep_me 1\ndrop_me 2\n"))
        let head = Head()
        let report = try await scrapeOnce(try job(for: server, """
        metric_relabel_configs:
          - source_labels: [__name__]
            regex: drop_.*
            action: drop
          - target_label: env
            replacement: prod
        """), head: head)
        await server.stop()
        #expect(report.samplesScraped == 2)
        #expect(report.samplesPostRelabeling == 1)
        #expect(samples(head, ["__name__": "keep_me", "env": "prod", "job": "test", "instance": server.address]).count == 1)
        #expect(!metricNames(head).contains("drop_me"))
    }

    @Test func disappearedSeriesAndFailedScrapesGetStaleMarkers() async throws {
        let page = ChangingPage()
        let server = try await ScrapeTestServer { _ in page.reply }
        let job = try job(for: server)
        let head = Head()
        let scraper = TargetScraper(target: try onlyTarget(job), job: job, head: head, fetcher: try TransportScrapeFetcher(job: job))
        let base = ["job": "test", "instance": server.address]
        func series(_ name: String) -> [String: String] { base.merging(["__name__": name]) { $1 } }

        await scraper.scrape(at: 1000)
        page.set(body: "a 1\n")
        let second = await scraper.scrape(at: 2000)
        #expect(second.seriesAdded == 0)
        let b = samples(head, series("b"))
        #expect(b.count == 2)
        #expect(b.last.map { isStaleNaN($0.float ?? 0) && $0.t == 2000 } == true)

        page.set(status: 500)
        let third = await scraper.scrape(at: 3000)
        await server.stop()
        #expect(!third.up)
        let a = samples(head, series("a"))
        #expect(a.last.map { isStaleNaN($0.float ?? 0) && $0.t == 3000 } == true)
        #expect(samples(head, series("up")).map(\.float) == [1, 1, 0])
    }
}

/// A target whose page the test changes between scrapes.
final class ChangingPage: Sendable {
    private let state = SanitizedMutex((status: 200, body: "a 1\nb 2\n"))
    var reply: ScrapeTestServer.Reply {
        state.withLock { .init(status: $0.status, body: Array($0.body.utf8)) }
    }
    func set(body: String) { state.withLock { $0.body = body } }
    func set(status: Int) { state.withLock { $0.status = status } }
}

import Locking

@Suite struct ScrapeStalenessTests {
    /// Series with their own timestamps are not marked stale unless `track_timestamps_staleness` is set.
    @Test(arguments: [(false, 1), (true, 2)])
    func explicitTimestamps(_ track: Bool, _ expectedSamples: Int) async throws {
        let page = ChangingPage()
        page.set(body: "a 1 500\n")
        let server = try await ScrapeTestServer { _ in page.reply }
        let job = try job(for: server, "track_timestamps_staleness: \(track)")
        let head = Head()
        let scraper = TargetScraper(target: try onlyTarget(job), job: job, head: head, fetcher: try TransportScrapeFetcher(job: job))
        await scraper.scrape(at: 1000)
        page.set(body: "b 1\n")
        await scraper.scrape(at: 2000)
        await server.stop()
        let a = samples(head, ["__name__": "a", "job": "test", "instance": server.address])
        #expect(a.count == expectedSamples)
        if track { #expect(a.last.map { isStaleNaN($0.float ?? 0) } == true) }
    }
}

@Suite struct ScrapeFailureKindTests {
    @Test func unknownHostIsADNSFailure() async throws {
        let job = try loadJob("scrape_configs:\n  - job_name: dns\n    scrape_timeout: 5s\n    static_configs: [{targets: [\"no-such-host.invalid:9100\"]}]\n")
        let report = try await scrapeOnce(job, head: Head())
        #expect(!report.up)
        #expect(report.errorKind == .dns, "\(report.error ?? "")")
    }
}
