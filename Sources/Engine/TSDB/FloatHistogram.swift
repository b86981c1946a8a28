#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GoCompat

/// A native histogram with float counts (Prometheus's `FloatHistogram`): exponential schemas −4…8, or the
/// custom-buckets schema −53 whose bucket upper bounds are `customValues`.
public struct FloatHistogram: Sendable, CustomStringConvertible {
    /// Whether the histogram is known to follow a counter reset, or is a gauge.
    public enum CounterResetHint: UInt8, Sendable, Hashable {
        case unknown, counterReset, notCounterReset, gauge
    }

    /// A run of consecutive buckets: `offset` is absolute for the first span and a gap after the previous span
    /// otherwise; `length` buckets follow.
    public struct Span: Sendable, Hashable {
        /// Absolute start index (first span) or gap after the previous span.
        public var offset: Int32
        /// Number of consecutive buckets.
        public var length: UInt32
        /// Builds a span.
        public init(offset: Int32, length: UInt32) {
            self.offset = offset
            self.length = length
        }
    }

    /// Errors of histogram arithmetic (Prometheus's texts).
    public enum ArithmeticError: Error, Sendable, Equatable, CustomStringConvertible {
        case incompatibleSchema
        case incompatibleBounds

        public var description: String {
            switch self {
            case .incompatibleSchema: return "cannot apply this operation to histograms with a mix of exponential and custom bucket schemas"
            case .incompatibleBounds: return "cannot apply this operation to custom buckets histograms with different custom bounds"
            }
        }
    }

    /// The schema number of custom-bucket histograms (NHCB).
    public static let customBucketsSchema: Int32 = -53

    /// Counter-reset information.
    public var counterResetHint: CounterResetHint
    /// Resolution: −4…8 (each power of two split into 2^schema buckets) or −53 for custom buckets.
    public var schema: Int32
    /// Width of the zero bucket (observations with |x| ≤ threshold).
    public var zeroThreshold: Double
    /// Observations in the zero bucket.
    public var zeroCount: Double
    /// Total number of observations.
    public var count: Double
    /// Sum of observations (also carries the stale marker).
    public var sum: Double
    /// Layout of `positiveBuckets`.
    public var positiveSpans: [Span]
    /// Layout of `negativeBuckets`.
    public var negativeSpans: [Span]
    /// Absolute bucket counts, one per bucket covered by `positiveSpans`.
    public var positiveBuckets: [Double]
    /// Absolute bucket counts, one per bucket covered by `negativeSpans`.
    public var negativeBuckets: [Double]
    /// Upper bounds of the custom buckets (schema −53 only), strictly increasing; +Inf is implicit.
    public var customValues: [Double]

    /// Builds a histogram from its fields (not validated; see `validationError`).
    public init(
        counterResetHint: CounterResetHint = .unknown, schema: Int32 = 0, zeroThreshold: Double = 0,
        zeroCount: Double = 0, count: Double = 0, sum: Double = 0,
        positiveSpans: [Span] = [], negativeSpans: [Span] = [],
        positiveBuckets: [Double] = [], negativeBuckets: [Double] = [], customValues: [Double] = []
    ) {
        self.counterResetHint = counterResetHint
        self.schema = schema
        self.zeroThreshold = zeroThreshold
        self.zeroCount = zeroCount
        self.count = count
        self.sum = sum
        self.positiveSpans = positiveSpans
        self.negativeSpans = negativeSpans
        self.positiveBuckets = positiveBuckets
        self.negativeBuckets = negativeBuckets
        self.customValues = customValues
    }

    /// Whether this is a custom-buckets (NHCB) histogram.
    public var usesCustomBuckets: Bool { schema == Self.customBucketsSchema }

    /// Prometheus's `{count:…, sum:…, [bucket]:count…}` form.
    public var description: String {
        var parts = ["count:\(GoFloat.formatV(count))", "sum:\(GoFloat.formatV(sum))"]
        for b in buckets(positive: false).reversed() where b.count != 0 { parts.append(b.description) }
        if zeroCount != 0 {
            parts.append("[-\(GoFloat.formatV(zeroThreshold)),\(GoFloat.formatV(zeroThreshold))]:\(GoFloat.formatV(zeroCount))")
        }
        for b in buckets(positive: true) where b.count != 0 { parts.append(b.description) }
        return "{" + parts.joined(separator: ", ") + "}"
    }
}

// MARK: - Buckets

