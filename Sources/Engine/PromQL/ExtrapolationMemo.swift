import GoCompat

/// The part of `extrapolatedRate`'s extrapolation that depends only on where the window's first and last samples
/// sit (gaps to the window's ends, the span between them, how many samples): a chain of floating-point divisions.
/// Successive steps of a regularly scraped series see the same gaps again and again, so the last result is kept
/// and reused when the inputs repeat; it is the same arithmetic in the same order, so results are bit-identical.
struct ExtrapolationMemo {
    struct Key: Equatable {
        /// First sample − window start, window end − last sample, last − first sample (ms).
        var gapStart: Int64
        var gapEnd: Int64
        var sampled: Int64
        var count: Int
        /// The window length when the result is per second (rate), nil for increase/delta.
        var perSecondOf: Int64?
    }

    /// The durations (s) after Prometheus's limits on extrapolation (at most half an average interval beyond a sample
    /// when the gap is over 1.1 intervals), and the factor they give.
    struct Value {
        var durationToStart: Double
        var durationToEnd: Double
        var sampledInterval: Double
        var factor: Double
    }

    private var key: Key?
    private var value = Value(durationToStart: 0, durationToEnd: 0, sampledInterval: 0, factor: 0)

    /// The extrapolation for `key` (count ≥ 2), computed when it differs from the last one asked.
    @inline(__always)
    mutating func value(for key: Key) -> Value {
        if self.key == key { return value }
        return computed(for: key)
    }

    private mutating func computed(for key: Key) -> Value {
        var durationToStart = Double(key.gapStart) / 1000
        var durationToEnd = Double(key.gapEnd) / 1000
        let sampledInterval = Double(key.sampled) / 1000
        let averageBetween = sampledInterval / Double(key.count - 1)
        let threshold = averageBetween * 1.1
        if durationToStart >= threshold { durationToStart = averageBetween / 2 }
        if durationToEnd >= threshold { durationToEnd = averageBetween / 2 }
        var factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval
        if let range = key.perSecondOf { factor /= GoTime.durationSeconds(millis: range) }
        self.key = key
        value = Value(durationToStart: durationToStart, durationToEnd: durationToEnd, sampledInterval: sampledInterval, factor: factor)
        return value
    }
}
