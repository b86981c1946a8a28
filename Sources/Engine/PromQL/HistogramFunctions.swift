#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GoCompat

extension FloatHistogram {
    /// Every bucket from the most negative through the zero bucket to the most positive.
    public func allBuckets() -> [Bucket] {
        var out = Array(buckets(positive: false).reversed())
        if !usesCustomBuckets && (zeroCount != 0 || zeroThreshold != 0) {
            out.append(Bucket(index: 0, lower: -zeroThreshold, upper: zeroThreshold, lowerInclusive: true, upperInclusive: true, count: zeroCount))
        }
        out.append(contentsOf: buckets(positive: true))
        return out
    }
}

/// Prometheus's quantile estimate for a native histogram.
extension Evaluator {
    func nativeHistogramQuantile(_ q: Double, _ h: FloatHistogram, metricName: String) -> Double {
        let nanObservations = h.sum.isNaN && q >= 0 && q <= 1 && h.count != 0
        let v = Engine.nativeHistogramQuantile(q, h)
        if nanObservations {
            let suffix = metricName.isEmpty ? "" : " for metric name \(quoteLabelValue(metricName))"
            ctx.annotations.info("input to histogram_quantile has NaN observations, result is \(v.isNaN ? "NaN" : "skewed higher")\(suffix)")
        }
        return v
    }
}

func nativeHistogramQuantile(_ q: Double, _ h: FloatHistogram) -> Double {
    if q < 0 { return -.infinity }
    if q > 1 { return .infinity }
    if h.count == 0 || q.isNaN { return .nan }
    let forward = h.sum.isNaN || q < 0.5
    var buckets = h.allBuckets()
    if !forward { buckets.reverse() }
    var rank = forward ? q * h.count : (1 - q) * h.count
    var count = 0.0
    guard var bucket = buckets.first(where: { $0.count != 0 }) else { return .nan }
    for b in buckets where b.count != 0 {
        bucket = b
        count += b.count
        if count >= rank { break }
    }
    // NaN observations count in h.count but in no bucket: a rank beyond the buckets has no estimate.
    if h.sum.isNaN && count < rank { return .nan }
    if !h.usesCustomBuckets && bucket.lower < 0 && bucket.upper > 0 {
        if h.negativeBuckets.isEmpty && !h.positiveBuckets.isEmpty { bucket.lower = 0 }
        else if h.positiveBuckets.isEmpty && !h.negativeBuckets.isEmpty { bucket.upper = 0 }
    } else if h.usesCustomBuckets {
        if bucket.lower == -.infinity {
            if bucket.upper <= 0 { return bucket.upper }
            bucket.lower = 0
        } else if bucket.upper == .infinity {
            return bucket.lower
        }
    }
    if count > h.count { count = h.count }
    if count < rank { return bucket.upper }
    if forward { rank -= count - bucket.count } else { rank = count - rank }
    let fraction = rank / bucket.count
    if h.usesCustomBuckets || (bucket.lower <= 0 && bucket.upper >= 0) {
        return bucket.lower + (bucket.upper - bucket.lower) * fraction
    }
    let logLower = log2(abs(bucket.lower)), logUpper = log2(abs(bucket.upper))
    if bucket.lower > 0 { return exp2(logLower + (logUpper - logLower) * fraction) }
    return -exp2(logUpper + (logLower - logUpper) * (1 - fraction))
}

/// A classic-histogram bucket: upper bound and cumulative count.
struct ClassicBucket {
    var upperBound: Double
    var count: Double
}