extension FloatHistogram {
    /// One bucket with its bounds (for negative buckets, `lower`/`upper` are the negative values).
    public struct Bucket: Sendable, Equatable, CustomStringConvertible {
        /// Bucket index in the histogram's schema.
        public var index: Int32
        /// Lower bound.
        public var lower: Double
        /// Upper bound.
        public var upper: Double
        /// Whether `lower` belongs to the bucket.
        public var lowerInclusive: Bool
        /// Whether `upper` belongs to the bucket.
        public var upperInclusive: Bool
        /// Observations in the bucket.
        public var count: Double

        /// `(lower,upper]:count` as Prometheus prints a bucket.
        public var description: String {
            (lowerInclusive ? "[" : "(") + GoFloat.formatV(lower) + "," + GoFloat.formatV(upper) + (upperInclusive ? "]" : ")")
                + ":" + GoFloat.formatV(count)
        }
    }

    /// The buckets of one side in ascending order of absolute value (positive: upward from zero; negative:
    /// downward from zero).
    public func buckets(positive: Bool) -> [Bucket] {
        let pairs = positive ? Self.expand(positiveSpans, positiveBuckets) : Self.expand(negativeSpans, negativeBuckets)
        return pairs.map { idx, c in
            let up = upperBound(idx), low = upperBound(idx &- 1)
            if positive {
                return Bucket(index: idx, lower: low, upper: up, lowerInclusive: false, upperInclusive: true, count: c)
            }
            return Bucket(index: idx, lower: -up, upper: -low, lowerInclusive: true, upperInclusive: false, count: c)
        }
    }

    /// Upper bound of bucket `index` in this histogram's schema (absolute value).
    public func upperBound(_ index: Int32) -> Double {
        if usesCustomBuckets {
            if index < 0 { return -.infinity }
            let i = Int(index)
            return i < customValues.count ? customValues[i] : .infinity
        }
        return Self.exponentialBound(index, schema: schema)
    }

    /// Prometheus's `getBound` for exponential schemas: Prometheus's fraction in [0.5, 1)
    /// (`ExponentialBounds`) scaled by a power of two.
    public static func exponentialBound(_ idx: Int32, schema: Int32) -> Double {
        let s = min(max(schema, -4), 8)
        if s < 0 {
            let exp = Int(idx) << Int(-s)
            if exp == 1024 { return .greatestFiniteMagnitude }
            return scale(1, exp)
        }
        let n = Int32(1) << s
        let fracIdx = idx & (n - 1)
        let frac = ExponentialBounds.fraction(Int(fracIdx), schema: Int(s))
        let exp = (Int(idx) >> Int(s)) + 1
        if frac == 0.5 && exp == 1025 { return .greatestFiniteMagnitude }
        return scale(frac, exp)
    }

    private static func scale(_ x: Double, _ exp: Int) -> Double {
        if exp > 2000 { return .infinity }
        if exp < -2000 { return 0 }
        return Double(sign: .plus, exponent: exp, significand: x)
    }

    /// (absolute index, count) for every explicit bucket, in index order.
    static func expand(_ spans: [Span], _ buckets: [Double]) -> [(Int32, Double)] {
        var out: [(Int32, Double)] = []
        out.reserveCapacity(buckets.count)
        var idx: Int32 = 0
        var bi = 0
        for (si, s) in spans.enumerated() {
            idx = si == 0 ? s.offset : idx &+ s.offset
            var k: UInt32 = 0
            while k < s.length && bi < buckets.count {
                out.append((idx, buckets[bi]))
                idx &+= 1
                bi += 1
                k += 1
            }
            if k < s.length { break }
        }
        return out
    }

    /// Spans and buckets for (index, count) pairs sorted by index.
    public static func build(_ pairs: [(Int32, Double)]) -> ([Span], [Double]) {
        var spans: [Span] = []
        var buckets: [Double] = []
        buckets.reserveCapacity(pairs.count)
        var next: Int32 = 0
        for (i, (idx, c)) in pairs.enumerated() {
            if i > 0 && idx == next, let last = spans.indices.last {
                spans[last].length &+= 1
            } else {
                spans.append(Span(offset: i == 0 ? idx : idx &- next, length: 1))
            }
            buckets.append(c)
            next = idx &+ 1
        }
        return (spans, buckets)
    }

