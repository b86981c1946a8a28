import Locking
import Testing
@testable import Engine

/// `Expr.selectorTimeRanges`: the window Prometheus's `getTimeRangesForSelector` gives each selector, and
/// (the property that matters to `query backtest SERVER`) every read the evaluator makes lies inside it.
@Suite struct SelectorTimeRangeTests {
    static let lookback: Int64 = 300_000
    static let t: Int64 = 1_700_000_000_000

    static func ranges(_ q: String, start: Int64 = t, end: Int64 = t, step: Int64 = 0) throws -> [SelectorTimeRange] {
        try PromQLParser.parse(q, options: .allEnabled).selectorTimeRanges(start: start, end: end, stepMillis: step, lookbackMillis: lookback)
    }

    /// Expected windows, relative to `t` in seconds (inclusive).
    @Test(arguments: [
        ("x", -299.999, 0),
        ("x[5m]", -299.999, 0),
        ("x offset 1h", -3899.999, -3600),
        ("x offset -10m", 300.001, 600),
        ("x @ 1700000900", 600.001, 900),
        ("x @ 1700000900 offset 1m", 540.001, 840),
        ("x @ start()", -299.999, 0),
        ("rate(x[10m] @ 1700000100)", -499.999, 100),
        ("x[5m+1m]", -359.999, 0),
        ("x offset (1h*2)", -7499.999, -7200),
        ("max_over_time(x[10m:1m])", -899.999, 0),
        ("max_over_time(x[10m:1m] offset 5m)", -1199.999, -300),
        ("max_over_time(rate(x[2m])[10m:1m] offset 5m)", -1019.999, -300),
        ("max_over_time(max_over_time(x[5m:1m])[10m:1m])", -1199.999, 0),
        // An @ on the inner subquery resets what the outer one added.
        ("max_over_time(max_over_time(x[5m:1m] @ 1700000600)[10m:1m])", 0.001, 600),
        ("max_over_time(max_over_time(x[5m:1m])[10m:1m] @ 1700000600)", -599.999, 600),
        ("x smoothed", -299.999, 300),
        ("rate(x[1m] anchored)", -359.999, 0),
        ("rate(x[1m] smoothed)", -359.999, 300),
    ] as [(String, Double, Double)])
    func window(_ q: String, _ lo: Double, _ hi: Double) throws {
        let r = try #require(try Self.ranges(q).first)
        #expect(r.mint == Self.t + Int64((lo * 1000).rounded()), "\(q)")
        #expect(r.maxt == Self.t + Int64((hi * 1000).rounded()), "\(q)")
    }

    @Test func rangeQueryWidensByItsSpanAndStepIsEvaluated() throws {
        let r = try Self.ranges("x[step()]", start: Self.t, end: Self.t + 3_600_000, step: 60_000)
        #expect(r.map(\.mint) == [Self.t - 59_999])
        #expect(r.map(\.maxt) == [Self.t + 3_600_000])
        let both = try Self.ranges("a offset 5m + b @ end()", start: Self.t, end: Self.t + 60_000, step: 15_000)
        #expect(both.map(\.selector.name) == ["a", "b"])
        #expect(both.map(\.mint) == [Self.t - 599_999, Self.t + 60_000 - 299_999])
        #expect(both.map(\.maxt) == [Self.t + 60_000 - 300_000, Self.t + 60_000])
    }

    /// A source that records every window the evaluator asks for.
    final class Recorder: SeriesSource {
        let head: Head
        let reads = SanitizedMutex<[(String, Int64, Int64)]>([])
        init(head: Head) { self.head = head }
        func select(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [Series] {
            let name = matchers.first { $0.name == "__name__" }?.value ?? ""
            reads.withLock { $0.append((name, mint, maxt)) }
            return head.select(matchers, mint: mint, maxt: maxt)
        }
    }

    /// Evaluating these (instant and range queries) never reads outside the computed windows.
    @Test(arguments: [
        "a", "rate(a[5m])", "a offset 1h", "a offset -5m", "a @ 1700000900", "b @ start() + a @ end()",
        "max_over_time(a[10m:1m] offset 5m)", "max_over_time(rate(a[2m])[10m:30s] @ 1700000600)",
        "max_over_time(max_over_time(a[5m:1m] @ 1700000600)[10m:1m] offset 1m)", "max_over_time(a[5m+1m])", "a offset (1h*2) or b",
        "sum_over_time(b[1m+step()])", "a smoothed", "rate(a[1m] anchored)", "increase(b[2m] smoothed)",
        "a and on() b offset 10m", "timestamp(b @ 1700000300)",
    ])
    func evaluatorReadsInsideTheWindows(_ q: String) throws {
        let head = Head()
        var app = head.appender()
        for i in Int64(0)..<1_000 {
            try app.append(Labels([("__name__", "a")]), t: Self.t - 7_500_000 + i * 15_000, v: Double(i))
            try app.append(Labels([("__name__", "b")]), t: Self.t - 7_500_000 + i * 15_000, v: Double(i % 10))
        }
        app.commit()
        var options = EngineOptions()
        options.parserOptions = .allEnabled
        let engine = PromQLEngine(options: options)
        let expr = try PromQLParser.parse(q, options: .allEnabled)
        for (start, end, step) in [(Self.t, Self.t, Int64(0)), (Self.t - 600_000, Self.t + 600_000, Int64(60_000))] {
            let recorder = Recorder(head: head)
            if step == 0 {
                _ = try engine.instantQuery(expr, at: start, source: recorder)
            } else {
                _ = try engine.rangeQuery(expr, start: start, end: end, step: step, source: recorder)
            }
            let windows = expr.selectorTimeRanges(start: start, end: end, stepMillis: step, lookbackMillis: options.lookbackDeltaMillis)
            let reads = recorder.reads.withLock { $0 }
            #expect(!reads.isEmpty, "\(q)")
            for (name, mint, maxt) in reads where mint <= maxt {
                let covered = windows.contains { $0.selector.name == name && $0.mint <= mint && maxt <= $0.maxt }
                #expect(covered, "\(q) [\(start), \(end)] read \(name) in [\(mint), \(maxt)], windows \(windows.map { ($0.selector.name, $0.mint, $0.maxt) })")
            }
        }
    }
}