/// Prometheus's `BucketQuantile` with its monotonicity fix-ups; also reports whether counts had to be forced.
func classicBucketQuantile(_ q: Double, _ input: [ClassicBucket]) -> (Double, forcedMonotonic: Bool) {
    if q.isNaN { return (.nan, false) }
    if q < 0 { return (-.infinity, false) }
    if q > 1 { return (.infinity, false) }
    var buckets = input.sorted { $0.upperBound < $1.upperBound }
    guard let last = buckets.last, last.upperBound == .infinity else { return (.nan, false) }
    // Coalesce equal bounds.
    var merged: [ClassicBucket] = []
    for b in buckets {
        if let l = merged.last, l.upperBound == b.upperBound {
            merged[merged.count - 1].count += b.count
        } else {
            merged.append(b)
        }
    }
    buckets = merged
    var forced = false
    if var prev = buckets.first?.count {
        for i in buckets.indices.dropFirst() {
            let curr = buckets[i].count
            if curr == prev { continue }
            if almostEqual(prev, curr, 1e-12) {
                buckets[i].count = prev
                continue
            }
            if curr < prev {
                buckets[i].count = prev
                forced = true
                continue
            }
            prev = curr
        }
    }
    guard buckets.count >= 2 else { return (.nan, forced) }
    let observations = buckets[buckets.count - 1].count
    if observations == 0 { return (.nan, forced) }
    var rank = q * observations
    var b = buckets.count - 1
    for i in 0..<(buckets.count - 1) where buckets[i].count >= rank {
        b = i
        break
    }
    if b == buckets.count - 1 { return (buckets[buckets.count - 2].upperBound, forced) }
    if b == 0 && buckets[0].upperBound <= 0 { return (buckets[0].upperBound, forced) }
    var bucketStart = 0.0
    let bucketEnd = buckets[b].upperBound
    var count = buckets[b].count
    if b > 0 {
        bucketStart = buckets[b - 1].upperBound
        count -= buckets[b - 1].count
        rank -= buckets[b - 1].count
    }
    return (bucketStart + (bucketEnd - bucketStart) * (rank / count), forced)
}

/// Prometheus's `almost.Equal`: equal, or within `epsilon` relative error.
func almostEqual(_ a: Double, _ b: Double, _ epsilon: Double) -> Bool {
    if a == b { return true }
    if a.isNaN && b.isNaN { return true }
    let absSum = abs(a) + abs(b)
    let diff = abs(a - b)
    if a == 0 || b == 0 || absSum < Double.leastNormalMagnitude {
        return diff < epsilon * Double.leastNormalMagnitude
    }
    return diff / Swift.min(absSum, Double.greatestFiniteMagnitude) < epsilon
}

extension Evaluator {
    /// `histogram_quantile(q, v)` and (experimental) `histogram_quantiles(v, "label", q...)`.
    func evalHistogramQuantile(_ c: Call, multi: Bool) throws(PromQLEvalError) -> EvalValue {
        var qArgs: [[Double]] = []
        var quantileLabel: String? = nil
        let input: [EvalSeries]
        if multi {
            input = try vectorValue(c.args[0])
            quantileLabel = try stringValue(c.args[1])
            for a in c.args.dropFirst(2) { qArgs.append(try scalarValues(a)) }
        } else {
            qArgs = [try scalarValues(c.args[0])]
            input = try vectorValue(c.args[1])
        }
        var steps = HistogramSteps(input, delayedNameRemoval: options.delayedNameRemoval)
        var collector = SeriesCollector()
        for (i, t) in self.steps.enumerated() {
            let qs = qArgs.map { i < $0.count ? $0[i] : Double.nan }
            for q in qs where q.isNaN || q < 0 || q > 1 {
                ctx.annotations.warn("quantile value should be between 0 and 1, got \(GoFloat.formatV(q))")
            }
            steps.advance(step: i, to: t, annotations: ctx.annotations)
            var seen: Set<Labels> = []
            func emit(_ labels: Labels, drop: Bool, _ v: Double, _ q: Double) throws(PromQLEvalError) {
                var labels = labels
                if let quantileLabel { labels = labels.setting(quantileLabel, formatOpenMetricsFloat(q)) }
                if multi && !seen.insert(drop ? labels.removing(["__name__"]) : labels).inserted {
                    throw PromQLEvalError("vector cannot contain metrics with the same labelset")
                }
                try collector.append(collector.slot(labels, drop: drop), t: t, float: v)
            }
            for q in qs {
                for si in steps.natives {
                    let s = input[si]
                    let v = nativeHistogramQuantile(q, steps.histogram(si), metricName: s.labels.metricName ?? "")
                    if options.delayedNameRemoval {
                        try emit(s.labels, drop: true, v, q)
                    } else {
                        try emit(s.labels.removing(metadataLabelNames), drop: s.dropName, v, q)
                    }
                }
                for g in steps.order {
                    let (v, forced) = classicBucketQuantile(q, steps.buckets[g])
                    let name = steps.groupName[g]
                    if forced {
                        ctx.annotations.info("input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)\(name.isEmpty ? "" : " for metric name \(quoteLabelValue(name))")")
                    }
                    try emit(steps.groupLabels[g], drop: options.delayedNameRemoval, v, q)
                }
            }
        }
        return .vector(try collector.finish())
    }

