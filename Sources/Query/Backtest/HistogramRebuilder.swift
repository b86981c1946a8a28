#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Engine

/// Rebuilds native histograms from the HTTP API's JSON form (`{count, sum, buckets: [[boundaries, lower,
/// upper, count], …]}`), so `query backtest SERVER` can copy native-histogram samples and evaluate them
/// locally as the server would.
///
/// The API gives each non-empty bucket's bounds, not the schema, spans or zero threshold. They are
/// recovered as follows, a series at a time:
/// - exponential schemas (−4…8): the schema is the one in which every non-empty bucket's bounds are two
///   adjacent bucket boundaries (`getBound(i−1)`, `getBound(i)`), which also gives each bucket's index; the
///   zero bucket (both ends inclusive) gives the zero threshold and count (bounds are matched to within a
///   few ulps: see `nearlyEqual`). Lossless for evaluation when a
///   sample has a non-empty bucket outside the zero bucket. A sample without one (count only, or only zero
///   observations) takes its schema from the nearest sample of the series that has one (schema 0 if none
///   has); a sample without observations in the zero bucket takes the zero threshold of the nearest one
///   that has, else Prometheus's default 2^−128. These differ from the stored ones only where the stored
///   ones never showed in a bucket of that sample.
/// - custom buckets (schema −53, NHCB: a bucket with an infinite bound, or bounds no exponential schema
///   has): the custom bounds are the union of the finite bounds of the series' non-empty buckets. Bounds
///   between two empty buckets never appear in the API; leaving them out merges those empty buckets, which
///   changes no quantile, count or sum, but makes the bounds differ from other series' (aggregating such
///   series across them gives "incompatible bounds" where the server would not). An NHCB series whose
///   observations all fall into buckets that are also exponential buckets of one schema is taken as
///   exponential.
/// - the counter-reset hint (including "gauge histogram") is not in the API: rebuilt histograms carry
///   "unknown", so counter resets are detected by comparing samples, as Prometheus does for "unknown"
///   (and for gauge histograms); a stored explicit hint that comparison would not find is lost.
public enum HistogramRebuilder {
    /// Prometheus's default zero threshold (`DefNativeHistogramZeroThreshold`, 2^−128).
    public static let defaultZeroThreshold = 2.938735877055719e-39

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// What one sample's buckets say about its layout.
    private struct Shape {
        var schema: Int32?
        var zero: (threshold: Double, count: Double)?
        var custom: Bool
        /// (absolute lower, absolute upper, count, positive) of the non-zero buckets.
        var buckets: [(lower: Double, upper: Double, count: Double, positive: Bool)]
    }

    /// Rebuilds the histograms of one series, in order.
    public static func rebuild(_ points: [APIHistogram]) throws(Failure) -> [FloatHistogram] {
        var shapes: [Shape] = []
        shapes.reserveCapacity(points.count)
        for p in points { shapes.append(try shape(p)) }
        guard !shapes.contains(where: \.custom) else { return try rebuildCustom(points, shapes) }
        var out: [FloatHistogram] = []
        out.reserveCapacity(points.count)
        for (i, p) in points.enumerated() {
            let schema = shapes[i].schema ?? nearest(shapes, i) { $0.schema } ?? 0
            let zero = shapes[i].zero ?? nearest(shapes, i) { $0.zero.map { ($0.threshold, 0) } } ?? (defaultZeroThreshold, 0)
            var positive: [(Int32, Double)] = [], negative: [(Int32, Double)] = []
            for b in shapes[i].buckets {
                guard let idx = exponentialIndex(upper: b.upper, lower: b.lower, schema: schema) else {
                    throw Failure(message: "histogram bucket (\(b.lower), \(b.upper)] does not fit schema \(schema) of its series")
                }
                if b.positive { positive.append((idx, b.count)) } else { negative.append((idx, b.count)) }
            }
            positive.sort { $0.0 < $1.0 }
            negative.sort { $0.0 < $1.0 }
            let (ps, pb) = FloatHistogram.build(positive), (ns, nb) = FloatHistogram.build(negative)
            out.append(FloatHistogram(schema: schema, zeroThreshold: zero.0, zeroCount: zero.1, count: p.count, sum: p.sum,
                                      positiveSpans: ps, negativeSpans: ns, positiveBuckets: pb, negativeBuckets: nb))
        }
        return out
    }

    /// The value `pick` gives for the sample nearest to `i` (earlier first on ties) that has one.
    private static func nearest<T>(_ shapes: [Shape], _ i: Int, _ pick: (Shape) -> T?) -> T? {
        var d = 1
        while i - d >= 0 || i + d < shapes.count {
            if i - d >= 0, let v = pick(shapes[i - d]) { return v }
            if i + d < shapes.count, let v = pick(shapes[i + d]) { return v }
            d += 1
        }
        return nil
    }

