import GoCompat

/// `convert_classic_histograms_to_nhcb`: a classic histogram's cumulative buckets as one native histogram
/// with custom buckets (schema −53), as Prometheus 3.14's `convertnhcb.TempHistogram` makes it: buckets
/// sorted by bound (a repeated bound keeps its first count), a `+Inf` bucket holding the count added when
/// missing, the bounds except `+Inf` as custom values, counts de-cumulated. Integral counts are compacted
/// as Prometheus compacts its integer histograms (runs of up to two empty buckets kept), others as float
/// ones (every empty bucket dropped).
public struct CustomBucketsConversion: Sendable {
    /// Prometheus's texts for histograms it refuses to convert.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    private var buckets: [(le: Double, count: Double)] = []
    private var count: Double?
    private var sum = 0.0
    private var failure: Failure?

    public init() {}

    /// `SetCount`: the histogram's observation count (its `_count`).
    public mutating func setCount(_ count: Double) {
        guard failure == nil else { return }
        if count < 0 {
            failure = Failure(message: "count must be non-negative: count=\(GoFloat.formatV(count))")
            return
        }
        self.count = count
    }

    /// `SetSum`.
    public mutating func setSum(_ sum: Double) {
        guard failure == nil else { return }
        self.sum = sum
    }

    /// `SetBucketCount`: one cumulative bucket (any order; counts must grow with the bound).
    public mutating func setBucket(le: Double, count: Double) {
        guard failure == nil else { return }
        if le.isNaN {
            failure = Failure(message: "bucket boundary must not be NaN")
            return
        }
        if count < 0 {
            failure = Failure(message: "bucket count must be non-negative: le=\(GoFloat.formatV(le)), count=\(GoFloat.formatV(count))")
            return
        }
        let i = buckets.firstIndex { $0.le >= le } ?? buckets.count
        if i < buckets.count && buckets[i].le == le { return }
        if i > 0 && count < buckets[i - 1].count {
            failure = Failure(message: "count is not cumulative: \(GoFloat.formatV(count)) < \(GoFloat.formatV(buckets[i - 1].count))")
            return
        }
        if i < buckets.count && count > buckets[i].count {
            failure = Failure(message: "count is not cumulative: \(GoFloat.formatV(count)) > \(GoFloat.formatV(buckets[i].count))")
            return
        }
        buckets.insert((le, count), at: i)
    }

    /// Go's `x == float64(int64(math.Round(x)))`: whole and within int64 (an infinite or huge count makes
    /// Prometheus take the float path, as its int64 conversion does not round-trip).
    static func isInt64(_ x: Double) -> Bool {
        x.isFinite && x >= -9_223_372_036_854_775_808.0 && x < 9_223_372_036_854_775_808.0 && x == x.rounded()
    }

    /// `Convert`: the custom-bucket histogram, or why the buckets do not make one.
    public func convert() -> Result<FloatHistogram, Failure> {
        if let failure { return .failure(failure) }
        var all = buckets
        let total = count ?? all.last?.count ?? 0
        if all.last?.le != .infinity { all.append((.infinity, total)) }
        let integral = all.allSatisfy { Self.isInt64($0.count) } && Self.isInt64(total)
        guard let last = all.last, total == last.count else {
            let lastCount = all.last?.count ?? 0
            return .failure(Failure(message: "count mismatch: count=\(GoFloat.formatV(total)) != le=+Inf count=\(GoFloat.formatV(lastCount))"))
        }
        var counts: [Double] = []
        counts.reserveCapacity(all.count)
        var previous = 0.0
        for b in all {
            counts.append(b.count - previous)
            previous = b.count
        }
        var h = FloatHistogram(schema: FloatHistogram.customBucketsSchema, count: total, sum: sum,
                               positiveSpans: [FloatHistogram.Span(offset: 0, length: UInt32(clamping: all.count))],
                               positiveBuckets: counts, customValues: all.dropLast().map(\.le))
        h.compact(maxEmptyBuckets: integral ? 2 : 0)
        return .success(h)
    }
}
