import GoCompat

/// Number parsing with Go's `strconv` acceptance rules, as the Prometheus parsers use them.
public enum ExpositionNumber {
    /// Prometheus's `parseFloat` on a whole token: `nil` when Go would report an error.
    public static func parseFloat(_ bytes: [UInt8]) -> Double? {
        let r = bytes.withUnsafeBufferPointer { parseFloat($0, 0, $0.count) }
        if case .value(let d) = r { return d }
        return nil
    }

    /// Go's `strconv.ParseInt(s, 10, 64)` on a whole token: `nil` when Go would report an error.
    public static func parseInt(_ bytes: [UInt8]) -> Int64? {
        let r = bytes.withUnsafeBufferPointer { parseInt($0, 0, $0.count) }
        if case .value(let d) = r { return d }
        return nil
    }

    enum FloatResult {
        case value(Double)
        case invalidSyntax
        case outOfRange
        /// Prometheus rejects `p`, `P` and `_` before calling `strconv.ParseFloat`.
        case unsupportedCharacter
    }

    /// Parses `p[start..<end]` like Prometheus's `parseFloat`: it rejects `p`, `P` and `_` (so no hex floats
    /// and no underscores), then calls Go's `strconv.ParseFloat`.
    static func parseFloat(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> FloatResult {
        guard start >= 0, end <= p.count, start < end else { return .invalidSyntax }
        // Plain digits (most values and every whole-second timestamp): up to 15 of them are exact as a Double.
        if end - start <= 15 {
            var v = 0
            var j = start
            while j < end {
                let d = p[j] &- 0x30
                if d > 9 { break }
                v = v &* 10 &+ Int(d)
                j += 1
            }
            if j == end { return .value(Double(v)) }
        }
        for j in start..<end {
            let c = p[j]
            if c == UInt8(ascii: "p") || c == UInt8(ascii: "P") || c == UInt8(ascii: "_") { return .unsupportedCharacter }
        }
        switch GoStrconv.parseFloat(p, start, end) {
        case .value(let d): return .value(d)
        case .invalidSyntax: return .invalidSyntax
        case .outOfRange: return .outOfRange
        }
    }

    /// Go's `strconv.ParseFloat` error text for the given outcome.
    static func floatError(_ r: FloatResult, _ text: String) -> String {
        switch r {
        case .unsupportedCharacter: return "unsupported character in float"
        case .outOfRange: return "strconv.ParseFloat: parsing \(ExpositionQuote.string(text)): value out of range"
        default: return "strconv.ParseFloat: parsing \(ExpositionQuote.string(text)): invalid syntax"
        }
    }

    typealias IntResult = GoStrconv.IntResult

    /// Go's `strconv.ParseInt(s, 10, 64)` on `p[start..<end]`.
    static func parseInt(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> IntResult {
        GoStrconv.parseDecimalInt(p, start, end)
    }

    /// Go's `strconv.ParseInt` error text.
    static func intError(_ r: IntResult, _ text: String) -> String {
        switch r {
        case .outOfRange: return "strconv.ParseInt: parsing \(ExpositionQuote.string(text)): value out of range"
        default: return "strconv.ParseInt: parsing \(ExpositionQuote.string(text)): invalid syntax"
        }
    }

    /// Go's `%f` text for NaN and infinities (the only values it is used with).
    static func formatSpecial(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Inf" : "+Inf" }
        return String(d)
    }

    /// Converts float seconds to integer milliseconds like Go's `int64(ts * 1000)`, saturating instead of overflowing.
    static func secondsToMillis(_ s: Double) -> Int64 {
        let ms = s * 1000
        if ms.isNaN { return 0 }
        if ms >= 9.2233720368547758e18 { return Int64.max }
        if ms <= -9.2233720368547758e18 { return Int64.min }
        return Int64(ms.rounded(.towardZero))
    }
}
