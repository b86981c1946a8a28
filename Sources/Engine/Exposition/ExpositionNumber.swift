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

    /// Parses `p[start..<end]` like Prometheus's `parseFloat`: decimal floats and `Inf`/`Infinity`/`NaN`
    /// (any case, `NaN` without sign); no hex, no underscores.
    static func parseFloat(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> FloatResult {
        guard start >= 0, end <= p.count, start < end else { return .invalidSyntax }
        var i = start
        for j in start..<end {
            let c = p[j]
            if c == UInt8(ascii: "p") || c == UInt8(ascii: "P") || c == UInt8(ascii: "_") { return .unsupportedCharacter }
        }
        var negative = false
        if p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") {
            negative = p[i] == UInt8(ascii: "-")
            i += 1
        }
        guard i < end else { return .invalidSyntax }
        let c0 = p[i] | 0x20
        if c0 == UInt8(ascii: "i") || c0 == UInt8(ascii: "n") {
            let len = end - i
            if c0 == UInt8(ascii: "n") {
                if len == 3, i == start, lower(p, i, "nan") { return .value(Double.nan) }
                return .invalidSyntax
            }
            if (len == 3 && lower(p, i, "inf")) || (len == 8 && lower(p, i, "infinity")) {
                return .value(negative ? -Double.infinity : Double.infinity)
            }
            return .invalidSyntax
        }
        // Decimal: digits [. digits] [e [sign] digits], at least one mantissa digit.
        var mantDigits = 0
        var intValue: Int64 = 0
        var simple = true
        while i < end, p[i] >= 48, p[i] <= 57 {
            if mantDigits < 15 { intValue = intValue &* 10 &+ Int64(p[i] - 48) } else { simple = false }
            mantDigits += 1
            i += 1
        }
        if i < end, p[i] == UInt8(ascii: ".") {
            simple = false
            i += 1
            while i < end, p[i] >= 48, p[i] <= 57 { mantDigits += 1; i += 1 }
        }
        guard mantDigits > 0 else { return .invalidSyntax }
        if i < end, p[i] | 0x20 == UInt8(ascii: "e") {
            simple = false
            i += 1
            if i < end, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") { i += 1 }
            var expDigits = 0
            while i < end, p[i] >= 48, p[i] <= 57 { expDigits += 1; i += 1 }
            guard expDigits > 0 else { return .invalidSyntax }
        }
        guard i == end else { return .invalidSyntax }
        if simple {
            let d = Double(intValue)
            return .value(negative ? -d : d)
        }
        let s = String(decoding: UnsafeBufferPointer(rebasing: p[start..<end]), as: UTF8.self)
        guard let d = Double(s) else { return .invalidSyntax }
        if d.isInfinite { return .outOfRange }
        return .value(d)
    }

    private static func lower(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard i + n <= p.count else { return false }
        let w = word.utf8Start
        for k in 0..<n where p[i + k] | 0x20 != w[k] { return false }
        return true
    }

    /// Go's `strconv.ParseFloat` error text for the given outcome.
    static func floatError(_ r: FloatResult, _ text: String) -> String {
        switch r {
        case .unsupportedCharacter: return "unsupported character in float"
        case .outOfRange: return "strconv.ParseFloat: parsing \(ExpositionQuote.string(text)): value out of range"
        default: return "strconv.ParseFloat: parsing \(ExpositionQuote.string(text)): invalid syntax"
        }
    }

    enum IntResult {
        case value(Int64)
        case invalidSyntax
        case outOfRange
    }

    /// Go's `strconv.ParseInt(s, 10, 64)`: optional sign, decimal digits.
    static func parseInt(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> IntResult {
        guard start >= 0, end <= p.count, start < end else { return .invalidSyntax }
        var i = start
        var negative = false
        if p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") {
            negative = p[i] == UInt8(ascii: "-")
            i += 1
        }
        guard i < end else { return .invalidSyntax }
        var v: Int64 = 0
        var overflow = false
        while i < end {
            let c = p[i]
            guard c >= 48, c <= 57 else { return .invalidSyntax }
            let d = Int64(c - 48)
            if !overflow {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (s, o2) = negative ? m.subtractingReportingOverflow(d) : m.addingReportingOverflow(d)
                if o1 || o2 { overflow = true } else { v = s }
            }
            i += 1
        }
        return overflow ? .outOfRange : .value(v)
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
