#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The histogram trim operators `h </ x` (keep observations below `x`) and `h >/ x` (keep those above).
/// The parser does not produce these operators yet; the evaluator recognises them by their spelling.
enum HistogramTrim {
    static let upperSpelling = "</"
    static let lowerSpelling = ">/"

    /// Whether a binary operator is one of the trim operators (and which).
    static func keepsBelow(_ op: BinaryOperator) -> Bool? {
        switch op.rawValue {
        case upperSpelling: return true
        case lowerSpelling: return false
        default: return nil
        }
    }
}

extension FloatHistogram {
    /// The observations of one bucket that survive a trim at `cut`, and where they are centred.
    private struct Kept {
        var count: Double
        var midpoint: Double
    }

    /// Observations below (`keepBelow`) or above `cut`: buckets across the cut are split by interpolation
    /// (exponential inside exponential buckets, linear in the zero bucket and custom buckets). When anything is
    /// removed, count and sum are recomputed from the kept buckets (sum from each kept range's midpoint);
    /// otherwise the histogram is returned unchanged.
    func trimmed(at cut: Double, keepBelow: Bool) -> FloatHistogram {
        if cut.isNaN { return self }
        var out = self
        var removedAny = false
        var count = 0.0, sum = 0.0

        func linear(_ lo: Double, _ hi: Double, _ c: Double) -> Kept? {
            if keepBelow {
                if hi <= cut { return Kept(count: c, midpoint: (lo + hi) / 2) }
                if lo >= cut { return nil }
                return Kept(count: c * (cut - lo) / (hi - lo), midpoint: (lo + cut) / 2)
            }
            if lo >= cut { return Kept(count: c, midpoint: (lo + hi) / 2) }
            if hi <= cut { return nil }
            return Kept(count: c * (hi - cut) / (hi - lo), midpoint: (cut + hi) / 2)
        }

        func geometricMid(_ a: Double, _ b: Double) -> Double {
            let m = (abs(a) * abs(b)).squareRoot()
            return a < 0 ? -m : m
        }

        /// Exponential bucket between `lo` and `hi` of one sign.
        func exponential(_ lo: Double, _ hi: Double, _ c: Double) -> Kept? {
            // Fraction of the bucket between `lo` and `x` on a logarithmic scale of absolute values.
            func fractionBelow(_ x: Double) -> Double {
                if lo > 0 { return (log2(x) - log2(lo)) / (log2(hi) - log2(lo)) }
                return (log2(abs(lo)) - log2(abs(x))) / (log2(abs(lo)) - log2(abs(hi)))
            }
            if keepBelow {
                if hi <= cut { return Kept(count: c, midpoint: geometricMid(lo, hi)) }
                if lo >= cut { return nil }
                return Kept(count: c * fractionBelow(cut), midpoint: geometricMid(lo, cut))
            }
            if lo >= cut { return Kept(count: c, midpoint: geometricMid(lo, hi)) }
            if hi <= cut { return nil }
            return Kept(count: c * (1 - fractionBelow(cut)), midpoint: geometricMid(cut, hi))
        }

        /// Custom bucket with possibly infinite bounds.
        func custom(_ lo: Double, _ hi: Double, _ c: Double) -> Kept? {
            switch (lo == -.infinity, hi == .infinity) {
            case (true, true):
                // Nothing is known about where the observations are: kept only by a no-op trim.
                return (keepBelow ? cut == .infinity : cut == -.infinity) ? Kept(count: c, midpoint: 0) : nil
            case (true, false):
                if hi > 0 {
                    // Observations are taken to lie in [0, hi]; a lower cut below zero cannot be placed in the
                    // bucket and removes it (as upstream does), unless it is -Inf.
                    if !keepBelow && cut < 0 { return cut == -.infinity ? Kept(count: c, midpoint: hi / 2) : nil }
                    return linear(0, hi, c)
                }
                if keepBelow { return Kept(count: c, midpoint: Swift.min(hi, cut)) }
                return cut == -.infinity ? Kept(count: c, midpoint: hi) : nil
            case (false, true):
                if keepBelow { return cut == .infinity ? Kept(count: c, midpoint: lo) : nil }
                return cut == .infinity ? nil : Kept(count: c, midpoint: Swift.max(lo, cut))
            case (false, false):
                return linear(lo, hi, c)
            }
        }

        func apply(_ kept: Kept?, _ c: Double) -> Double {
            guard let kept, kept.count > 0 else {
                removedAny = true
                return 0
            }
            if kept.count < c { removedAny = true }
            count += kept.count
            sum += kept.count * kept.midpoint
            return kept.count
        }

        if usesCustomBuckets {
            for (i, b) in buckets(positive: true).enumerated() where b.count != 0 && i < out.positiveBuckets.count {
                out.positiveBuckets[i] = apply(custom(b.lower, b.upper, b.count), b.count)
            }
        } else {
            for (i, b) in buckets(positive: false).enumerated() where b.count != 0 && i < out.negativeBuckets.count {
                out.negativeBuckets[i] = apply(exponential(b.lower, b.upper, b.count), b.count)
            }
            if zeroCount != 0 {
                var lo = -zeroThreshold, hi = zeroThreshold
                if negativeBuckets.isEmpty && !positiveBuckets.isEmpty { lo = 0 }
                else if positiveBuckets.isEmpty && !negativeBuckets.isEmpty { hi = 0 }
                out.zeroCount = apply(linear(lo, hi, zeroCount), zeroCount)
            }
            for (i, b) in buckets(positive: true).enumerated() where b.count != 0 && i < out.positiveBuckets.count {
                out.positiveBuckets[i] = apply(exponential(b.lower, b.upper, b.count), b.count)
            }
        }
        guard removedAny else { return self }
        out.count = count
        out.sum = count == 0 ? 0 : sum
        return out.compacted()
    }
}
