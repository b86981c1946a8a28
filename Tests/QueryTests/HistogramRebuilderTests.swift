import Engine
import Query
import Testing
import TestSupport

/// Native histograms survive the HTTP API's JSON form: encoding a histogram as Prometheus's API does
/// (`APIHistogram(h)`: count, sum, non-empty buckets with their bounds) and rebuilding it gives the same
/// histogram (schema, zero threshold and count, buckets by index, custom bounds).
@Suite struct HistogramRebuilderTests {
    /// A histogram of `schema` with random non-empty buckets on both sides and in the zero bucket.
    static func random(schema: Int32, _ rng: inout TestRNG, zero: Bool = true) -> FloatHistogram {
        func side() -> [(Int32, Double)] {
            var idx = Int32.random(in: -40...10, using: &rng)
            var out: [(Int32, Double)] = []
            for _ in 0..<Int.random(in: 1...12, using: &rng) {
                out.append((idx, Double(Int.random(in: 1...1000, using: &rng)) / 4))
                idx += Int32.random(in: 1...4, using: &rng)
            }
            return out
        }
        let (ps, pb) = FloatHistogram.build(side()), (ns, nb) = FloatHistogram.build(side())
        let zeroCount = zero ? Double(Int.random(in: 1...50, using: &rng)) : 0
        let count = pb.reduce(0, +) + nb.reduce(0, +) + zeroCount
        return FloatHistogram(schema: schema, zeroThreshold: 0.001,
                              zeroCount: zeroCount, count: count, sum: Double(Int.random(in: -500...5000, using: &rng)) / 8,
                              positiveSpans: ps, negativeSpans: ns, positiveBuckets: pb, negativeBuckets: nb)
    }

    @Test(arguments: Array(Int32(-4)...Int32(8)))
    func exponentialSchemasRoundTrip(_ schema: Int32) throws {
        var rng = TestRNG(seed: UInt64(schema + 100))
        let series = (0..<20).map { i in Self.random(schema: schema, &rng, zero: i % 3 != 0) }
        let rebuilt = try HistogramRebuilder.rebuild(series.map(APIHistogram.init))
        #expect(rebuilt == series)
        #expect(rebuilt.map(\.schema) == series.map(\.schema))
    }

    /// Samples without buckets (or without zero observations) take the layout of their series' neighbours.
    @Test func bucketlessSamplesTakeTheirNeighboursLayout() throws {
        var rng = TestRNG(seed: 7)
        var series = (0..<5).map { _ in Self.random(schema: 3, &rng) }
        series[2] = FloatHistogram(schema: 3, zeroThreshold: 0.001, count: 0, sum: 0)
        series[3].zeroCount = 0
        series[3].count = series[3].positiveBuckets.reduce(0, +) + series[3].negativeBuckets.reduce(0, +)
        let rebuilt = try HistogramRebuilder.rebuild(series.map(APIHistogram.init))
        #expect(rebuilt == series)
        // Alone, a bucketless histogram gets schema 0 and Prometheus's default zero threshold.
        let alone = try HistogramRebuilder.rebuild([APIHistogram(count: 3, sum: 1, buckets: [])])
        #expect(alone.map(\.schema) == [0])
        #expect(alone.map(\.zeroThreshold) == [HistogramRebuilder.defaultZeroThreshold])
    }

    /// Custom buckets: bounds come from the union over the series, so a bucket empty in one sample and not
    /// in another keeps its bound; a series with every bucket seen somewhere round-trips exactly.
    @Test func customBucketsRoundTrip() throws {
        let bounds = [0.005, 0.01, 0.1, 0.5, 1, 5]
        func nhcb(_ counts: [Double]) -> FloatHistogram {
            let pairs = counts.enumerated().filter { $0.element != 0 }.map { (Int32($0.offset), $0.element) }
            let (ps, pb) = FloatHistogram.build(pairs)
            return FloatHistogram(schema: FloatHistogram.customBucketsSchema, count: counts.reduce(0, +), sum: 12.5,
                                  positiveSpans: ps, positiveBuckets: pb, customValues: bounds)
        }
        let series = [nhcb([1, 0, 2, 0, 3, 0, 1]), nhcb([1, 1, 2, 1, 3, 1, 1]), nhcb([0, 0, 0, 0, 0, 0, 4])]
        let rebuilt = try HistogramRebuilder.rebuild(series.map(APIHistogram.init))
        #expect(rebuilt == series)
        #expect(rebuilt.allSatisfy { $0.customValues == bounds })
    }

    @Test(arguments: [
        APIHistogram(count: 1, sum: 1, buckets: [APIBucket(boundaries: 0, lower: 1, upper: 0.5, count: 1)]),
        APIHistogram(count: 1, sum: 1, buckets: [APIBucket(boundaries: 2, lower: 1, upper: 2, count: 1)]),
        APIHistogram(count: 1, sum: 1, buckets: [APIBucket(boundaries: 0, lower: .nan, upper: 2, count: 1)]),
        APIHistogram(count: 1, sum: 1, buckets: [APIBucket(boundaries: 0, lower: -.infinity, upper: 1, count: 1),
                                                 APIBucket(boundaries: 1, lower: -2, upper: -1, count: 1)]),
    ])
    func bucketsNoSchemaHasAreRejected(_ h: APIHistogram) {
        #expect(throws: HistogramRebuilder.Failure.self) { try HistogramRebuilder.rebuild([h]) }
    }
}
