#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
            reduced = atSchema(reduced, reduced.schema - 1)
        }
        return reduced
    }

    static func bucketCount(_ h: FloatHistogram) -> Int { h.positiveBuckets.count + h.negativeBuckets.count }

    /// The schemas Prometheus treats as exponential when capping the resolution (reserved ones included:
    /// `histogram.IsExponentialSchemaReserved`).
    static let reservedSchemas: ClosedRange<Int32> = -9...52

    /// `native_histogram_min_bucket_factor` as the highest schema it allows (Prometheus's `pickSchema`):
    /// the coarsest schema whose bucket growth factor is at least `bucketFactor`; 8 for factors ≤ 1.
    public static func maxSchema(bucketFactor: Double) -> Int32 {
        let factor = bucketFactor <= 1 ? 1.00271 : bucketFactor
        let floor = (-log2(log2(factor))).rounded(.down)
        if floor >= Double(maximumSchema) { return maximumSchema }
        if floor <= Double(minimumSchema) { return minimumSchema }
        return Int32(floor)
    }

    /// `h` at no more than `maxSchema` (Prometheus's `maxSchemaAppender`, only in effect below schema 8):
    /// an exponential histogram of a finer schema has its neighbouring buckets merged down to it;
    /// custom-bucket histograms and those already coarse enough are unchanged.
    public static func reduced(_ h: FloatHistogram, toSchema maxSchema: Int32) -> FloatHistogram {
        guard maxSchema < maximumSchema, reservedSchemas.contains(h.schema), h.schema > maxSchema else { return h }
        return atSchema(h, maxSchema)
    }

    /// `h` with its buckets merged into the coarser schema `target` (`ReduceResolution`).
    private static func atSchema(_ h: FloatHistogram, _ target: Int32) -> FloatHistogram {
        var r = h
        (r.positiveSpans, r.positiveBuckets) = FloatHistogram.build(
            FloatHistogram.reduce(FloatHistogram.expand(h.positiveSpans, h.positiveBuckets), from: h.schema, to: target))
        (r.negativeSpans, r.negativeBuckets) = FloatHistogram.build(
            FloatHistogram.reduce(FloatHistogram.expand(h.negativeSpans, h.negativeBuckets), from: h.schema, to: target))
        r.schema = target
        return r
    }
}
