import ConfigModel
@testable import Engine
import ScrapeHTTP
import TestSupport
import Testing

/// `convert_classic_histograms_to_nhcb` end to end on 127.0.0.1: a classic histogram exposed as Prometheus
/// text, as OpenMetrics and as protobuf lands in the head as the same custom-bucket native histogram, with
/// `always_scrape_classic_histograms` keeping the classic series beside it, as in Prometheus 3.14.
@Suite struct ClassicHistogramScrapeTests {
    typealias P = ProtobufExposition

    static let text = """
    # HELP rpc_seconds RPC latency.
    # TYPE rpc_seconds histogram
    rpc_seconds_bucket{svc="a",le="0.1"} 3
    rpc_seconds_bucket{svc="a",le="1"} 3
    rpc_seconds_bucket{svc="a",le="10"} 7
    rpc_seconds_bucket{svc="a",le="+Inf"} 8
    rpc_seconds_sum{svc="a"} 21.5
    rpc_seconds_count{svc="a"} 8
    rpc_seconds_bucket{svc="b",le="0.1"} 0
    rpc_seconds_bucket{svc="b",le="1"} 1
    rpc_seconds_bucket{svc="b",le="10"} 1
    rpc_seconds_bucket{svc="b",le="+Inf"} 1
    rpc_seconds_sum{svc="b"} 0.5
    rpc_seconds_count{svc="b"} 1
    # HELP requests_total Requests.
    # TYPE requests_total counter
    requests_total 4

    """

    static let openMetrics = """
    # HELP rpc_seconds RPC latency.
    # TYPE rpc_seconds histogram
    rpc_seconds_bucket{svc="a",le="0.1"} 3
    rpc_seconds_bucket{svc="a",le="1.0"} 3
    rpc_seconds_bucket{svc="a",le="10.0"} 7 # {trace_id="abc"} 4.2 1.5
    rpc_seconds_bucket{svc="a",le="+Inf"} 8
    rpc_seconds_sum{svc="a"} 21.5
    rpc_seconds_count{svc="a"} 8
    rpc_seconds_created{svc="a"} 1.7e9
    rpc_seconds_bucket{svc="b",le="0.1"} 0
    rpc_seconds_bucket{svc="b",le="1.0"} 1
    rpc_seconds_bucket{svc="b",le="10.0"} 1
    rpc_seconds_bucket{svc="b",le="+Inf"} 1
    rpc_seconds_sum{svc="b"} 0.5
    rpc_seconds_count{svc="b"} 1
    # HELP requests Requests.
    # TYPE requests counter
    requests_total 4
    # EOF

    """

    static func protobuf() throws -> [UInt8] {
        func metric(_ svc: String, count: UInt64, sum: Double, _ cumulative: [UInt64]) -> P.Metric {
            P.metric([("svc", svc)]) { m in
                m.histogram.sampleCount = count
                m.histogram.sampleSum = sum
                m.histogram.bucket = zip([0.1, 1, 10], cumulative).map { P.bucket($0, $1) }
            }
        }
        let rpc = P.family("rpc_seconds", .histogram, help: "RPC latency.",
                           [metric("a", count: 8, sum: 21.5, [3, 3, 7]), metric("b", count: 1, sum: 0.5, [0, 1, 1])])
        let requests = P.family("requests_total", .counter, help: "Requests.", [P.metric { $0.counter.value = 4 }])
        return try P.encode([rpc, requests])
    }

    enum Format: String, CaseIterable, Sendable { case text, openMetrics, protobuf }

    func server(_ format: Format) async throws -> ScrapeTestServer {
        let (contentType, body): (String, [UInt8])
        switch format {
        case .text: (contentType, body) = (ExpositionFormat.prometheusText.contentType, Array(Self.text.utf8))
        case .openMetrics: (contentType, body) = (ExpositionFormat.openMetrics.contentType, Array(Self.openMetrics.utf8))
        case .protobuf: (contentType, body) = (P.contentType, try Self.protobuf())
        }
        return try await ScrapeTestServer { _ in .init(headers: [("Content-Type", contentType)], body: body) }
    }

    /// Scrapes `format` once with `extra` job settings; the head and the job.
    func scrape(_ format: Format, _ extra: String) async throws -> (Head, ScrapeConfig, ScrapeReport) {
        let server = try await server(format)
        let job = try job(for: server, extra)
        let head = Head()
        let report = try await scrapeOnce(job, head: head, at: 7_000)
        await server.stop()
        return (head, job, report)
    }

