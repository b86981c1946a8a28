import GoCompat

/// Go `strconv`/`fmt` formatting and parsing rules that PromQL's texts depend on.
enum GoQuote {
    /// Lower-case hex of `v`, zero-padded to `width`.
    static func hex(_ v: UInt32, _ width: Int) -> String { goHex(v, width: width) }

    /// Go's `strconv.IsPrint`.
    static func isPrint(_ s: Unicode.Scalar) -> Bool { goIsPrint(s) }

    /// Go's `strconv.Quote` of the string's UTF-8 (every scalar a rune; no `GoString` byte escapes).
    static func quote(_ str: String) -> String { goQuote(bytes: Array(str.utf8)) }

    /// Go's `%.10q` shortening used for long token values in error messages.
    static func quoteTruncated(_ str: String) -> String { goQuote(bytes: Array(str.utf8), maxRunes: 10) }

    /// Go's `strconv.Quote` of raw bytes (invalid UTF-8 bytes become `\xNN`).
    static func quote(bytes: [UInt8]) -> String { goQuote(bytes: bytes) }

    /// Prometheus's `strutil.Unquote` for a lexed string token (quotes included); nil on bad syntax.
    static func unquote(_ b: ArraySlice<UInt8>) -> String? {
        guard let bytes = unquoteBytes(b) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Like `unquote` but returns the exact bytes (escapes may produce invalid UTF-8).
    static func unquoteBytes(_ b: ArraySlice<UInt8>) -> [UInt8]? {
        guard b.count >= 2, let q = b.first, b.last == q else { return nil }
        let inner = b.dropFirst().dropLast()
        if q == 0x60 {
            if inner.contains(0x60) { return nil }
            return Array(inner)
        }
        guard q == 0x22 || q == 0x27 else { return nil }
        if !inner.contains(0x5C) {
            if inner.contains(q) || inner.contains(0x0A) { return nil }
            return Array(inner)
        }
        if inner.contains(0x0A) { return nil }
        let body = Array(inner)
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var i = 0
        while i < body.count {
            guard let (v, multibyte, next) = GoStrconv.unquoteChar(body, i, quote: q) else { return nil }
            if v < 0x80 || !multibyte {
                out.append(UInt8(truncatingIfNeeded: v))
            } else if let scalar = Unicode.Scalar(v) {
                out.append(contentsOf: Array(String(scalar).utf8))
            } else {
                return nil
            }
            i = next
        }
        return out
    }
}

/// Prometheus `model.Duration` parsing and printing.
enum GoDuration {
    /// `model.ParseDuration`: nanoseconds or the error text.
    static func parse(_ s: [UInt8]) -> Result<Int64, PromQLTextError> {
        parse(s[...])
    }

    /// Unit position (order) and nanoseconds of a duration unit, or nil.
    @inline(__always)
    private static func unit(_ s: ArraySlice<UInt8>, _ from: Int, _ to: Int) -> (Int, UInt64)? {
        let n = to - from
        if n == 1 {
            switch s[from] {
            case 0x79: return (1, 31_536_000_000_000_000)
            case 0x77: return (2, 604_800_000_000_000)
            case 0x64: return (3, 86_400_000_000_000)
            case 0x68: return (4, 3_600_000_000_000)
            case 0x6D: return (5, 60_000_000_000)
            case 0x73: return (6, 1_000_000_000)
            default: return nil
            }
        }
        if n == 2 && s[from] == 0x6D && s[from + 1] == 0x73 { return (7, 1_000_000) }
        return nil
    }

    static func parse(_ s: ArraySlice<UInt8>) -> Result<Int64, PromQLTextError> {
        if s.count == 1 && s.first == 0x30 { return .success(0) }
        if s.isEmpty { return .failure(PromQLTextError("empty duration string")) }
        func invalid() -> PromQLTextError {
            PromQLTextError("not a valid duration string: " + GoQuote.quote(String(decoding: s, as: UTF8.self)))
        }
        var i = s.startIndex
        let end = s.endIndex
        var dur: UInt64 = 0
        var lastUnitPos = 0
        while i < end {
            guard PromQLLexer.isDigit(s[i]) else { return .failure(invalid()) }
            var v: UInt64 = 0
            var overflow = false
            while i < end, PromQLLexer.isDigit(s[i]) {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(UInt64(s[i] - 0x30))
                if o1 || o2 { overflow = true }
                v = a
                i += 1
            }
            if overflow { return .failure(invalid()) }
            let us = i
            while i < end, !PromQLLexer.isDigit(s[i]) { i += 1 }
            if i == us { return .failure(invalid()) }
            guard let (upos, mult) = unit(s, us, i) else {
                let u = String(decoding: s[us..<i], as: UTF8.self)
                return .failure(PromQLTextError("unknown unit " + GoQuote.quote(u) + " in duration "
                    + GoQuote.quote(String(decoding: s, as: UTF8.self))))
            }
            if upos <= lastUnitPos { return .failure(invalid()) }
            lastUnitPos = upos
            if v > (UInt64(1) << 63) / mult { return .failure(PromQLTextError("duration out of range")) }
            dur = dur &+ v &* mult
            if dur > UInt64(Int64.max) { return .failure(PromQLTextError("duration out of range")) }
        }
        return .success(Int64(dur))
    }

    /// `model.Duration(d).String()` for a duration in milliseconds (non-negative).
    static func format(millis: Int64) -> String {
        var ms = millis
        if ms == 0 { return "0s" }
        var r = ""
        func f(_ unit: String, _ mult: Int64, _ exact: Bool) {
            if exact && ms % mult != 0 { return }
            let v = ms / mult
            if v > 0 {
                r += String(v) + unit
                ms -= v * mult
            }
        }
        f("y", 1000 * 60 * 60 * 24 * 365, true)
        f("w", 1000 * 60 * 60 * 24 * 7, true)
        f("d", 1000 * 60 * 60 * 24, false)
        f("h", 1000 * 60 * 60, false)
        f("m", 1000 * 60, false)
        f("s", 1000, false)
        f("ms", 1, false)
        return r
    }

    /// Seconds (float) to whole nanoseconds as `time.Duration(math.Round(v*1e9))`, clamped.
    static func nanos(fromSeconds v: Double) -> Int64 {
        let x = (v * 1e9).rounded(.toNearestOrAwayFromZero)
        if x.isNaN { return Int64.min }
        if x >= 9.223372036854775807e18 { return Int64.max }
        if x <= -9.223372036854775808e18 { return Int64.min }
        return Int64(x)
    }

    /// Seconds to milliseconds via nanoseconds (Prometheus's truncating conversion).
    static func millis(fromSeconds v: Double) -> Int64 { nanos(fromSeconds: v) / 1_000_000 }

    /// `model.Duration(int64(v*1e9)).String()` as used for duration literals (truncating).
    static func formatSeconds(_ v: Double) -> String {
        let x = v * 1e9
        let ns: Int64
        if x.isNaN || x >= 9.223372036854775807e18 || x <= -9.223372036854775808e18 {
            ns = Int64.min
        } else {
            ns = Int64(x)
        }
        return format(millis: ns / 1_000_000)
    }
}

/// A plain error text (Go `error.Error()`).
struct PromQLTextError: Error, Sendable {
    let text: String
    init(_ text: String) { self.text = text }
}