    /// Merges buckets into a lower-resolution schema (summing counts of buckets that fall together).
    static func reduce(_ pairs: [(Int32, Double)], from: Int32, to: Int32) -> [(Int32, Double)] {
        guard from > to else { return pairs }
        let shift = Int32(min(Int64(from) - Int64(to), 31))
        var out: [(Int32, Double)] = []
        for (idx, c) in pairs {
            let t = ((idx &- 1) >> shift) &+ 1
            if let last = out.indices.last, out[last].0 == t {
                out[last].1 += c
            } else {
                out.append((t, c))
            }
        }
        return out
    }

    /// Sum of two sorted bucket lists; every index of either appears in the result.
    static func merge(_ a: [(Int32, Double)], _ b: [(Int32, Double)], negate: Bool) -> [(Int32, Double)] {
        var out: [(Int32, Double)] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j >= b.count || (i < a.count && a[i].0 < b[j].0) {
                out.append(a[i])
                i += 1
            } else if i >= a.count || b[j].0 < a[i].0 {
                out.append((b[j].0, negate ? -b[j].1 : b[j].1))
                j += 1
            } else {
                out.append((a[i].0, negate ? a[i].1 - b[j].1 : a[i].1 + b[j].1))
                i += 1
                j += 1
            }
        }
        return out
    }
}

// MARK: - Arithmetic

extension FloatHistogram {
    /// Scales every count and the sum by `factor`.
    public mutating func mul(_ factor: Double) {
        zeroCount *= factor
        count *= factor
        sum *= factor
        for i in positiveBuckets.indices { positiveBuckets[i] *= factor }
        for i in negativeBuckets.indices { negativeBuckets[i] *= factor }
    }

    /// Divides every count and the sum by `divisor`; dividing by zero also drops all buckets (as Prometheus does).
    public mutating func div(_ divisor: Double) {
        zeroCount /= divisor
        count /= divisor
        sum /= divisor
        if divisor == 0 {
            positiveBuckets = []
            negativeBuckets = []
            positiveSpans = []
            negativeSpans = []
            return
        }
        for i in positiveBuckets.indices { positiveBuckets[i] /= divisor }
        for i in negativeBuckets.indices { negativeBuckets[i] /= divisor }
    }

    /// Copy scaled by `factor` (see `mul`).
    public func multiplied(by factor: Double) -> FloatHistogram {
        var h = self
        h.mul(factor)
        return h
    }

    /// Copy divided by `divisor` (see `div`).
    public func divided(by divisor: Double) -> FloatHistogram {
        var h = self
        h.div(divisor)
        return h
    }

    /// What an addition or subtraction had to paper over.
    public struct CombineReport: Sendable, Equatable {
        /// One operand was marked as following a counter reset and the other as not.
        public var counterResetCollision = false
        /// Custom-bucket bounds differed and both operands were mapped onto their common bounds.
        public var customBoundsReconciled = false
    }

    /// Adds `other` (Prometheus `Add`): reconciles zero thresholds and schemas (the result takes the lower
    /// resolution). Custom-bucket histograms with different bounds throw `incompatibleBounds`, or, with
    /// `reconcileCustomBounds` (Prometheus 3.x PromQL), are both reduced to their common bounds.
    /// Empty buckets may remain; see `compact`.
    @discardableResult
    public mutating func add(_ other: FloatHistogram, reconcileCustomBounds: Bool = false) throws(ArithmeticError) -> CombineReport {
        try combine(other, negate: false, reconcile: reconcileCustomBounds)
    }

    /// Subtracts `other` (Prometheus `Sub`), with the same reconciliation as `add`.
    @discardableResult
    public mutating func sub(_ other: FloatHistogram, reconcileCustomBounds: Bool = false) throws(ArithmeticError) -> CombineReport {
        try combine(other, negate: true, reconcile: reconcileCustomBounds)
    }

    /// `sub` with custom bounds reconciled, reporting whether that was needed.
    mutating func subReporting(_ other: FloatHistogram) throws(ArithmeticError) -> Bool {
        try combine(other, negate: true, reconcile: true).customBoundsReconciled
    }

    /// Sum of two histograms (see `add`).
    public func adding(_ other: FloatHistogram, reconcileCustomBounds: Bool = false) throws(ArithmeticError) -> FloatHistogram {
        var h = self
        try h.add(other, reconcileCustomBounds: reconcileCustomBounds)
        return h
    }

    /// Difference of two histograms (see `sub`).
    public func subtracting(_ other: FloatHistogram, reconcileCustomBounds: Bool = false) throws(ArithmeticError) -> FloatHistogram {
        var h = self
        try h.sub(other, reconcileCustomBounds: reconcileCustomBounds)
        return h
    }