    private static func shape(_ h: APIHistogram) throws(Failure) -> Shape {
        var s = Shape(schema: nil, zero: nil, custom: false, buckets: [])
        var candidates = Set(Int32(-4)...Int32(8))
        for b in h.buckets ?? [] {
            guard !b.lower.isNaN, !b.upper.isNaN, b.lower <= b.upper else {
                throw Failure(message: "histogram bucket with bounds \(b.lower), \(b.upper)")
            }
            switch b.boundaries {
            case 3 where b.lower == -b.upper:
                s.zero = (b.upper, b.count)
            case 0 where b.lower >= 0 || b.lower == -.infinity:
                s.buckets.append((b.lower, b.upper, b.count, true))
                if b.lower == -.infinity || b.upper == .infinity { s.custom = true }
            case 1 where b.upper <= 0:
                s.buckets.append((-b.upper, -b.lower, b.count, false))
            default:
                throw Failure(message: "histogram bucket with bounds \(b.lower), \(b.upper) and boundary rule \(b.boundaries) is neither exponential nor custom")
            }
            guard let last = s.buckets.last, !s.custom else { continue }
            candidates = candidates.filter { exponentialIndex(upper: last.upper, lower: last.lower, schema: $0) != nil }
        }
        if s.buckets.isEmpty { return s }
        if !s.custom, let schema = candidates.max() { s.schema = schema } else { s.custom = true }
        if s.custom, s.zero != nil || s.buckets.contains(where: { !$0.positive }) {
            throw Failure(message: "histogram with custom bucket bounds has a zero bucket or negative buckets")
        }
        return s
    }

    /// The index of the exponential bucket (`lower`, `upper`] (absolute values) in `schema`, nil if none.
    static func exponentialIndex(upper: Double, lower: Double, schema: Int32) -> Int32? {
        guard upper > 0, upper.isFinite || upper == .infinity else { return nil }
        let scale = Double(sign: .plus, exponent: Int(schema), significand: 1)
        let estimate = log2(upper.isFinite ? upper : Double.greatestFiniteMagnitude) * scale
        guard estimate.isFinite, abs(estimate) < Double(Int32.max - 2) else { return nil }
        let center = Int32(estimate.rounded(.up))
        for idx in [center, center - 1, center + 1] {
            if nearlyEqual(FloatHistogram.exponentialBound(idx, schema: schema), upper),
               nearlyEqual(FloatHistogram.exponentialBound(idx - 1, schema: schema), lower) {
                return idx
            }
        }
        return nil
    }

    /// Bucket bounds as the server computed them may differ from ours in the last bits (Prometheus takes
    /// schemas 1…8 from a table of constants, some a unit in the last place off the nearest double; we
    /// compute them); adjacent bounds differ by at least 0.27 %, so a few ulps cannot confuse two buckets.
    static func nearlyEqual(_ a: Double, _ b: Double) -> Bool {
        a == b || (a.isFinite && b.isFinite && abs(a - b) <= 4 * Swift.max(a.ulp, b.ulp))
    }

    private static func rebuildCustom(_ points: [APIHistogram], _ shapes: [Shape]) throws(Failure) -> [FloatHistogram] {
        var union = Set<Double>()
        for s in shapes {
            for b in s.buckets {
                if b.lower.isFinite { union.insert(b.lower) }
                if b.upper.isFinite { union.insert(b.upper) }
            }
        }
        let bounds = union.sorted()
        var out: [FloatHistogram] = []
        out.reserveCapacity(points.count)
        for (i, p) in points.enumerated() {
            var pairs: [(Int32, Double)] = []
            for b in shapes[i].buckets {
                let idx = b.upper.isFinite ? bounds.firstIndex(of: b.upper) : bounds.count
                guard let idx, idx == 0 ? b.lower == -.infinity : bounds[idx - 1] == b.lower else {
                    throw Failure(message: "custom histogram bucket (\(b.lower), \(b.upper)] spans bounds other samples of its series have")
                }
                pairs.append((Int32(idx), b.count))
            }
            pairs.sort { $0.0 < $1.0 }
            let (ps, pb) = FloatHistogram.build(pairs)
            out.append(FloatHistogram(schema: FloatHistogram.customBucketsSchema, count: p.count, sum: p.sum,
                                      positiveSpans: ps, positiveBuckets: pb, customValues: bounds))
        }
        return out
    }
}
