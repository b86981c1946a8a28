/// A native-histogram sum with Kahan–Neumaier compensation for the count, the sum, the zero bucket and every
/// bucket (Prometheus's `KahanAdd`), with the incremental-mean fallback its averages use on overflow.
struct HistogramKahanSum {
    private(set) var h: FloatHistogram
    private var cCount = 0.0, cSum = 0.0, cZero = 0.0
    private var cPos: [Int32: Double] = [:]
    private var cNeg: [Int32: Double] = [:]
    /// Collected while adding.
    var counterResetCollision = false
    var customBoundsReconciled = false
    var counterResetSeen = false
    var notCounterResetSeen = false

    init(_ first: FloatHistogram) {
        h = first
        track(first)
    }

    private mutating func track(_ x: FloatHistogram) {
        switch x.counterResetHint {
        case .counterReset: counterResetSeen = true
        case .notCounterReset: notCounterResetSeen = true
        default: break
        }
    }

    /// The compensated value.
    var result: FloatHistogram {
        var out = h
        out.count += cCount
        out.sum += cSum
        out.zeroCount += cZero
        out.positiveBuckets = Self.compensated(out.positiveSpans, out.positiveBuckets, cPos)
        out.negativeBuckets = Self.compensated(out.negativeSpans, out.negativeBuckets, cNeg)
        return out
    }

    private static func compensated(_ spans: [FloatHistogram.Span], _ buckets: [Double], _ c: [Int32: Double]) -> [Double] {
        if c.isEmpty { return buckets }
        return FloatHistogram.expand(spans, buckets).map { $0.1 + (c[$0.0] ?? 0) }
    }

    /// Whether any count, the sum or a bucket overflowed to ±Inf.
    var hasOverflow: Bool {
        h.count.isInfinite || h.sum.isInfinite || h.zeroCount.isInfinite
            || h.positiveBuckets.contains(where: \.isInfinite) || h.negativeBuckets.contains(where: \.isInfinite)
    }

    /// Scales the sum and its compensation.
    mutating func scale(_ factor: Double) {
        h.mul(factor)
        cCount *= factor
        cSum *= factor
        cZero *= factor
        for k in cPos.keys { cPos[k] = (cPos[k] ?? 0) * factor }
        for k in cNeg.keys { cNeg[k] = (cNeg[k] ?? 0) * factor }
    }

    /// Folds the compensation into the value and starts afresh.
    private mutating func settle() {
        h = result
        cCount = 0
        cSum = 0
        cZero = 0
        cPos = [:]
        cNeg = [:]
    }

    mutating func add(_ o: FloatHistogram) throws(FloatHistogram.ArithmeticError) {
        track(o)
        if h.usesCustomBuckets != o.usesCustomBuckets { throw .incompatibleSchema }
        let layoutDiffers = h.usesCustomBuckets
            ? !FloatHistogram.bitsEqual(h.customValues, o.customValues)
            : h.zeroThreshold != o.zeroThreshold
        if layoutDiffers {
            // Rare: reconcile with plain arithmetic.
            settle()
            let report = try h.add(o, reconcileCustomBounds: true)
            if report.counterResetCollision { counterResetCollision = true }
            if report.customBoundsReconciled { customBoundsReconciled = true }
            return
        }
        // Counter-reset hints as plain addition combines them.
        var hintProbe = FloatHistogram(counterResetHint: h.counterResetHint, schema: h.schema)
        hintProbe.customValues = h.customValues
        var other = FloatHistogram(counterResetHint: o.counterResetHint, schema: o.schema)
        other.customValues = o.customValues
        if h.usesCustomBuckets { hintProbe.schema = FloatHistogram.customBucketsSchema; other.schema = FloatHistogram.customBucketsSchema }
        if let r = try? hintProbe.add(other, reconcileCustomBounds: true), r.counterResetCollision { counterResetCollision = true }
        let hint = hintProbe.counterResetHint

        let target = min(h.schema, o.schema)
        var pos = FloatHistogram.expand(h.positiveSpans, h.positiveBuckets)
        var neg = FloatHistogram.expand(h.negativeSpans, h.negativeBuckets)
        if !h.usesCustomBuckets && h.schema > target {
            pos = FloatHistogram.reduce(pos, from: h.schema, to: target)
            neg = FloatHistogram.reduce(neg, from: h.schema, to: target)
            cPos = Self.reduce(cPos, from: h.schema, to: target)
            cNeg = Self.reduce(cNeg, from: h.schema, to: target)
            h.schema = target
        }
        (h.count, cCount) = kahanSumInc(o.count, h.count, cCount)
        (h.sum, cSum) = kahanSumInc(o.sum, h.sum, cSum)
        (h.zeroCount, cZero) = kahanSumInc(o.zeroCount, h.zeroCount, cZero)
        let oPos = h.usesCustomBuckets ? FloatHistogram.expand(o.positiveSpans, o.positiveBuckets)
            : FloatHistogram.reduce(FloatHistogram.expand(o.positiveSpans, o.positiveBuckets), from: o.schema, to: target)
        let oNeg = FloatHistogram.reduce(FloatHistogram.expand(o.negativeSpans, o.negativeBuckets), from: o.schema, to: target)
        (h.positiveSpans, h.positiveBuckets) = Self.merge(pos, oPos, &cPos)
        if !h.usesCustomBuckets {
            (h.negativeSpans, h.negativeBuckets) = Self.merge(neg, oNeg, &cNeg)
        }
        h.counterResetHint = hint
    }

