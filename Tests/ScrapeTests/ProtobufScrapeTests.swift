import ConfigModel
@testable import Engine
import ScrapeHTTP
import Synchronization
import Testing

/// Scraping the protobuf exposition from a real HTTP server on 127.0.0.1: the Accept header asks for it,
/// native histograms land in the head as the proto says, and `native_histogram_bucket_limit`,
/// `native_histogram_min_bucket_factor`, `scrape_native_histograms` and `always_scrape_classic_histograms`
/// act as in Prometheus 3.14.
@Suite struct ProtobufScrapeTests {
    typealias P = ProtobufExposition

    /// A server answering every scrape with `families` as protobuf.
    func server(_ families: [P.Family]) async throws -> ScrapeTestServer {
        let body = try P.encode(families)
        return try await ScrapeTestServer { _ in .init(headers: [("Content-Type", P.contentType)], body: body) }
    }

    func histogramFamily(_ h: P.Histogram) -> P.Family {
        P.family("rpc_seconds", .histogram, help: "RPC latency.", [P.metric([("svc", "a")]) { $0.histogram = h }])
    }

    func labels(_ name: String, _ job: ScrapeConfig, _ extra: [String: String] = [:]) throws -> [String: String] {
        try named(name, onlyTarget(job).labels).merging(extra) { $1 }
    }

    @Test func nativeHistogramsOfAProtobufScrapeAreHeadHistogramsAsTheProtoSays() async throws {
        let counter = P.family("requests_total", .counter, [P.metric([("code", "200")]) { $0.counter.value = 7 }])
        let server = try await server([counter, histogramFamily(P.integerNative())])
        let job = try job(for: server, "scrape_native_histograms: true")
        let head = Head()
        let report = try await scrapeOnce(job, head: head, at: 5_000)
        await server.stop()
        #expect(report.error == nil)
        #expect(report.samplesScraped == 2)
        // scrape_native_histograms makes the protobuf format the first choice.
        let accept = try #require(server.requests.first?.header("Accept"))
        #expect(accept.hasPrefix("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,"))
        let h = samples(head, try labels("rpc_seconds", job, ["svc": "a"]))
        #expect(h.map(\.t) == [5_000])
        #expect(h.first?.histogram == P.integerNativeExpected)
        #expect(samples(head, try labels("requests_total", job, ["code": "200"])).map(\.float) == [7])
        // Without always_scrape_classic_histograms the classic buckets of a native histogram are not kept.
        #expect(!metricNames(head).contains("rpc_seconds_bucket"))
    }

    @Test func classicSeriesAreKeptBesideTheNativeHistogramWhenAskedFor() async throws {
        let server = try await server([histogramFamily(P.integerNative())])
        let job = try job(for: server, "scrape_native_histograms: true\nalways_scrape_classic_histograms: true")
        let head = Head()
        let report = try await scrapeOnce(job, head: head)
        await server.stop()
        #expect(report.samplesScraped == 6)
        #expect(samples(head, try labels("rpc_seconds", job, ["svc": "a"])).first?.histogram == P.integerNativeExpected)
        #expect(samples(head, try labels("rpc_seconds_bucket", job, ["svc": "a", "le": "+Inf"])).map(\.float) == [13])
        #expect(samples(head, try labels("rpc_seconds_count", job, ["svc": "a"])).map(\.float) == [13])
    }

    @Test func withoutScrapeNativeHistogramsTheClassicSeriesAreScraped() async throws {
        let server = try await server([histogramFamily(P.integerNative())])
        let job = try job(for: server)
        let head = Head()
        let report = try await scrapeOnce(job, head: head)
        await server.stop()
        #expect(report.error == nil)
        #expect(server.requests.first?.header("Accept")?.contains("vnd.google.protobuf") == false)
        #expect(Set(metricNames(head)).isSuperset(of: ["rpc_seconds_bucket", "rpc_seconds_count", "rpc_seconds_sum"]))
        #expect(!metricNames(head).contains("rpc_seconds"))
    }

    @Test func relabellingTurnsNativeHistogramScrapingOnForOneTarget() async throws {
        // 3.14's internal target label wins over the job's setting (off here).
        let server = try await server([histogramFamily(P.integerNative())])
        let job = try job(for: server, """
        relabel_configs:
          - target_label: __scrape_native_histograms__
            replacement: "true"
        """)
        let head = Head()
        #expect(try await scrapeOnce(job, head: head).error == nil)
        await server.stop()
        #expect(samples(head, try labels("rpc_seconds", job, ["svc": "a"])).first?.histogram == P.integerNativeExpected)
        #expect(!metricNames(head).contains("rpc_seconds_bucket"))
    }

    @Test func convertedClassicHistogramsAreCustomBucketHistogramsInTheHead() async throws {
        let classic = P.family("size_bytes", .histogram, [P.metric { m in
            m.histogram.sampleCount = 4
            m.histogram.sampleSum = 900
            m.histogram.bucket = [P.bucket(100, 1), P.bucket(1000, 4)]
        }])
        let server = try await server([classic])
        let job = try job(for: server, "convert_classic_histograms_to_nhcb: true")
        let head = Head()
        #expect(try await scrapeOnce(job, head: head).error == nil)
        await server.stop()
        let h = try #require(samples(head, try labels("size_bytes", job)).first?.histogram)
        #expect(h.usesCustomBuckets)
        #expect(h.customValues == [100, 1000])
        #expect(h.positiveBuckets == [1, 3])
        #expect(h.count == 4)
        #expect(!metricNames(head).contains("size_bytes_bucket"))
    }

