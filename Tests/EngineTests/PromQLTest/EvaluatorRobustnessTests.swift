import Testing
@testable import Engine
import GoCompat

/// Queries that would exhaust memory or time must fail fast (sample limit) or stay linear (RE2 regexes).
@Suite struct EvaluatorRobustnessTests {
    private static let limitError = "query processing would load too many samples into memory in query execution"

    private func head() throws -> Head {
        let h = Head()
        for i in 0..<10 {
            _ = try h.append(Labels([("__name__", "m"), ("job", "a")]), t: Int64(i) * 60_000, v: Double(i))
        }
        return h
    }

    @Test(arguments: ["max_over_time(m[365d:1s])", "count_over_time(vector(1)[365d:1s])", "rate(m[1y:100ms])"])
    func hugeSubqueryFailsWithTheSampleLimit(query: String) throws {
        let engine = PromQLEngine()
        #expect {
            _ = try engine.instantQuery(query, at: 600_000, source: try head())
        } throws: { error in
            (error as? PromQLEvalError)?.message == Self.limitError
        }
    }

    /// Below the structural cap a subquery is still bounded by the configured sample limit.
    @Test func subqueryOverConfiguredLimitFails() throws {
        var options = EngineOptions()
        options.maxSamples = 1_000_000
        let engine = PromQLEngine(options: options)
        #expect {
            _ = try engine.instantQuery("sum_over_time(m[30d:1s])", at: 600_000, source: try head())
        } throws: { error in
            (error as? PromQLEvalError)?.message == Self.limitError
        }
    }

    @Test func rangeQueryOverTheLimitFails() throws {
        var options = EngineOptions()
        options.maxSamples = 100
        let engine = PromQLEngine(options: options)
        #expect {
            _ = try engine.rangeQuery("m", start: 0, end: 3_600_000, step: 1_000, source: try head())
        } throws: { error in
            (error as? PromQLEvalError)?.message == Self.limitError
        }
    }

    @Test func smallSubqueryStillEvaluates() throws {
        let r = try PromQLEngine().instantQuery("max_over_time(m[5m:1m])", at: 540_000, source: try head())
        guard case .vector(let v) = r.value else {
            Issue.record("expected a vector, got \(r.value)")
            return
        }
        #expect(v.count == 1)
        #expect(v.first?.f == 9)
    }

    /// Catastrophic-backtracking patterns for backtracking engines; RE2 matches them in linear time.
    @Test(arguments: ["(a+)+$", "(a|a)*b", "(a*)*b", "(.*a){20}"])
    func hostileRegexMatchersStayLinear(pattern: String) throws {
        let h = Head()
        let value = String(repeating: "a", count: 5_000) + "!"
        _ = try h.append(Labels([("__name__", "m"), ("v", value)]), t: 0, v: 1)
        let r = try PromQLEngine().instantQuery("m{v=~\"\(pattern)\"}", at: 0, source: h)
        guard case .vector(let v) = r.value else {
            Issue.record("expected a vector, got \(r.value)")
            return
        }
        // Every pattern needs a match of the whole value, which ends in "!": none matches.
        #expect(v.isEmpty)
        let label = try PromQLEngine().instantQuery("label_replace(m, \"x\", \"$1\", \"v\", \"\(pattern)\")", at: 0, source: h)
        guard case .vector(let lv) = label.value else {
            Issue.record("expected a vector, got \(label.value)")
            return
        }
        #expect(lv.count == 1)
        #expect(lv.first?.labels["x"] == nil)
    }

    /// Extreme `@` times, offsets and query bounds are clamped, never trapping on overflow.
    @Test(arguments: [
        "rate(m[1m] anchored @ 9223372036854775)", "rate(m[1m] smoothed @ -9223372036854775)", "m smoothed offset -292y",
        "m @ 9223372036854775", "max_over_time(m[5m:1m] @ 9223372036854775 offset -292y)", "start_timestamp(m @ -9223372036854775)",
        "timestamp(m offset 292y)", "info(m @ 9223372036854775)", "changes(m[292y] anchored)",
    ])
    func extremeTimesEvaluate(query: String) throws {
        let r = try PromQLEngine(options: .promqlTest).instantQuery(query, at: 600_000, source: try head())
        guard case .vector(let v) = r.value else {
            Issue.record("expected a vector, got \(r.value)")
            return
        }
        #expect(v.count <= 1)
    }

    @Test func extremeRangeQueryBoundsAreClamped() throws {
        let r = try PromQLEngine().rangeQuery("m", start: Int64.max - 10, end: Int64.max, step: Int64.max, source: try head())
        guard case .matrix(let m) = r.value else {
            Issue.record("expected a matrix, got \(r.value)")
            return
        }
        #expect(m.isEmpty)
    }

    /// Found by FuzzPromQLEval: a huge quantile parameter trapped converting to Int64 while formatting the warning.
    @Test func hugeQuantileParameterOnlyWarns() throws {
        let r = try PromQLEngine().instantQuery("quantile(066666666666666666632.5, m)", at: 540_000, source: try head())
        #expect(r.warnings == ["PromQL warning: quantile value should be between 0 and 1, got 6.666666666666666e+19"])
    }

    /// Go's `%g` (strconv 'g', shortest): exponent form below 1e-4 and from 1e6 on.
    @Test(arguments: [
        (0.5, "0.5"), (100_000, "100000"), (1e6, "1e+06"), (1_234_567, "1.234567e+06"), (0.0001, "0.0001"),
        (0.00001, "1e-05"), (6.666666666666667e19, "6.666666666666667e+19"), (-2, "-2"), (1e21, "1e+21"),
        (-0.0, "-0"), (Double.nan, "NaN"), (-Double.infinity, "-Inf"), (123.456, "123.456"),
    ])
    func goPercentG(value: Double, text: String) {
        #expect(GoFloat.formatV(value) == text)
    }
}