    /// Bounds present in both (sorted) lists.
    static func commonBounds(_ a: [Double], _ b: [Double]) -> [Double] {
        let other = Set(b)
        return a.filter { other.contains($0) }
    }

    /// Maps custom buckets onto `bounds` (a subset of this histogram's bounds): each bucket goes to the first
    /// bucket of `bounds` whose upper bound is at least its own.
    func remappedCustomBuckets(to bounds: [Double]) -> [(Int32, Double)] {
        var out: [(Int32, Double)] = []
        var j = 0  // Buckets come in increasing order, so the target only moves up.
        for (idx, c) in Self.expand(positiveSpans, positiveBuckets) {
            let upper = upperBound(idx)
            while j < bounds.count && bounds[j] < upper { j += 1 }
            let target = Int32(clamping: j)
            if let last = out.last, last.0 == target { out[out.count - 1].1 += c } else { out.append((target, c)) }
        }
        return out
    }

    private mutating func combine(_ other: FloatHistogram, negate: Bool, reconcile: Bool) throws(ArithmeticError) -> CombineReport {
        var report = CombineReport()
        if usesCustomBuckets != other.usesCustomBuckets { throw .incompatibleSchema }
        var otherPositive = Self.expand(other.positiveSpans, other.positiveBuckets)
        if usesCustomBuckets && !Self.bitsEqual(customValues, other.customValues) {
            if !reconcile { throw .incompatibleBounds }
            let common = Self.commonBounds(customValues, other.customValues)
            let mine = remappedCustomBuckets(to: common)
            otherPositive = other.remappedCustomBuckets(to: common)
            (positiveSpans, positiveBuckets) = Self.build(mine)
            customValues = common
            report.customBoundsReconciled = true
        }
        switch (counterResetHint, other.counterResetHint) {
        case let (a, b) where a == b: break
        case (.gauge, _): break
        case (_, .gauge): counterResetHint = .gauge
        case (.unknown, _): break
        case (.counterReset, .notCounterReset), (.notCounterReset, .counterReset):
            report.counterResetCollision = true
            counterResetHint = .unknown
        default: counterResetHint = .unknown
        }
        if !usesCustomBuckets {
            let otherZero = reconcileZeroBuckets(other)
            zeroCount = negate ? zeroCount - otherZero : zeroCount + otherZero
        }
        count = negate ? count - other.count : count + other.count
        sum = negate ? sum - other.sum : sum + other.sum

        let target = min(schema, other.schema)
        let threshold = usesCustomBuckets ? -Double.infinity : zeroThreshold
        func side(_ mine: [(Int32, Double)], _ theirs: [(Int32, Double)]) -> [(Int32, Double)] {
            let a = Self.reduce(mine, from: schema, to: target)
            var b = Self.reduce(theirs, from: other.schema, to: target)
            if !usesCustomBuckets {
                // Buckets of `other` inside the (reconciled) zero bucket are already in its zero count.
                b.removeAll { Self.exponentialBound($0.0, schema: target) <= threshold }
            }
            return Self.merge(a, b, negate: negate)
        }
        let pos = side(Self.expand(positiveSpans, positiveBuckets), otherPositive)
        (positiveSpans, positiveBuckets) = Self.build(pos)
        if !usesCustomBuckets {
            let neg = side(Self.expand(negativeSpans, negativeBuckets), Self.expand(other.negativeSpans, other.negativeBuckets))
            (negativeSpans, negativeBuckets) = Self.build(neg)
            schema = target
        }
        return report
    }

    /// Prometheus's `zeroCountForLargerThreshold`: the zero count if the threshold grew to `larger`, and the
    /// threshold actually needed (moved up to a bucket boundary when it would fall inside a populated bucket).
    func zeroCountForLargerThreshold(_ larger: Double) -> (count: Double, threshold: Double) {
        if larger == zeroThreshold { return (zeroCount, larger) }
        var limit = larger
        let pos = buckets(positive: true)
        let neg = buckets(positive: false)
        for _ in 0..<(neg.count + 2) {
            var c = zeroCount
            for b in pos {
                if b.lower >= limit { break }
                c += b.count
                if b.upper > limit {
                    if b.count != 0 { limit = b.upper }
                    break
                }
            }
            var redo = false
            for b in neg {
                if b.upper <= -limit { break }
                c += b.count
                if b.lower < -limit {
                    if b.count != 0 {
                        limit = -b.lower
                        redo = true
                    }
                    break
                }
            }
            if !redo { return (c, limit) }
        }
        return (zeroCount, limit)
    }