    /// histogram_count/sum/avg/stddev/stdvar: one float per native-histogram point (float points are dropped),
    /// series by series.
    func evalHistogramProperty(_ c: Call, _ property: (FloatHistogram) -> Double) throws(PromQLEvalError) -> EvalValue {
        var collector = SeriesCollector()
        for s in try vectorValue(c.args[0]) {
            var o = EvalSeries(labels: s.labels, dropName: s.dropName)
            for p in s.histograms where stepIndex(p.t) != nil {
                o.floats.append(FPoint(t: p.t, f: property(p.h)))
            }
            collector.add(dropName(o))
        }
        return .vector(try collector.finish())
    }

    /// histogram_stdvar: the variance of the bucket midpoints (geometric for exponential buckets) around the mean.
    static func histogramVariance(_ h: FloatHistogram) -> Double {
        let mean = h.sum / h.count
        var variance = 0.0, cv = 0.0
        for b in h.allBuckets() where b.count != 0 {
            var val: Double
            if h.usesCustomBuckets { val = (b.upper + b.lower) / 2 }
            else if b.lower <= 0 && b.upper >= 0 { val = 0 }
            else {
                val = (b.upper * b.lower).squareRoot()
                if b.upper < 0 { val = -val }
            }
            let delta = val - mean
            (variance, cv) = kahanSumInc(b.count * delta * delta, variance, cv)
        }
        return (variance + cv) / h.count
    }

    func evalHistogramFraction(_ c: Call) throws(PromQLEvalError) -> EvalValue {
        let lower = try scalarValues(c.args[0]), upper = try scalarValues(c.args[1])
        let input = try vectorValue(c.args[2])
        var steps = HistogramSteps(input, delayedNameRemoval: options.delayedNameRemoval)
        var collector = SeriesCollector()
        for (i, t) in self.steps.enumerated() {
            steps.advance(step: i, to: t, annotations: ctx.annotations)
            for si in steps.natives {
                let s = input[si], h = steps.histogram(si)
                let v = h.usesCustomBuckets ? customBucketFraction(lower[i], upper[i], h) : nativeHistogramFraction(lower[i], upper[i], h)
                if h.sum.isNaN && h.count != 0 {
                    let name = s.labels.metricName ?? ""
                    ctx.annotations.info("input to histogram_fraction has NaN observations, which are excluded from all fractions\(name.isEmpty ? "" : " for metric name \(quoteLabelValue(name))")")
                }
                let labels = options.delayedNameRemoval ? s.labels : s.labels.removing(metadataLabelNames)
                try collector.append(collector.slot(labels, drop: options.delayedNameRemoval || s.dropName), t: t, float: v)
            }
            for g in steps.order {
                try collector.append(collector.slot(steps.groupLabels[g], drop: options.delayedNameRemoval), t: t,
                                     float: classicBucketFraction(lower[i], upper[i], steps.buckets[g]))
            }
        }
        return .vector(try collector.finish())
    }

}

