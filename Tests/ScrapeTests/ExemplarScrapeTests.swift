import ConfigModel
@testable import Engine
import Foundation
import SwiftProtobuf
import TestSupport
import Testing

/// Exemplars in scraped bodies: Prometheus 3.14 without `--enable-feature=exemplar-storage` parses them and
/// drops them, and stores the samples they ride on. Every conforming OpenMetrics corpus case that carries
/// exemplars (`../shared/corpus/openmetrics`, `shouldParse: true`) is scraped over HTTP on 127.0.0.1 and
/// each of its samples must be in the head; a protobuf body with exemplars on a counter, on classic buckets
/// and on a native histogram likewise.
@Suite(.needsCorpus) struct ExemplarScrapeTests {
    typealias P = ProtobufExposition

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var body: [UInt8]
        var testDescription: String { name }
    }

    /// The conforming corpus cases whose metrics have an exemplar (a `# {` after a sample).
    static let cases: [Case] = {
        let root = SharedFiles.corpus + "/openmetrics"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return [] }
        return names.sorted().compactMap { name in
            guard let json = FileManager.default.contents(atPath: "\(root)/\(name)/test.json"),
                  let obj = try? JSONSerialization.jsonObject(with: json) as? [String: Any],
                  obj["shouldParse"] as? Bool == true,
                  let metrics = FileManager.default.contents(atPath: "\(root)/\(name)/\((obj["file"] as? String) ?? "metrics")"),
                  String(decoding: metrics, as: UTF8.self).contains(" # {") else { return nil }
            return Case(name: name, body: Array(metrics))
        }
    }()

    @Test func theCorpusHasExemplarCases() {
        // counter, gauge histogram and histogram exemplars, empty braces, wide characters, `#` in values.
        #expect(Self.cases.count >= 6)
    }

    @Test(arguments: cases)
    func everySampleOfAnExpositionWithExemplarsIsStored(_ c: Case) async throws {
        var parsed = CollectingSink()
        try OpenMetricsParser().parse(c.body, into: &parsed)
        #expect(parsed.samples.contains { $0.exemplar != nil })
        let body = c.body
        let server = try await ScrapeTestServer { _ in .init(headers: [("Content-Type", ExpositionFormat.openMetrics.contentType)], body: body) }
        let job = try job(for: server)
        let head = Head()
        let report = try await scrapeOnce(job, head: head)
        await server.stop()
        #expect(report.error == nil)
        #expect(report.samplesScraped == parsed.samples.count)
        let target = try onlyTarget(job).labels
        for s in parsed.samples {
            var labels = target
            for l in s.labels { labels[l.name] = l.value }
            #expect(samples(head, labels).map { $0.float?.bitPattern } == [s.value.bitPattern], "\(labels)")
        }
    }

    static func exemplar(_ value: Double, _ labels: [(String, String)]) -> Io_Prometheus_Client_Exemplar {
        var e = Io_Prometheus_Client_Exemplar()
        e.value = value
        e.label = labels.map { l in
            var p = Io_Prometheus_Client_LabelPair()
            p.name = l.0
            p.value = l.1
            return p
        }
        e.timestamp = Google_Protobuf_Timestamp(seconds: 1_700_000_000, nanos: 500_000_000)
        return e
    }

    @Test func aProtobufBodyWithExemplarsIsStored() async throws {
        let counter = P.family("jobs_total", .counter, [P.metric { m in
            m.counter.value = 12
            m.counter.exemplar = Self.exemplar(1, [("trace_id", "abc")])
        }])
        let classic = P.family("size_bytes", .histogram, [P.metric { m in
            m.histogram.sampleCount = 3
            m.histogram.sampleSum = 50
            var low = P.bucket(10, 1)
            low.exemplar = Self.exemplar(4, [("trace_id", "def")])
            var high = P.bucket(100, 3)
            high.exemplar = Self.exemplar(40, [])
            m.histogram.bucket = [low, high]
        }])
        var native = P.integerNative()
        native.exemplars = [Self.exemplar(0.3, [("trace_id", "ghi")])]
        let nativeFamily = P.family("rpc_seconds", .histogram, [P.metric { [native] in $0.histogram = native }])
        let body = try P.encode([counter, classic, nativeFamily])
        let server = try await ScrapeTestServer { _ in .init(headers: [("Content-Type", P.contentType)], body: body) }
        let job = try job(for: server, "scrape_native_histograms: true")
        let head = Head()
        let report = try await scrapeOnce(job, head: head, at: 9_000)
        await server.stop()
        #expect(report.error == nil)
        let target = try onlyTarget(job).labels
        #expect(samples(head, named("jobs_total", target)).map(\.float) == [12])
        #expect(samples(head, named("size_bytes_bucket", target).merging(["le": "10.0"]) { $1 }).map(\.float) == [1])
        #expect(samples(head, named("size_bytes_bucket", target).merging(["le": "+Inf"]) { $1 }).map(\.float) == [3])
        #expect(samples(head, named("rpc_seconds", target)).first?.histogram == P.integerNativeExpected)
    }
}