    func histogram(_ head: Head, _ job: ScrapeConfig, svc: String) throws -> FloatHistogram? {
        let labels = try named("rpc_seconds", onlyTarget(job).labels).merging(["svc": svc]) { $1 }
        let stored = samples(head, labels)
        #expect(stored.map(\.t) == [7_000])
        return stored.first?.histogram
    }

    @Test(arguments: Format.allCases)
    func theSameClassicHistogramIsTheSameNHCBInEveryFormat(_ format: Format) async throws {
        let (head, job, report) = try await scrape(format, "convert_classic_histograms_to_nhcb: true")
        #expect(report.error == nil)
        let a = try #require(try histogram(head, job, svc: "a"))
        #expect(a == FloatHistogram(schema: FloatHistogram.customBucketsSchema, count: 8, sum: 21.5,
                                    positiveSpans: [.init(offset: 0, length: 4)], positiveBuckets: [3, 0, 4, 1],
                                    customValues: [0.1, 1, 10]))
        // Integer counts: the empty first bucket goes, the empty one between two is kept (Compact(2)).
        let b = try #require(try histogram(head, job, svc: "b"))
        #expect(b == FloatHistogram(schema: FloatHistogram.customBucketsSchema, count: 1, sum: 0.5,
                                    positiveSpans: [.init(offset: 1, length: 1)], positiveBuckets: [1],
                                    customValues: [0.1, 1, 10]))
        let names = Set(metricNames(head))
        #expect(names.isDisjoint(with: ["rpc_seconds_bucket", "rpc_seconds_count", "rpc_seconds_sum"]))
        #expect(names.contains("requests_total"))
        // Two histograms and the counter (plus `_created` for OpenMetrics, which 3.14 skips after a histogram).
        #expect(report.samplesScraped == 3)
    }

    @Test(arguments: Format.allCases)
    func classicSeriesAreKeptBesideTheNHCBWhenAskedFor(_ format: Format) async throws {
        let (head, job, report) = try await scrape(format, "convert_classic_histograms_to_nhcb: true\nalways_scrape_classic_histograms: true")
        #expect(report.error == nil)
        #expect(try histogram(head, job, svc: "a")?.count == 8)
        let bucket = try named("rpc_seconds_bucket", onlyTarget(job).labels).merging(["svc": "a", "le": "+Inf"]) { $1 }
        #expect(samples(head, bucket).map(\.float) == [8])
        // 2 × (4 buckets + sum + count) classic series, 2 NHCBs, the counter.
        #expect(report.samplesScraped == 15)
    }

    @Test(arguments: [Format.text, .openMetrics])
    func withoutTheOptionTheClassicSeriesAreStored(_ format: Format) async throws {
        let (head, _, report) = try await scrape(format, "")
        #expect(report.error == nil)
        let names = Set(metricNames(head))
        #expect(names.isSuperset(of: ["rpc_seconds_bucket", "rpc_seconds_count", "rpc_seconds_sum"]))
        #expect(!names.contains("rpc_seconds"))
    }

    @Test func relabellingTurnsTheConversionOnForOneTarget() async throws {
        let (head, job, report) = try await scrape(.text, """
        relabel_configs:
          - target_label: __convert_classic_histograms_to_nhcb__
            replacement: "true"
        """)
        #expect(report.error == nil)
        #expect(try histogram(head, job, svc: "b")?.usesCustomBuckets == true)
    }

    @Test func aSecondScrapeAppendsToTheSameSeries() async throws {
        let server = try await server(.text)
        let job = try job(for: server, "convert_classic_histograms_to_nhcb: true")
        let head = Head()
        let scraper = try TargetScraper(target: onlyTarget(job), job: job, head: head, fetcher: TransportScrapeFetcher(job: job))
        #expect(try await scrapeOnce(job, head: head, at: 7_000, scraper: scraper).error == nil)
        #expect(try await scrapeOnce(job, head: head, at: 22_000, scraper: scraper).error == nil)
        await server.stop()
        let labels = try named("rpc_seconds", onlyTarget(job).labels).merging(["svc": "a"]) { $1 }
        #expect(samples(head, labels).map(\.t) == [7_000, 22_000])
    }
}
