import Testing
@testable import Engine

/// Prometheus 2.x marks a native histogram series stale with a histogram whose sum is the stale NaN (what its
/// WAL, head chunks and compacted blocks then hold); its engine skips that sample wherever it skips a float
/// stale NaN (3.14 promql/engine.go: `vectorSelectorSingle`, `matrixIterSlice`).
@Suite struct HistogramStaleMarkerTests {
    static func head() throws -> Head {
        let head = Head()
        let labels = Labels([("__name__", "rpc"), ("job", "a")])
        for (i, t) in [Int64(10_000), 20_000].enumerated() {
            let n = Double(i + 1)
            _ = try head.appendHistogram(labels, t: t, h: FloatHistogram(count: n, sum: 2 * n, positiveSpans: [.init(offset: 0, length: 1)],
                                                                         positiveBuckets: [n]))
        }
        _ = try head.appendHistogram(labels, t: 30_000, h: FloatHistogram(sum: Double(bitPattern: staleNaNBits)))
        return head
    }

    @Test func rangeSelectionLeavesTheMarkerOut() throws {
        let r = try PromQLEngine().instantQuery("rpc[1m]", at: 40_000, source: try Self.head())
        guard case .matrix(let m) = r.value else {
            Issue.record("expected a matrix")
            return
        }
        #expect(m.count == 1 && m.first?.histograms.map(\.t) == [10_000, 20_000])
        let count = try PromQLEngine().instantQuery("count_over_time(rpc[1m])", at: 40_000, source: try Self.head())
        guard case .vector(let v) = count.value else {
            Issue.record("expected a vector")
            return
        }
        #expect(v.map(\.f) == [2])
    }

    @Test func theMarkerEndsTheSeriesForInstantSelection() throws {
        let head = try Self.head()
        for (time, expected) in [(Int64(25_000), 1), (35_000, 0)] {
            let r = try PromQLEngine().instantQuery("rpc", at: time, source: head)
            guard case .vector(let v) = r.value else {
                Issue.record("expected a vector")
                continue
            }
            #expect(v.count == expected, "at \(time)")
            let ts = try PromQLEngine().instantQuery("timestamp(rpc)", at: time, source: head)
            if case .vector(let t) = ts.value { #expect(t.count == expected, "timestamp() at \(time)") }
        }
        let range = try PromQLEngine().rangeQuery("rpc", start: 25_000, end: 35_000, step: 10_000, source: head)
        guard case .matrix(let m) = range.value else {
            Issue.record("expected a matrix")
            return
        }
        #expect(m.first?.histograms.map(\.t) == [25_000])
    }
}
