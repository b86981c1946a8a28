/// An uncompressed chunk of native-histogram samples (timestamps strictly increasing) that follows Prometheus's
/// float-histogram chunk rules:
///
/// - a chunk holds either gauge histograms or counter histograms;
/// - a counter chunk ends at a counter reset (explicit `counterReset` hint, or a decrease of the count, the zero
///   count or any bucket, or a populated bucket disappearing), at a change of schema, zero threshold or custom
///   bounds, and after a stale sample followed by a non-stale one (gauge chunks end at the layout changes and
///   after staleness only);
/// - a stale sample is stored as a histogram holding only the stale-marker sum;
/// - read back, every histogram of a gauge chunk has the hint `gauge`, the first of a counter chunk `unknown`,
///   the others `notCounterReset` (Prometheus's `counterResetHint`).
struct HistogramChunk: Sendable {
    private(set) var times: [Int64] = []
    private(set) var histograms: [FloatHistogram] = []
    /// Whether this chunk holds gauge histograms.
    let gauge: Bool

    init(gauge: Bool) { self.gauge = gauge }

    var count: Int { times.count }
    var minTime: Int64 { times.first ?? 0 }
    var maxTime: Int64 { times.last ?? 0 }

    /// Approximate in-memory payload size: 8 bytes per timestamp, float field and span.
    var byteCount: Int {
        var n = 0
        for h in histograms {
            n &+= 8 &* (6 &+ h.positiveSpans.count &+ h.negativeSpans.count &+ h.positiveBuckets.count
                &+ h.negativeBuckets.count &+ h.customValues.count)
        }
        return n
    }

    mutating func append(t: Int64, h: FloatHistogram) {
        times.append(t)
        histograms.append(isStaleNaN(h.sum) ? FloatHistogram(sum: h.sum) : h)
    }

    /// The histogram at `index` with the counter-reset hint Prometheus reports for that position.
    func histogram(at index: Int) -> FloatHistogram {
        var h = histograms[index]
        if isStaleNaN(h.sum) { return FloatHistogram(sum: h.sum) }
        h.counterResetHint = gauge ? .gauge : (index == 0 ? .unknown : .notCounterReset)
        return h
    }

    /// Whether `h` may continue this chunk (Prometheus's `appendable` / `appendableGauge`).
    func canAppend(_ h: FloatHistogram) -> Bool {
        guard let last = histograms.last else { return true }
        if gauge != (h.counterResetHint == .gauge) { return false }
        if isStaleNaN(h.sum) { return true }
        if isStaleNaN(last.sum) { return false }
        if gauge {
            return h.schema == last.schema && h.zeroThreshold == last.zeroThreshold
                && (!h.usesCustomBuckets || FloatHistogram.bitsEqual(h.customValues, last.customValues))
        }
        if h.counterResetHint == .counterReset { return false }
        if h.count < last.count { return false }
        if h.schema != last.schema || h.zeroThreshold != last.zeroThreshold { return false }
        if h.usesCustomBuckets && !FloatHistogram.bitsEqual(h.customValues, last.customValues) { return false }
        if h.zeroCount < last.zeroCount { return false }
        return Self.noBucketDecrease(
            from: FloatHistogram.expand(last.positiveSpans, last.positiveBuckets),
            to: FloatHistogram.expand(h.positiveSpans, h.positiveBuckets))
            && Self.noBucketDecrease(
                from: FloatHistogram.expand(last.negativeSpans, last.negativeBuckets),
                to: FloatHistogram.expand(h.negativeSpans, h.negativeBuckets))
    }

    /// False when a bucket populated in `old` is missing from `new` or has a smaller count there.
    private static func noBucketDecrease(from old: [(Int32, Double)], to new: [(Int32, Double)]) -> Bool {
        var j = 0
        for (idx, c) in old {
            while j < new.count && new[j].0 < idx { j += 1 }
            if j < new.count && new[j].0 == idx {
                if c > new[j].1 { return false }
            } else if c != 0 {
                return false
            }
        }
        return true
    }
}
