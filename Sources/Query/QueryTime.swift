#if canImport(Glibc)
import GoCompat
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Engine

/// An instant with nanosecond precision (Go's `time.Time` as promtool's query commands use it), parsed
/// and printed with promtool's rules.
public struct QueryTime: Sendable, Comparable, Hashable {
    /// Nanoseconds since the Unix epoch.
    public var nanos: Int64

    public init(nanos: Int64) { self.nanos = nanos }
    public init(millis: Int64) { nanos = millis.multipliedReportingOverflow(by: 1_000_000).partialValue }

    public static func < (a: QueryTime, b: QueryTime) -> Bool { a.nanos < b.nanos }

    /// The wall clock.
    public static func now() -> QueryTime {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return QueryTime(nanos: Int64(ts.tv_sec) &* 1_000_000_000 &+ Int64(ts.tv_nsec))
    }

    /// Milliseconds, rounded down (Prometheus's `timestamp.FromTime`).
    public var millis: Int64 { nanos >= 0 ? nanos / 1_000_000 : -((-nanos + 999_999) / 1_000_000) }

    public func adding(nanos d: Int64) -> QueryTime { QueryTime(nanos: nanos.addingReportingOverflow(d).partialValue) }

    /// client_golang's `formatTime`: seconds as the shortest decimal (`1700000000.5`).
    public var apiParameter: String {
        let seconds = Double(nanos / 1_000_000_000) + Double(nanos % 1_000_000_000) / 1e9
        return GoFloat.formatF(seconds)
    }

    /// The millisecond a Prometheus server evaluates at when sent `apiParameter` (its `parseTime` rounds
    /// the fraction to milliseconds), so the embedded engine answers at the same instant.
    public var serverMillis: Int64 {
        let whole = nanos / 1_000_000_000, fraction = Double(nanos % 1_000_000_000) / 1e9
        let seconds = Double(whole) + fraction
        let intPart = seconds.rounded(.towardZero)
        guard intPart.magnitude < 9.2e15 else { return millis }
        return Int64(intPart) * 1000 + Int64(((seconds - intPart) * 1000).rounded())
    }

    /// promtool's `parseTime`: a Unix timestamp in seconds (fractions allowed) or RFC 3339 with nanoseconds.
    public static func parse(_ s: String) -> QueryTime? {
        if let f = APIResponseDecoder.parseFloat(s), !f.isNaN {
            // Go: math.Modf, then time.Unix(int, frac*1e9).
            let whole = f.rounded(.towardZero)
            guard whole.magnitude < 9.2e9 else { return nil }
            let frac = f - whole
            return QueryTime(nanos: Int64(whole) * 1_000_000_000 + Int64(frac * 1e9))
        }
        return parseRFC3339(s)
    }

    /// `2006-01-02T15:04:05.999999999Z07:00` (GoCompat's one RFC 3339 parser).
    static func parseRFC3339(_ s: String) -> QueryTime? {
        guard let t = GoTime.parseRFC3339(s) else { return nil }
        // Years far from now overflow Int64 nanoseconds: not a time promtool can send either.
        let (n, overflow) = t.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow, n <= Int64.max - t.nanos else { return nil }
        return QueryTime(nanos: n + t.nanos)
    }
}

