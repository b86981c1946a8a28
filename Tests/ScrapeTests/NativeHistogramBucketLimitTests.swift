import Engine
import Testing

/// `native_histogram_bucket_limit`: Prometheus's `TestBucketLimitAppender` cases (scrape/target_test.go).
@Suite struct NativeHistogramBucketLimitTests {
    typealias Span = FloatHistogram.Span

    static let example = FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 3, count: 21, sum: 33,
                                        positiveSpans: [Span(offset: 0, length: 3)], negativeSpans: [Span(offset: 0, length: 3)],
                                        positiveBuckets: [3, 3, 3], negativeBuckets: [3, 3, 3])
    static let bigGap = FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 3, count: 21, sum: 33,
                                       positiveSpans: [Span(offset: 1, length: 1), Span(offset: 2, length: 1)],
                                       positiveBuckets: [1, 1])
    static let customBuckets = FloatHistogram(schema: FloatHistogram.customBucketsSchema, count: 9, sum: 33,
                                              positiveSpans: [Span(offset: 0, length: 3)], positiveBuckets: [3, 3, 3],
                                              customValues: [1, 2, 3])

    /// (histogram, limit, expected schema and bucket count; nil: the scrape fails).
    static let cases: [(FloatHistogram, Int, (schema: Int32, buckets: Int)?)] = [
        (example, 3, nil),
        (example, 4, (-1, 4)),
        (example, 10, (0, 6)),
        (bigGap, 1, (-2, 1)),
        (customBuckets, 2, nil),
        (customBuckets, 3, (FloatHistogram.customBucketsSchema, 3)),
        (example, 0, (0, 6)),
    ]

    @Test(arguments: cases.indices)
    func resolutionIsReducedUntilUnderTheLimit(index: Int) {
        let (h, limit, expected) = Self.cases[index]
        let got = NativeHistogramBucketLimit.apply(h, limit: limit)
        guard let expected else {
            #expect(got == nil)
            return
        }
        #expect(got?.schema == expected.schema)
        #expect(got.map { $0.positiveBuckets.count + $0.negativeBuckets.count } == expected.buckets)
        // Merging buckets keeps every observation.
        #expect(got.map { $0.positiveBuckets.reduce(0, +) + $0.negativeBuckets.reduce(0, +) } == h.positiveBuckets.reduce(0, +) + h.negativeBuckets.reduce(0, +))
        #expect(got?.count == h.count)
    }

    @Test func theLowestSchemaCannotBeReduced() {
        var h = Self.example
        h.schema = -4
        #expect(NativeHistogramBucketLimit.apply(h, limit: 5) == nil)
        #expect(NativeHistogramBucketLimit.exceeded == "histogram bucket limit exceeded")
    }
}