    /// Zeroes the buckets inside the zero bucket and compacts (as Prometheus's `trimBucketsInZeroBucket`).
    private mutating func trimBucketsInZeroBucket() {
        for (i, b) in buckets(positive: true).enumerated() {
            if b.lower >= zeroThreshold { break }
            if i < positiveBuckets.count { positiveBuckets[i] = 0 }
        }
        for (i, b) in buckets(positive: false).enumerated() {
            if b.upper <= -zeroThreshold { break }
            if i < negativeBuckets.count { negativeBuckets[i] = 0 }
        }
        compact()
    }

    /// Widens this histogram's or the other's zero bucket until both agree; returns `other`'s zero count at the
    /// agreed threshold.
    private mutating func reconcileZeroBuckets(_ other: FloatHistogram) -> Double {
        var otherCount = other.zeroCount
        var otherThreshold = other.zeroThreshold
        guard !zeroThreshold.isNaN, !otherThreshold.isNaN else { return otherCount }
        var rounds = 0
        while otherThreshold != zeroThreshold && rounds < 64 {
            rounds += 1
            if zeroThreshold > otherThreshold {
                (otherCount, otherThreshold) = other.zeroCountForLargerThreshold(zeroThreshold)
            }
            if otherThreshold > zeroThreshold {
                (zeroCount, zeroThreshold) = zeroCountForLargerThreshold(otherThreshold)
                trimBucketsInZeroBucket()
            }
        }
        return otherCount
    }

    /// Drops empty buckets at span edges, joins spans at most `maxEmptyBuckets` apart and splits spans with longer
    /// runs of empty buckets (Prometheus `Compact`).
    public mutating func compact(maxEmptyBuckets: Int = 0) {
        (positiveSpans, positiveBuckets) = Self.compactSide(positiveSpans, positiveBuckets, maxEmptyBuckets)
        (negativeSpans, negativeBuckets) = Self.compactSide(negativeSpans, negativeBuckets, maxEmptyBuckets)
    }

    /// Compacted copy (see `compact`).
    public func compacted(maxEmptyBuckets: Int = 0) -> FloatHistogram {
        var h = self
        h.compact(maxEmptyBuckets: maxEmptyBuckets)
        return h
    }

    private static func compactSide(_ spans: [Span], _ buckets: [Double], _ maxEmpty: Int) -> ([Span], [Double]) {
        let filled = expand(spans, buckets).filter { $0.1 != 0 }
        var out: [(Int32, Double)] = []
        out.reserveCapacity(filled.count)
        let allowed = Int64(max(maxEmpty, 0))
        for (idx, c) in filled {
            if let last = out.last {
                let gap = Int64(idx) - Int64(last.0) - 1
                if gap > 0 && gap <= allowed {
                    var k = last.0 &+ 1
                    while k < idx {
                        out.append((k, 0))
                        k &+= 1
                    }
                }
            }
            out.append((idx, c))
        }
        return build(out)
    }

    /// Prometheus `DetectReset`: whether this histogram, following `previous`, implies a counter reset.
    public func detectReset(previous: FloatHistogram) -> Bool {
        if counterResetHint == .counterReset { return true }
        if counterResetHint == .notCounterReset { return false }
        if count < previous.count { return true }
        if usesCustomBuckets != previous.usesCustomBuckets { return true }
        if usesCustomBuckets && !Self.bitsEqual(customValues, previous.customValues) {
            // Different custom bounds: compare the buckets mapped onto the bounds both share.
            let common = Self.commonBounds(customValues, previous.customValues)
            return Self.anyBucketDecreased(from: previous.remappedCustomBuckets(to: common), to: remappedCustomBuckets(to: common))
        }
        if schema > previous.schema { return true }
        if !usesCustomBuckets {
            if zeroThreshold < previous.zeroThreshold { return true }
            let (prevZero, newThreshold) = previous.zeroCountForLargerThreshold(zeroThreshold)
            if newThreshold != zeroThreshold { return true }
            if zeroCount < prevZero { return true }
        }
        let threshold = usesCustomBuckets ? -Double.infinity : zeroThreshold
        func strip(_ pairs: [(Int32, Double)], _ from: Int32) -> [(Int32, Double)] {
            var r = Self.reduce(pairs, from: from, to: schema)
            if !usesCustomBuckets { r.removeAll { Self.exponentialBound($0.0, schema: schema) <= threshold } }
            return r
        }
        for positive in [true, false] {
            let cur = strip(positive ? Self.expand(positiveSpans, positiveBuckets) : Self.expand(negativeSpans, negativeBuckets), schema)
            let prev = strip(
                positive ? Self.expand(previous.positiveSpans, previous.positiveBuckets)
                    : Self.expand(previous.negativeSpans, previous.negativeBuckets), previous.schema)
            if Self.anyBucketDecreased(from: prev, to: cur) { return true }
        }
        return false
    }

