import ConfigModel
import Engine
import Locking
import ScrapeHTTP
import Testing

/// Repeated scrapes of one target over real HTTP: series found in the scrape cache (by their bytes in the
/// text format, by their labels in OpenMetrics) land in the same head series, stay dropped when relabelling
/// dropped them, and a series written differently (label order) is still the same series.
@Suite struct ScrapeSeriesReuseTests {
    final class Page: Sendable {
        private let state: SanitizedMutex<(contentType: String, body: String)>
        init(_ contentType: String, _ body: String) { state = SanitizedMutex((contentType, body)) }
        var reply: ScrapeTestServer.Reply {
            state.withLock { .init(headers: [("Content-Type", $0.contentType)], body: Array($0.body.utf8)) }
        }
        func set(body: String) { state.withLock { $0.body = body } }
    }

    static let relabel = """
    metric_relabel_configs:
      - source_labels: [__name__]
        regex: drop_.*
        action: drop
    """

    @Test(arguments: [
        ("text/plain; version=0.0.4", "", ""),
        ("application/openmetrics-text; version=1.0.0", "# TYPE m gauge\n", "# EOF\n"),
    ])
    func repeatedScrapesReuseSeries(_ contentType: String, _ header: String, _ trailer: String) async throws {
        let page = Page(contentType, header + "m{a=\"1\",b=\"2\"} 1\nm{a=\"2\",b=\"2\"} 7\ndrop_me 5\n" + trailer)
        let server = try await ScrapeTestServer { _ in page.reply }
        let job = try job(for: server, Self.relabel)
        let head = Head()
        let scraper = TargetScraper(target: try onlyTarget(job), job: job, head: head, fetcher: try TransportScrapeFetcher(job: job))
        let first = await scraper.scrape(at: 1000)
        page.set(body: header + "m{a=\"1\",b=\"2\"} 2\nm{a=\"2\",b=\"2\"} 8\ndrop_me 6\n" + trailer)
        let second = await scraper.scrape(at: 2000)
        // The same series written with its labels in another order, and the second series gone.
        page.set(body: header + "m{b=\"2\",a=\"1\"} 3\ndrop_me 7\n" + trailer)
        let third = await scraper.scrape(at: 3000)
        await server.stop()

        #expect([first, second, third].map(\.up) == [true, true, true])
        #expect([first, second, third].map(\.samplesScraped) == [3, 3, 2])
        #expect([first, second, third].map(\.samplesPostRelabeling) == [2, 2, 1])
        #expect([first, second, third].map(\.seriesAdded) == [2, 0, 0])
        let base = ["job": "test", "instance": server.address, "__name__": "m", "b": "2"]
        let one = samples(head, base.merging(["a": "1"]) { $1 })
        #expect(one.map(\.t) == [1000, 2000, 3000])
        #expect(one.compactMap(\.float) == [1, 2, 3])
        let two = samples(head, base.merging(["a": "2"]) { $1 })
        #expect(two.map(\.t) == [1000, 2000, 3000])
        #expect(two.last.map { isStaleNaN($0.float ?? 0) } == true)
        #expect(!metricNames(head).contains("drop_me"))
    }

    /// A series the cache knows still counts against `sample_limit` on every scrape.
    @Test func cachedSeriesStillCountAgainstSampleLimit() async throws {
        let page = Page("text/plain; version=0.0.4", "a 1\n")
        let server = try await ScrapeTestServer { _ in page.reply }
        let job = try job(for: server, "sample_limit: 2")
        let head = Head()
        let scraper = TargetScraper(target: try onlyTarget(job), job: job, head: head, fetcher: try TransportScrapeFetcher(job: job))
        let first = await scraper.scrape(at: 1000)
        page.set(body: "a 2\nb 2\nc 3\n")
        let second = await scraper.scrape(at: 2000)
        page.set(body: "a 3\nb 3\n")
        let third = await scraper.scrape(at: 3000)
        await server.stop()
        #expect(first.up && !second.up && third.up)
        #expect(second.error == "sample limit exceeded")
        #expect(samples(head, ["job": "test", "instance": server.address, "__name__": "b"]).compactMap(\.float) == [3])
    }
}
