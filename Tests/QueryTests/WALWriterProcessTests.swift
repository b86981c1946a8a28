import Engine
import Foundation
import Testing
import TestSupport

/// A WAL written by our `WALWriter` (series and samples records from `WALRecordEncoder`, several two-page segments,
/// records fragmented over pages) in an otherwise empty data directory, loaded by a real Prometheus
/// (`/usr/bin/prometheus` 2.42) started on it: its HTTP API answers with exactly our series and samples.
/// Snappy (what 3.14 servers write by default, and what 2.42 reads) and uncompressed (what `tsdb bench write`
/// writes); 2.42 cannot read zstd records, which only our reader checks (`WALWriterTests`).
@Suite(.serialized, .needsPrometheus) struct WALWriterProcessTests {
    @Test(arguments: [WALWriteCompression.snappy, .none])
    func prometheusLoadsOurWAL(compression: WALWriteCompression) throws {
        let dir = try Processes.temporaryDirectory("walwriter")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = TestRNG(seed: 42)
        // Two hours of 15 s samples ending ten minutes ago (whole seconds, as the API's float times are exact then).
        let end = (Int64(Date().timeIntervalSince1970) - 600) * 1000
        let steps = 480
        let start = end - Int64(steps - 1) * 15_000

        var series: [WALSeries] = []
        for i in 0..<60 {
            series.append(WALSeries(ref: UInt64(1000 + i * 7), labels: Labels([
                ("__name__", i % 3 == 0 ? "http_requests_total" : "temperature_celsius"),
                ("instance", "host-\(i % 10):9100"), ("job", i % 2 == 0 ? "api" : "wëb \"quoted\" \\ back"),
                ("shard", "\(i)"),
            ])))
        }
        // A series whose labels alone span several pages (a first/middle/last series record).
        series.append(WALSeries(ref: 5, labels: Labels([("__name__", "long_labels"), ("blob", String(repeating: "x0123456789", count: 9_000))])))

        let w = try WALWriter(directory: dir + "/data/wal", compression: compression, segmentSize: 2 * WALSegmentReader.pageSize)
        var enc = ByteWriter()
        WALRecordEncoder.series(series, into: &enc)
        try w.log([enc.bytes])
        var expected: [Labels: [WALReplayProcessTests.Point]] = [:]
        var values = [Double](repeating: 0, count: series.count)
        for step in 0..<steps {
            let t = start + Int64(step) * 15_000
            var samples: [WALSample] = []
            // Not every series in every scrape, and refs in no particular order.
            for (k, s) in series.enumerated().shuffled(using: &rng) where rng.next() % 10 != 0 {
                values[k] += Double(rng.next() % 1000) / 8
                let v = step == 100 && k == 4 ? Double.nan : step == 200 && k == 5 ? -.infinity : values[k]
                samples.append(WALSample(ref: s.ref, startTime: 0, t: t, v: v))
                expected[s.labels, default: []].append(.init(t: t, v: v))
            }
            enc.reset()
            WALRecordEncoder.samples(samples, into: &enc)
            try w.log([enc.bytes])
        }
        try w.close()
        #expect(try WALDirectory(path: dir + "/data/wal").segments.count > 3)

        let prometheus = try PrometheusFixture.serve(dataDirectory: dir + "/data")
        defer { prometheus.stop() }
        let got = try ScrapingPrometheus.allSamples(url: prometheus.url, time: Int(end / 1000) + 1)
        WALReplayProcessTests.expectEqual(got, expected)
    }
}
