/// A native histogram with float counts (Prometheus's `FloatHistogram`).
public struct FloatHistogram: Sendable {
    /// Whether the histogram is known to follow a counter reset, or is a gauge.
    public enum CounterResetHint: UInt8, Sendable, Hashable {
        case unknown, counterReset, notCounterReset, gauge
    }

    /// A run of consecutive buckets: `offset` from the end of the previous span (or from index 0), `length` buckets.
    public struct Span: Sendable, Hashable {
        public var offset: Int32
        public var length: UInt32
        public init(offset: Int32, length: UInt32) {
            self.offset = offset
            self.length = length
        }
    }

    public var counterResetHint: CounterResetHint
    public var schema: Int32
    public var zeroThreshold: Double
    public var zeroCount: Double
    public var count: Double
    public var sum: Double
    public var positiveSpans: [Span]
    public var negativeSpans: [Span]
    /// Absolute bucket counts, one per bucket covered by `positiveSpans`.
    public var positiveBuckets: [Double]
    /// Absolute bucket counts, one per bucket covered by `negativeSpans`.
    public var negativeBuckets: [Double]

    public init(
        counterResetHint: CounterResetHint = .unknown, schema: Int32 = 0, zeroThreshold: Double = 0,
        zeroCount: Double = 0, count: Double = 0, sum: Double = 0,
        positiveSpans: [Span] = [], negativeSpans: [Span] = [],
        positiveBuckets: [Double] = [], negativeBuckets: [Double] = []
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
    }
}

extension FloatHistogram {
    /// Bitwise identity of every field (used for duplicate-sample detection).
    func isIdentical(to o: FloatHistogram) -> Bool {
        counterResetHint == o.counterResetHint && schema == o.schema
            && zeroThreshold.bitPattern == o.zeroThreshold.bitPattern && zeroCount.bitPattern == o.zeroCount.bitPattern
            && count.bitPattern == o.count.bitPattern && sum.bitPattern == o.sum.bitPattern
            && positiveSpans == o.positiveSpans && negativeSpans == o.negativeSpans
            && positiveBuckets.map(\.bitPattern) == o.positiveBuckets.map(\.bitPattern)
            && negativeBuckets.map(\.bitPattern) == o.negativeBuckets.map(\.bitPattern)
    }

    /// Why the histogram is structurally invalid (spans not covering the buckets, bad schema), or nil.
    public var validationError: String? {
        func spanTotal(_ spans: [Span]) -> Int {
            var n = 0
            for s in spans { n &+= Int(s.length) }
            return n
        }
        if spanTotal(positiveSpans) != positiveBuckets.count {
            return "positive side: spans need \(spanTotal(positiveSpans)) buckets, have \(positiveBuckets.count) buckets"
        }
        if spanTotal(negativeSpans) != negativeBuckets.count {
            return "negative side: spans need \(spanTotal(negativeSpans)) buckets, have \(negativeBuckets.count) buckets"
        }
        return nil
    }
}
