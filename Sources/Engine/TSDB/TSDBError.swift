import GoCompat

/// Identifies a series inside a `Head` (stable until `Head.clear()`).
public typealias SeriesRef = UInt64

/// Errors raised when appending to the head; descriptions are Prometheus's texts.
public enum TSDBError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A sample older than the series' newest sample.
    case outOfOrderSample(timestamp: Int64)
    /// A float sample at the newest timestamp with a different value (bitwise).
    case duplicateSample(timestamp: Int64, existing: Double, new: Double)
    /// A float sample at the newest timestamp whose existing sample is a histogram.
    case duplicateSampleExistingHistogram(timestamp: Int64, new: Double)
    /// A histogram sample at the newest timestamp that differs (`Equals`) from the existing sample.
    case duplicateHistogramSample(timestamp: Int64)
    /// A series without labels.
    case emptyLabelSet
    /// `append(ref:…)` with a reference the head does not know.
    case unknownSeriesRef(SeriesRef)
    /// A histogram that fails validation (message says why).
    case invalidHistogram(String)

    /// Prometheus's error text.
    public var description: String {
        switch self {
        case .outOfOrderSample: return "out of order sample"
        case let .duplicateSample(t, existing, new):
            if t == 0 { return "duplicate sample for timestamp" }
            return "duplicate sample for timestamp \(t); overrides not allowed: existing \(GoFloat.formatV(existing)), new value \(GoFloat.formatV(new))"
        case let .duplicateSampleExistingHistogram(t, new):
            if t == 0 { return "duplicate sample for timestamp" }
            return "duplicate sample for timestamp \(t); overrides not allowed: existing is a histogram, new value \(GoFloat.formatV(new))"
        case .duplicateHistogramSample:
            // Prometheus returns the bare sentinel error for histograms.
            return "duplicate sample for timestamp"
        case .emptyLabelSet: return "invalid sample: empty labelset"
        case let .unknownSeriesRef(r): return "unknown series ref \(r)"
        case let .invalidHistogram(m): return "invalid histogram: \(m)"
        }
    }
}
