import GoCompat
import Testing
@testable import Engine

/// `rate`/`increase` must give Prometheus 3.14's bits, so the arithmetic follows promql/functions.go
/// extrapolatedRate at v3.14.0 step by step (unit tests compare floats exactly).
@Suite struct RateArithmeticTests {
    private func value(_ query: String, at t: Int64, _ source: some SeriesSource) throws -> Double {
        let r = try PromQLEngine().instantQuery(query, at: t, source: source)
        guard case .vector(let v) = r.value, v.count == 1 else {
            Issue.record("\(query): \(r.value)")
            return .nan
        }
        return v[0].f
    }

    /// The rate divides by Go's `Duration.Seconds()` (whole seconds + nanoseconds / 1e9), which for 1118 ms
    /// is 1.1179999999999999, not 1118 / 1000.
    @Test func rateDividesByGoSeconds() throws {
        #expect(GoTime.durationSeconds(millis: 1118) == 1.1179999999999999)
        #expect(GoTime.durationSeconds(millis: 300_000) == 300)
        let h = Head()
        let x = Labels([("__name__", "x")])
        for (t, v) in [(Int64(1_000), 1.0), (1_500, 2.0), (2_000, 3.0)] { _ = try h.append(x, t: t, v: v) }
        // Window (882 ms, 2000 ms]: all three samples; 2 in 1 s, extrapolated by 118 ms to the start.
        let sampled = 1.0, toStart = 0.118, toEnd = 0.0
        let factor = (sampled + toStart + toEnd) / sampled / GoTime.durationSeconds(millis: 1118)
        let naive = (sampled + toStart + toEnd) / sampled / 1.118
        let got = try value("rate(x[1118ms])", at: 2_000, h)
        #expect(got.bitPattern == (2 * factor).bitPattern)
        #expect(got.bitPattern != (2 * naive).bitPattern)
    }

    /// With a start timestamp inside the window (series known to start from zero there), 3.14 takes the
    /// increase from the first sample and adds the first sample's value after the resets: (3.6 - 0.8) + 0.8
    /// is 3.5999999999999996, not 3.6.
    @Test func zeroStartAddsTheFirstValueLast() throws {
        let h = Head()
        let x = Labels([("__name__", "x")])
        _ = try h.append(x, t: 60_000, v: 0.8)
        _ = try h.append(x, t: 120_000, v: 3.6)
        let source = StartTimestampedSource(base: h, table: [x: [60_000: 30_000]])
        let got = try value("increase(x[2m])", at: 120_000, source)
        let first = 0.8, last = 3.6
        #expect(got.bitPattern == ((last - first) + first).bitPattern)
        #expect(got != 3.6)
    }

    /// 3.x's left-open window and extrapolation (why o11y's caching test, written for 2.x, fails on 3.x): at
    /// 6m over `0+5x10` at 1m, (1m, 6m] holds 10..30, and 20 · ((240 + 60) / 240 / 300) is
    /// 0.08333333333333333; 2.x saw 5..30 in [1m, 6m] and computed 25 · (1 / 300) = 0.08333333333333334.
    @Test func leftOpenWindowExtrapolation() throws {
        let h = Head()
        let x = Labels([("__name__", "x")])
        for i in 0...10 { _ = try h.append(x, t: Int64(i) * 60_000, v: Double(5 * i)) }
        let got = try value("rate(x[5m])", at: 360_000, h)
        let sampled = 240.0, toStart = 60.0, toEnd = 0.0, range = 300.0
        let factor = (sampled + toStart + toEnd) / sampled / range
        #expect(got.bitPattern == (20 * factor).bitPattern)
        #expect(got == 0.08333333333333333)
    }
}
