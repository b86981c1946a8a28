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
            return "duplicate sample for timestamp \(t); overrides not allowed: existing \(tsdbFormatFloat(existing)), new value \(tsdbFormatFloat(new))"
        case let .duplicateSampleExistingHistogram(t, new):
            if t == 0 { return "duplicate sample for timestamp" }
            return "duplicate sample for timestamp \(t); overrides not allowed: existing is a histogram, new value \(tsdbFormatFloat(new))"
        case .duplicateHistogramSample:
            // Prometheus returns the bare sentinel error for histograms.
            return "duplicate sample for timestamp"
        case .emptyLabelSet: return "invalid sample: empty labelset"
        case let .unknownSeriesRef(r): return "unknown series ref \(r)"
        case let .invalidHistogram(m): return "invalid histogram: \(m)"
        }
    }
}

/// Formats a float as Go's `%g` does (shortest digits; exponent form below 1e-4 or from 1e6 on).
func tsdbFormatFloat(_ v: Double) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v < 0 ? "-Inf" : "+Inf" }
    if v == 0 { return v.sign == .minus ? "-0" : "0" }
    // Extract shortest round-trip digits and decimal exponent from Swift's description.
    let desc = "\(v.magnitude)"
    var mantissa = desc
    var exp10 = 0
    if let e = desc.firstIndex(where: { $0 == "e" || $0 == "E" }) {
        mantissa = String(desc[..<e])
        exp10 = Int(desc[desc.index(after: e)...]) ?? 0
    }
    var intPart = mantissa
    var fracPart = ""
    if let dot = mantissa.firstIndex(of: ".") {
        intPart = String(mantissa[..<dot])
        fracPart = String(mantissa[mantissa.index(after: dot)...])
    }
    var digits = Array(intPart + fracPart)
    var pointPos = intPart.count + exp10  // decimal point after this many digits
    while let f = digits.first, f == "0", digits.count > 1 {
        digits.removeFirst()
        pointPos -= 1
    }
    while let l = digits.last, l == "0", digits.count > 1 { digits.removeLast() }
    let exp = pointPos - 1
    let sign = v < 0 ? "-" : ""
    if exp < -4 || exp >= 6 {
        var s = String(digits[0])
        if digits.count > 1 { s += "." + String(digits[1...]) }
        let ae = abs(exp)
        return sign + s + "e" + (exp < 0 ? "-" : "+") + (ae < 10 ? "0" : "") + String(ae)
    }
    if pointPos <= 0 {
        return sign + "0." + String(repeating: "0", count: -pointPos) + String(digits)
    }
    if pointPos >= digits.count {
        return sign + String(digits) + String(repeating: "0", count: pointPos - digits.count)
    }
    return sign + String(digits[..<pointPos]) + "." + String(digits[pointPos...])
}