    private static func reduce(_ c: [Int32: Double], from: Int32, to: Int32) -> [Int32: Double] {
        let pairs = c.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        var out: [Int32: Double] = [:]
        for (k, v) in FloatHistogram.reduce(pairs, from: from, to: to) { out[k] = v }
        return out
    }

    private static func merge(_ a: [(Int32, Double)], _ b: [(Int32, Double)], _ c: inout [Int32: Double])
        -> ([FloatHistogram.Span], [Double]) {
        var values: [Int32: Double] = [:]
        for (k, v) in a { values[k] = v }
        for (k, v) in b {
            let (s, comp) = kahanSumInc(v, values[k] ?? 0, c[k] ?? 0)
            values[k] = s
            c[k] = comp
        }
        return FloatHistogram.build(values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }
}

extension Evaluator {
    /// Sum (or mean) of histograms as Prometheus computes them: Kahan-compensated, and for means switching to
    /// an incremental mean once the plain sum would overflow. Throws when exponential and custom buckets mix.
    func histogramSumOrMean(_ hs: [FloatHistogram], mean: Bool) throws(FloatHistogram.ArithmeticError)
        -> (value: FloatHistogram, acc: HistogramKahanSum)? {
        guard let first = hs.first else { return nil }
        var sum = HistogramKahanSum(first)
        if !mean {
            for x in hs.dropFirst() { try sum.add(x) }
            return (sum.result, sum)
        }
        var incremental: HistogramKahanSum? = nil
        var count = 1.0
        for x in hs.dropFirst() {
            count += 1
            if incremental == nil {
                var attempt = sum
                try attempt.add(x)
                if !attempt.hasOverflow {
                    sum = attempt
                    continue
                }
                var m = sum
                m.scale(1 / (count - 1))
                incremental = m
            }
            guard var m = incremental else { continue }
            m.scale((count - 1) / count)
            try m.add(x.divided(by: count))
            incremental = m
        }
        if let m = incremental { return (m.result, m) }
        var r = sum
        r.scale(1 / count)
        return (r.result, sum)
    }
}

extension FloatHistogram {
    /// This histogram at a lower resolution (exponential schemas only; otherwise unchanged).
    func reducedResolution(to target: Int32) -> FloatHistogram {
        guard !usesCustomBuckets, target < schema else { return self }
        var h = self
        (h.positiveSpans, h.positiveBuckets) = Self.build(Self.reduce(Self.expand(positiveSpans, positiveBuckets), from: schema, to: target))
        (h.negativeSpans, h.negativeBuckets) = Self.build(Self.reduce(Self.expand(negativeSpans, negativeBuckets), from: schema, to: target))
        h.schema = target
        return h
    }
}
