import Engine
import Foundation
import Locking
import Testing
import TestSupport
@testable import Query

/// `query backtest SERVER` copies native-histogram samples: a real Prometheus 2.42 (native histograms
/// enabled) scrapes native histograms from a test target over protobuf; what the backtest loader copies
/// into the local head encodes back to exactly what the server's API returns for every sample, and rules
/// on them fire from the copied data.
@Suite(.serialized, .needsPrometheus) struct NativeHistogramServerTests {
    /// Two series, schema 3 with zero and negative buckets and schema 0 with gaps, growing every scrape.
    static func exposition(scrape n: UInt64) -> [UInt8] {
        let a = NativeHistogramExposition.Series(
            labels: [("path", "/a")], schema: 3, zeroThreshold: 0.001, zeroCount: n, sum: 1.25 * Double(n),
            positive: [(-3, n), (-2, 2 * n), (0, 1), (5, n + 3)], negative: [(1, n / 2 + 1)])
        let b = NativeHistogramExposition.Series(
            labels: [("path", "/b")], schema: 0, zeroThreshold: 0.001, zeroCount: 0, sum: 40 * Double(n),
            positive: [(1, n), (4, 3 * n + 1), (5, 7)], negative: [])
        return NativeHistogramExposition.family(name: "rpc_seconds", [a, b])
    }

    @Test func copiedHistogramsEncodeBackToTheServersAnswer() async throws {
        let scrapes = SanitizedMutex<UInt64>(0)
        let target = try await TestHTTPServer { _ in
            let n = scrapes.withLock { $0 += 1; return $0 }
            return .init(headers: [("Content-Type", NativeHistogramExposition.contentType)], body: Self.exposition(scrape: n))
        }
        let prometheus: PrometheusFixture
        do {
            prometheus = try PrometheusFixture.startScraping(target: "127.0.0.1:\(target.port)",
                                                             flags: ["--enable-feature=native-histograms"])
        } catch {
            await target.stop()
            throw error
        }
        defer { prometheus.stop() }
        // At least eight scrapes (one a second), within a minute.
        for _ in 0..<120 where scrapes.withLock({ $0 }) < 9 { try await Task.sleep(for: .milliseconds(500)) }
        await target.stop()
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        #expect(scrapes.withLock { $0 } >= 9)

        // The server's raw samples, and what the loader copies.
        var served: [APISeries] = []
        let head = Head()
        var loaded = RemoteSampleLoader.Loaded()
        var failure: String?
        let code = RemoteQuery.withClient(RemoteQuery.Connection(server: prometheus.url), CommandOutput(out: { _ in }, err: { _ in })) { client in
            do throws(PrometheusAPIClient.Failure) {
                if case .matrix(let m) = try client.query("rpc_seconds[5m]", at: QueryTime(millis: now)).value { served = m ?? [] }
                loaded = try RemoteSampleLoader(client: client, chunkMillis: 20_000).load(
                    [.init(selector: "{__name__=\"rpc_seconds\"}", mint: now - 300_000, maxt: now)], into: head)
                return 0
            } catch {
                failure = error.promtoolMessage
                return 1
            }
        }
        #expect(code == 0, "\(failure ?? "")")
        #expect(served.count == 2)
        #expect(served.allSatisfy { $0.histograms.count >= 8 && $0.values.isEmpty })
        #expect(loaded.histogramSamples == served.reduce(0) { $0 + $1.histograms.count })
        #expect(loaded.samples == 0)
        for s in served {
            let matchers = try Labels(s.metric).labels.map { try LabelMatcher(.equal, $0.name, $0.value) }
            let local = head.select(matchers, mint: .min, maxt: .max)
            let copied = local.first?.samples.compactMap { sample in sample.histogram.map { APIHistogramPoint(timestamp: sample.t, histogram: APIHistogram($0)) } }
            // Equal but for bucket bounds, which may be a few ulps off Prometheus's table of constants.
            #expect(copied?.count == s.histograms.count, "\(s.metric)")
            for (c, h) in zip(copied ?? [], s.histograms) {
                #expect(c.timestamp == h.timestamp && c.histogram.count == h.histogram.count && c.histogram.sum == h.histogram.sum)
                let cb = c.histogram.buckets ?? [], hb = h.histogram.buckets ?? []
                #expect(cb.map(\.count) == hb.map(\.count) && cb.map(\.boundaries) == hb.map(\.boundaries), "\(s.metric) at \(h.timestamp)")
                #expect(zip(cb, hb).allSatisfy { HistogramRebuilder.nearlyEqual($0.lower, $1.lower) && HistogramRebuilder.nearlyEqual($0.upper, $1.upper) })
            }
        }

        // A backtest over the scraped range: rules on the copied histograms fire, nothing is left out.
        let dir = try Processes.temporaryDirectory("nh-backtest")
        try """
            groups:
              - name: nh
                interval: 1s
                rules:
                  - alert: Observed
                    expr: histogram_count(rpc_seconds) > 0
                  - alert: SlowPath
                    expr: histogram_quantile(0.5, rpc_seconds) > 10

            """.write(toFile: dir + "/rules.yml", atomically: true, encoding: .utf8)
        let firsts: [Int64] = served.compactMap { $0.histograms.first?.timestamp }
        let lasts: [Int64] = served.compactMap { $0.histograms.last?.timestamp }
        let first = try #require(firsts.max()), last = try #require(lasts.min())
        let r = try Processes.run(try Processes.ourBinary(), ["query", "backtest", "-o", "json", dir + "/rules.yml", prometheus.url,
                                                             "--start", String(Double(first) / 1000), "--end", String(Double(last) / 1000)])
        #expect(r.status == 0)
        #expect(r.stderr == "")
        #expect(r.stdout.contains("{\"alertname\":\"Observed\",\"labels\":{\"alertname\":\"Observed\",\"instance\":\"127.0.0.1:\(target.port)\",\"job\":\"test\",\"path\":\"/a\"}"))
        #expect(r.stdout.contains("{\"alertname\":\"Observed\",\"labels\":{\"alertname\":\"Observed\",\"instance\":\"127.0.0.1:\(target.port)\",\"job\":\"test\",\"path\":\"/b\"}"))
        // /b's median lies in bucket 4 of schema 0, (8, 16]: above 10 once its count dominates.
        #expect(r.stdout.contains("\"alertname\":\"SlowPath\",\"labels\":{\"alertname\":\"SlowPath\",\"instance\":\"127.0.0.1:\(target.port)\",\"job\":\"test\",\"path\":\"/b\"}"))
        #expect(!r.stdout.contains("\"SlowPath\",\"instance\":\"127.0.0.1:\(target.port)\",\"job\":\"test\",\"path\":\"/a\""))
    }
}
