import Testing
import TestSupport
@testable import Engine

/// Float aggregations are evaluated series by series (every (group, step) cell kept at once) when that takes less
/// memory than the input, else step by step. Both walks must give the same series in the same order with
/// bit-identical values: random inputs with points off the step grid, repeated timestamps, NaN and infinities,
/// series with the metric name marked for removal, and every grouped operation.
@Suite struct AggregationPathTests {
    static let operations = ["sum", "avg", "count", "group", "min", "max", "stddev", "stdvar", "quantile"]

    /// An evaluator over 0…20 min at a 1 min step, reading nothing (the input is given).
    static func evaluator() -> Evaluator {
        let ctx = EvalContext(options: EngineOptions(), queryStart: 0, queryEnd: 1_200_000, source: Head())
        return Evaluator(ctx: ctx, start: 0, end: 1_200_000, interval: 60_000)
    }

    static func aggregate(_ text: String) throws -> AggregateExpr {
        guard case .aggregate(let a) = try PromQLParser.parse(text) else {
            Issue.record("not an aggregation: \(text)")
            throw PromQLEvalError("not an aggregation")
        }
        return a
    }

    /// Random series: some on every step, some sparse or off the grid, a few repeating a timestamp.
    static func input(_ rng: inout TestRNG, steps: [Int64]) -> [EvalSeries] {
        var out: [EvalSeries] = []
        let specials: [Double] = [.nan, .infinity, -.infinity, 0, -0.0, 1e308, -1e308]
        for i in 0..<Int.random(in: 1...40, using: &rng) {
            let labels = Labels([("__name__", i % 3 == 0 ? "m" : "n"), ("job", "j\(Int.random(in: 0..<4, using: &rng))"),
                                 ("instance", "i\(i)")])
            var s = EvalSeries(labels: labels, dropName: Int.random(in: 0..<5, using: &rng) == 0)
            var t = Int64.random(in: -90_000...60_000, using: &rng)
            while t <= steps[steps.count - 1] + 60_000 {
                let v = Int.random(in: 0..<12, using: &rng) == 0 ? specials.randomElement(using: &rng) ?? 0 : Double.random(in: -1e3...1e3, using: &rng)
                s.floats.append(FPoint(t: t, f: v))
                switch Int.random(in: 0..<10, using: &rng) {
                case 0: t += 0  // the same timestamp again
                case 1: t += Int64.random(in: 1...59_999, using: &rng)  // off the grid
                case 2: t += 180_000  // a gap
                default: t = (t / 60_000 + 1) * 60_000  // the next step
                }
            }
            out.append(s)
        }
        return out
    }

    static func same(_ a: [EvalSeries], _ b: [EvalSeries]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { x, y in
            x.labels == y.labels && x.dropName == y.dropName && x.floats.count == y.floats.count
                && zip(x.floats, y.floats).allSatisfy { $0.t == $1.t && $0.f.bitPattern == $1.f.bitPattern }
        }
    }

    @Test(arguments: operations)
    func seriesBySeriesEqualsStepByStep(_ op: String) throws {
        let ev = Self.evaluator()
        var rng = TestRNG(seed: 0x5eed_0000 &+ UInt64(op.utf8.count))
        let grouping = ["by (job)", "without (instance)", "", "by (__name__)", "without (job)"]
        for round in 0..<60 {
            let g = grouping[round % grouping.count]
            let a = try Self.aggregate(op == "quantile" ? "quantile \(g) (0.3, x)" : "\(op) \(g) (x)")
            let input = Self.input(&rng, steps: ev.steps)
            let params = op == "quantile" ? ev.steps.map { _ in Double.random(in: -0.2...1.2, using: &rng) } : []
            let (groupOf, keys) = ev.aggregationGroups(a, input)
            let bySeries = try #require(ev.aggregateFloatsBySeries(a, input, groupOf: groupOf, groupKeys: keys, params: params))
            let byStep = ev.aggregateStepByStep(a, input, groupOf: groupOf, groupKeys: keys, params: params)
            #expect(Self.same(bySeries, byStep), "\(op) \(g), round \(round)")
        }
    }

    /// More cells than the input has points: left to the step-by-step walk.
    @Test func sparseManyGroupsGoStepByStep() throws {
        let ev = Evaluator(ctx: EvalContext(options: EngineOptions(), queryStart: 0, queryEnd: 86_400_000, source: Head()),
                           start: 0, end: 86_400_000, interval: 1_000)
        let input = (0..<200).map { i in
            EvalSeries(labels: Labels([("__name__", "m"), ("instance", "i\(i)")]), floats: [FPoint(t: Int64(i) * 1_000, f: 1)])
        }
        let a = try Self.aggregate("sum without () (x)")
        let (groupOf, keys) = ev.aggregationGroups(a, input)
        #expect(ev.aggregateFloatsBySeries(a, input, groupOf: groupOf, groupKeys: keys, params: []) == nil)
        #expect(ev.aggregateGrouped(a, input, params: []).count == 200)
    }

    /// Histogram input keeps the step-by-step walk (its annotations come in step order).
    @Test func histogramsGoStepByStep() throws {
        let ev = Self.evaluator()
        let h = FloatHistogram(schema: 0, count: 1, sum: 1, positiveSpans: [.init(offset: 0, length: 1)], positiveBuckets: [1])
        let input = [EvalSeries(labels: Labels([("job", "a")]), histograms: [HPoint(t: 0, h: h)])]
        let a = try Self.aggregate("sum (x)")
        let (groupOf, keys) = ev.aggregationGroups(a, input)
        #expect(ev.aggregateFloatsBySeries(a, input, groupOf: groupOf, groupKeys: keys, params: []) == nil)
    }
}