    @Test func theBucketLimitHalvesTheResolutionUntilTheHistogramFits() async throws {
        // Schema 3, buckets −2…1 (1.5 each): at schema 1 they fall into buckets 0 and 1.
        let server = try await server([histogramFamily(P.floatNative())])
        let job = try job(for: server, "scrape_native_histograms: true\nnative_histogram_bucket_limit: 2")
        let head = Head()
        let report = try await scrapeOnce(job, head: head)
        await server.stop()
        #expect(report.error == nil)
        let h = try #require(samples(head, try labels("rpc_seconds", job, ["svc": "a"])).first?.histogram)
        #expect(h.schema == 1)
        #expect(h.positiveSpans == [.init(offset: 0, length: 2)])
        #expect(h.positiveBuckets == [4.5, 1.5])
        #expect(h.count == 6)
    }

    @Test func aHistogramThatCannotFitTheBucketLimitFailsTheScrape() async throws {
        // Already at the lowest schema, three buckets far apart: no reduction gets them under 2.
        var wide = P.floatNative(buckets: 3, schema: -4)
        wide.positiveSpan = [P.span(0, 1), P.span(9, 1), P.span(9, 1)]
        let counter = P.family("requests_total", .counter, [P.metric { $0.counter.value = 1 }])
        let server = try await server([counter, histogramFamily(wide)])
        let job = try job(for: server, "scrape_native_histograms: true\nnative_histogram_bucket_limit: 2")
        let head = Head()
        let report = try await scrapeOnce(job, head: head)
        await server.stop()
        #expect(report.error == "histogram bucket limit exceeded")
        #expect(samples(head, try labels("up", job)).map(\.float) == [0])
        #expect(samples(head, try labels("requests_total", job)).isEmpty)
        #expect(samples(head, try labels("rpc_seconds", job, ["svc": "a"])).isEmpty)
    }

    @Test func theMinimumBucketFactorCapsTheSchema() async throws {
        // Factor 1.1 allows schema 2 at most (2^(2^-2) ≈ 1.19 ≥ 1.1 > 2^(2^-3) ≈ 1.09).
        let server = try await server([histogramFamily(P.floatNative())])
        let job = try job(for: server, "scrape_native_histograms: true\nnative_histogram_min_bucket_factor: 1.1")
        let head = Head()
        #expect(try await scrapeOnce(job, head: head).error == nil)
        await server.stop()
        let h = try #require(samples(head, try labels("rpc_seconds", job, ["svc": "a"])).first?.histogram)
        #expect(h.schema == 2)
        #expect(h.positiveSpans == [.init(offset: -1, length: 3)])
        #expect(h.positiveBuckets == [1.5, 3, 1.5])
    }

    @Test func aNativeHistogramThatDisappearsIsMarkedStale() async throws {
        let body = try P.encode([histogramFamily(P.integerNative())])
        let scrapes = Atomic<Int>(0)
        let server = try await ScrapeTestServer { _ in
            scrapes.add(1, ordering: .relaxed).newValue == 1
                ? .init(headers: [("Content-Type", P.contentType)], body: body)
                : .init(headers: [("Content-Type", P.contentType)], body: [])
        }
        let job = try job(for: server, "scrape_native_histograms: true")
        let head = Head()
        let scraper = try TargetScraper(target: onlyTarget(job), job: job, head: head, fetcher: TransportScrapeFetcher(job: job))
        #expect(await scraper.scrape(at: 1_000).error == nil)
        #expect(await scraper.scrape(at: 16_000).error == nil)
        await server.stop()
        let got = samples(head, try labels("rpc_seconds", job, ["svc": "a"]))
        #expect(got.map(\.t) == [1_000, 16_000])
        #expect(got.first?.histogram == P.integerNativeExpected)
        #expect(got.last.map { s in s.float.map(isStaleNaN) ?? s.histogram.map { isStaleNaN($0.sum) } ?? false } == true)
    }

    @Test func aBrokenProtobufBodyFailsTheScrapeWithTheParsersReason() async throws {
        let server = try await ScrapeTestServer { _ in .init(headers: [("Content-Type", P.contentType)], body: [0xFF, 0xFF, 0xFF, 0x7F, 0x0A]) }
        let job = try job(for: server, "scrape_native_histograms: true")
        let report = try await scrapeOnce(job, head: Head())
        await server.stop()
        #expect(report.error?.hasPrefix("protobuf exposition at byte 0: message length") == true, "\(report.error ?? "")")
    }

    @Test(arguments: [(1.0, Int32(8)), (1.00271, 8), (1.1, 2), (1.5, 0), (2, 0), (4, -1), (100, -3), (1e300, -4)])
    func minimumBucketFactorToSchema(factor: Double, schema: Int32) {
        #expect(NativeHistogramBucketLimit.maxSchema(bucketFactor: factor) == schema)
    }
}