    /// Whether a bucket of `prev` (index, count; sorted by index) is missing from `cur` while populated, or lower
    /// there: the bucket-level evidence of a counter reset.
    static func anyBucketDecreased(from prev: [(Int32, Double)], to cur: [(Int32, Double)]) -> Bool {
        var j = 0
        for (idx, c) in prev {
            while j < cur.count && cur[j].0 < idx { j += 1 }
            if j < cur.count && cur[j].0 == idx {
                if cur[j].1 < c { return true }
            } else if c != 0 {
                return true
            }
        }
        return false
    }
}

// MARK: - Equality and validation

extension FloatHistogram: Equatable {
    /// Prometheus `Equals`: same schema, threshold, bucket layout (regardless of how spans split it) and
    /// bit-identical counts, sum and buckets; the counter-reset hint is ignored.
    public static func == (a: FloatHistogram, b: FloatHistogram) -> Bool {
        guard a.schema == b.schema, a.count.bitPattern == b.count.bitPattern, a.sum.bitPattern == b.sum.bitPattern else {
            return false
        }
        if a.usesCustomBuckets && !bitsEqual(a.customValues, b.customValues) { return false }
        guard a.zeroThreshold == b.zeroThreshold, a.zeroCount.bitPattern == b.zeroCount.bitPattern else { return false }
        func sameSide(_ s1: [Span], _ b1: [Double], _ s2: [Span], _ b2: [Double]) -> Bool {
            let x = expand(s1, b1), y = expand(s2, b2)
            guard x.count == y.count else { return false }
            for (p, q) in zip(x, y) where p.0 != q.0 || p.1.bitPattern != q.1.bitPattern { return false }
            return true
        }
        return sameSide(a.negativeSpans, a.negativeBuckets, b.negativeSpans, b.negativeBuckets)
            && sameSide(a.positiveSpans, a.positiveBuckets, b.positiveSpans, b.positiveBuckets)
    }

    static func bitsEqual(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
    }

    /// Bitwise identity of every field including the hint (used for duplicate-sample detection).
    func isIdentical(to o: FloatHistogram) -> Bool {
        counterResetHint == o.counterResetHint && schema == o.schema
            && zeroThreshold.bitPattern == o.zeroThreshold.bitPattern && zeroCount.bitPattern == o.zeroCount.bitPattern
            && count.bitPattern == o.count.bitPattern && sum.bitPattern == o.sum.bitPattern
            && positiveSpans == o.positiveSpans && negativeSpans == o.negativeSpans
            && Self.bitsEqual(positiveBuckets, o.positiveBuckets) && Self.bitsEqual(negativeBuckets, o.negativeBuckets)
            && Self.bitsEqual(customValues, o.customValues)
    }

    /// Why the histogram is structurally invalid (schema, spans not covering the buckets, custom bounds), or nil.
    public var validationError: String? {
        if usesCustomBuckets {
            if !negativeSpans.isEmpty || !negativeBuckets.isEmpty { return "custom buckets: must have zero negative buckets" }
            for (i, v) in customValues.enumerated() {
                if v.isNaN || v == .infinity { return "custom buckets: bound \(GoFloat.formatV(v)) is not a finite number" }
                if i > 0 && !(customValues[i - 1] < v) { return "custom buckets: bounds are not strictly increasing" }
            }
        } else if schema < -4 || schema > 8 {
            return "histogram has an invalid schema, which must be between -4 and 8 for exponential buckets, or -53 for custom buckets"
        }
        for (name, spans, buckets) in [("positive", positiveSpans, positiveBuckets), ("negative", negativeSpans, negativeBuckets)] {
            var total: UInt64 = 0
            for (i, s) in spans.enumerated() {
                if i > 0 && s.offset < 0 { return "\(name) side: span number \(i + 1) with offset \(s.offset)" }
                total &+= UInt64(s.length)
            }
            if total != UInt64(buckets.count) {
                return "\(name) side: spans need \(total) buckets, have \(buckets.count) buckets"
            }
        }
        return nil
    }
}
