/// `native_histogram_bucket_limit` as Prometheus 3.14 applies it to each scraped native histogram
/// (`bucketLimitAppender`): while the histogram has more buckets (positive plus negative, empty ones
/// inside spans included) than the limit, its resolution is halved (schema − 1, neighbouring buckets
/// merged); the scrape fails with "histogram bucket limit exceeded" only when that is impossible — a
/// custom-bucket (NHCB) histogram, or one already at the lowest exponential schema (−4).
public enum NativeHistogramBucketLimit {
    /// Prometheus's `errBucketLimit` text.
    public static let exceeded = "histogram bucket limit exceeded"
    /// The lowest exponential schema (`histogram.ExponentialSchemaMin`).
    static let minimumSchema: Int32 = -4
    /// The highest exponential schema (`histogram.ExponentialSchemaMax`).
    static let maximumSchema: Int32 = 8

    /// The histogram within `limit` buckets (unchanged when it already is, or when `limit` is 0: no
    /// limit), or nil when its resolution cannot be reduced far enough.
    public static func apply(_ h: FloatHistogram, limit: Int) -> FloatHistogram? {
        guard limit > 0, bucketCount(h) > limit else { return h }
        guard h.schema >= minimumSchema && h.schema <= maximumSchema else { return nil }
        var reduced = h
        while bucketCount(reduced) > limit {
            guard reduced.schema > minimumSchema else { return nil }
            let target = reduced.schema - 1
            (reduced.positiveSpans, reduced.positiveBuckets) = FloatHistogram.build(
                FloatHistogram.reduce(FloatHistogram.expand(reduced.positiveSpans, reduced.positiveBuckets), from: reduced.schema, to: target))
            (reduced.negativeSpans, reduced.negativeBuckets) = FloatHistogram.build(
                FloatHistogram.reduce(FloatHistogram.expand(reduced.negativeSpans, reduced.negativeBuckets), from: reduced.schema, to: target))
            reduced.schema = target
        }
        return reduced
    }

    static func bucketCount(_ h: FloatHistogram) -> Int { h.positiveBuckets.count + h.negativeBuckets.count }
}