/// Fraction of observations between `lower` and `upper` (linear interpolation inside buckets).
func nativeHistogramFraction(_ lower: Double, _ upper: Double, _ h: FloatHistogram) -> Double {
    if h.count == 0 || lower.isNaN || upper.isNaN { return .nan }
    if lower >= upper { return 0 }
    var rank = 0.0
    func interpolate(_ b: FloatHistogram.Bucket, _ v: Double) -> Double {
        if v <= b.lower { return 0 }
        if v >= b.upper { return b.count }
        var lo = b.lower, hi = b.upper
        if h.usesCustomBuckets {
            if lo == -.infinity { lo = Swift.min(0, hi) }
            if hi == .infinity { return 0 }
            return b.count * (v - lo) / (hi - lo)
        }
        if lo <= 0 && hi >= 0 { return b.count * (v - lo) / (hi - lo) }
        if lo > 0 {
            return b.count * (log2(v) - log2(lo)) / (log2(hi) - log2(lo))
        }
        lo = abs(lo); hi = abs(hi)
        return b.count * (1 - (log2(abs(v)) - log2(hi)) / (log2(lo) - log2(hi)))
    }
    for var b in h.allBuckets() {
        if !h.usesCustomBuckets && b.lower < 0 && b.upper > 0 {
            if h.negativeBuckets.isEmpty && !h.positiveBuckets.isEmpty { b.lower = 0 }
            else if h.positiveBuckets.isEmpty && !h.negativeBuckets.isEmpty { b.upper = 0 }
        }
        rank += interpolate(b, upper) - interpolate(b, lower)
    }
    return rank / h.count
}

/// Fraction of observations in `[lower, upper]` over buckets given as (lower bound, upper bound, count).
/// Buckets of infinite width count only when wholly inside the range (they cannot be interpolated).
func fractionOverBuckets(_ lower: Double, _ upper: Double, _ buckets: [(Double, Double, Double)], total: Double) -> Double {
    if total == 0 || lower.isNaN || upper.isNaN { return .nan }
    if lower >= upper { return 0 }
    var sum = 0.0
    for (bl, bu, count) in buckets where count != 0 {
        let lo = Swift.max(bl, lower), hi = Swift.min(bu, upper)
        if hi <= lo { continue }
        if bu == .infinity {
            // Nothing is known about where in the +Inf bucket observations lie: all or nothing.
            if upper == .infinity { sum += count }
            continue
        }
        if bl == -.infinity {
            if lo == bl && hi == bu { sum += count }
            continue
        }
        sum += count * (hi - lo) / (bu - bl)
    }
    return sum / total
}

/// `histogram_fraction` over classic `le` buckets (cumulative counts).
func classicBucketFraction(_ lower: Double, _ upper: Double, _ input: [ClassicBucket]) -> Double {
    var buckets = input.sorted { $0.upperBound < $1.upperBound }
    guard let last = buckets.last, last.upperBound == .infinity else { return .nan }
    var merged: [ClassicBucket] = []
    for b in buckets {
        if let l = merged.last, l.upperBound == b.upperBound { merged[merged.count - 1].count += b.count } else { merged.append(b) }
    }
    buckets = merged
    var ranges: [(Double, Double, Double)] = []
    var prevBound = -Double.infinity, prevCount = 0.0
    for (i, b) in buckets.enumerated() {
        let lo = i == 0 ? (b.upperBound > 0 ? 0 : -.infinity) : prevBound
        ranges.append((lo, b.upperBound, Swift.max(0, b.count - prevCount)))
        prevBound = b.upperBound
        prevCount = Swift.max(prevCount, b.count)
    }
    return fractionOverBuckets(lower, upper, ranges, total: prevCount)
}

/// `histogram_fraction` over a native histogram with custom bucket bounds.
func customBucketFraction(_ lower: Double, _ upper: Double, _ h: FloatHistogram) -> Double {
    var ranges: [(Double, Double, Double)] = []
    for b in h.buckets(positive: true) {
        var lo = b.lower
        if lo == -.infinity && b.upper > 0 { lo = 0 }
        ranges.append((lo, b.upper, b.count))
    }
    return fractionOverBuckets(lower, upper, ranges, total: h.count)
}

/// Go's `labels.FormatOpenMetricsFloat`: like `%g` but integral values keep a `.0`.
func formatOpenMetricsFloat(_ v: Double) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
    let s = GoFloat.formatV(v)
    if s.contains(".") || s.contains("e") || s.contains("E") { return s }
    return s + ".0"
}
