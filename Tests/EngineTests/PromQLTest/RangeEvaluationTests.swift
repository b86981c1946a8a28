import Testing
@testable import Engine

/// Range queries walk series step by step (cursors, cached signatures and result labels); every step of a range
/// query must equal an instant query at that time, and operators must report Prometheus's errors per step.
@Suite struct RangeEvaluationTests {
    /// Series with gaps, a stale marker, a counter reset, a metric-name twin and a changing one-side series.
    private static func head() throws -> Head {
        let h = Head()
        for i in 0..<40 {
            let t = Int64(i) * 15_000
            for inst in 0..<4 {
                // Instance 3 is absent for a while; instance 2 resets; instance 1 goes stale once.
                if inst == 3 && (10..<22).contains(i) { continue }
                var v = Double(i * (inst + 1))
                if inst == 2 && i >= 25 { v = Double(i - 25) }
                if inst == 1 && i == 17 { v = StaleNaN }
                _ = try h.append(Labels([("__name__", "req_total"), ("job", "api"), ("instance", "i\(inst)")]), t: t, v: v)
                _ = try h.append(Labels([("__name__", "err_total"), ("job", "api"), ("instance", "i\(inst)")]), t: t, v: Double(i))
            }
            // The "one" side of group_left: a different series holds the match label before and after 20 (the
            // first one ends with a stale marker, as a scrape that loses a series writes).
            let owner = i < 20 ? "a" : "b"
            _ = try h.append(Labels([("__name__", "info"), ("job", "api"), ("owner", owner)]), t: t, v: 1)
            if i == 20 { _ = try h.append(Labels([("__name__", "info"), ("job", "api"), ("owner", "a")]), t: t, v: StaleNaN) }
            // Classic histogram buckets; instance i1's appear only from 8 on.
            for (b, le) in ["0.1", "1", "+Inf"].enumerated() where i >= 8 || b == 0 {
                for inst in 0..<2 where inst == 0 || i >= 8 {
                    let v = Double(i * (b + 1) * (inst + 2))
                    _ = try h.append(Labels([("__name__", "lat_bucket"), ("instance", "i\(inst)"), ("le", le)]), t: t, v: v)
                }
            }
            // A native histogram series with a gap.
            if !(15..<18).contains(i) {
                let nh = FloatHistogram(schema: 0, count: Double(2 * i + 2), sum: Double(i),
                                        positiveSpans: [.init(offset: 0, length: 2)], positiveBuckets: [Double(i + 1), Double(i + 1)])
                _ = try h.appendHistogram(Labels([("__name__", "nh"), ("job", "api")]), t: t, h: nh)
            }
            if i % 3 != 0 {
                _ = try h.append(Labels([("__name__", "up"), ("job", "api"), ("instance", "i\(i % 4)")]), t: t, v: 1)
            }
        }
        return h
    }

    static let expressions = [
        "req_total", "req_total * 2", "2 - req_total", "req_total > 100", "req_total > bool 100", "100 < req_total",
        "req_total / err_total", "req_total / ignoring(__name__) err_total",
        "req_total - on(instance, job) err_total", "err_total > on(instance, job) req_total",
        "req_total * on(job) group_left(owner) info", "info * on(job) group_right(owner) req_total",
        "req_total and up", "req_total or up", "req_total unless up", "up or on(instance) req_total",
        "abs(req_total - 500)", "clamp(req_total, 10, 50)", "round(req_total / 7)",
        "sum by (job) (rate(req_total[1m]))", "rate(req_total[1m]) / rate(err_total[1m])", "increase(req_total[2m])",
        "delta(err_total[1m])", "count_over_time(req_total[1m])", "max by (instance) (req_total)",
        "quantile(0.5, req_total)", "stddev(req_total)", "avg without (instance) (req_total)",
        "absent_over_time(nothing[1m])", "sum(rate(req_total[1m])) / sum(rate(err_total[1m]))",
        "topk(2, req_total)", "bottomk by (instance) (1, req_total)", "topk(70, req_total or err_total)",
        "bottomk(70, -req_total)", "histogram_quantile(0.9, rate(lat_bucket[1m]))",
        "histogram_quantile(0.5, sum by (le) (rate(lat_bucket[2m])))", "histogram_quantile(1.5, lat_bucket)",
        "scalar(sum(req_total))", "scalar(req_total)", "absent(nothing)", "absent(req_total{instance=\"i3\"})",
        "label_replace(req_total, \"x\", \"$1\", \"instance\", \"i(.*)\")", "label_join(req_total, \"x\", \"-\", \"job\", \"instance\")",
        "histogram_count(nh)", "histogram_sum(rate(nh[1m]))", "histogram_stddev(nh)",
        "count_values(\"v\", round(req_total / 50))", "count_values by (job) (\"job\", err_total > bool 10)",
        "count_values(\"h\", nh)", "histogram_fraction(0, 0.5, rate(lat_bucket[1m]))", "histogram_fraction(0, 1, nh)",
        "histogram_quantile(0.5, nh)", "nh + on(job) nh", "nh * on(job) group_left req_total{instance=\"i0\"}",
        "rate(nh[1m]) / on(job) group_left sum by (job) (req_total)", "nh == nh", "nh != bool nh",
        "req_total + on(job) group_left nh", "irate(req_total[1m])", "idelta(err_total[1m])", "irate(nh[1m])", "limitk(3, req_total)", "limit_ratio(0.5, req_total)", "limit_ratio(-0.3, req_total)",
    ]

    /// Both name-removal modes: immediate (Prometheus's default) and delayed (as the promqltest run uses).
    @Test(arguments: expressions, [false, true])
    func everyStepEqualsAnInstantQuery(_ query: String, delayedNameRemoval: Bool) throws {
        let h = try Self.head()
        var options = EngineOptions()
        options.parserOptions = ParserOptions.allEnabled
        options.delayedNameRemoval = delayedNameRemoval
        let engine = PromQLEngine(options: options)
        let start: Int64 = 30_000, end: Int64 = 570_000, step: Int64 = 20_000
        let range = try engine.rangeQuery(query, start: start, end: end, step: step, source: h)
        guard case .matrix(let matrix) = range.value else {
            Issue.record("expected a matrix for \(query), got \(range.value)")
            return
        }
        // Each point as text: a float by its bits (NaNs alike), a histogram by its description.
        func text(_ f: Double) -> String { f.isNaN ? "NaN" : String(f.bitPattern) }
        var fromRange: [String: String] = [:]
        for s in matrix {
            for p in s.floats { fromRange["\(s.labels)@\(p.t)"] = text(p.f) }
            for p in s.histograms { fromRange["\(s.labels)@\(p.t)"] = p.h.description }
        }
        var fromInstant: [String: String] = [:]
        var t = start
        while t <= end {
            let r = try engine.instantQuery(query, at: t, source: h)
            switch r.value {
            case .vector(let v):
                for smp in v { fromInstant["\(smp.labels)@\(t)"] = smp.h?.description ?? text(smp.f) }
            case .scalar(_, let v):
                fromInstant["{}@\(t)"] = text(v)
            default:
                Issue.record("unexpected instant result for \(query): \(r.value)")
            }
            t += step
        }
        #expect(fromRange.count == fromInstant.count, "\(query): \(fromRange.count) points by range, \(fromInstant.count) by instant queries")
        for (key, v) in fromInstant {
            guard let rv = fromRange[key] else {
                Issue.record("\(query): \(key) missing from the range result")
                continue
            }
            #expect(rv == v, "\(query): \(key) range \(rv) instant \(v)")
        }
    }

    /// Two series that differ only in their name collide once an operator drops it (Prometheus's error).
    @Test(arguments: ["{job=\"api\", instance=\"i0\"} * 2", "abs({job=\"api\", instance=\"i0\"})"])
    func droppingTheNameIntoOneLabelsetFails(_ query: String) throws {
        #expect {
            _ = try PromQLEngine().rangeQuery(query, start: 0, end: 300_000, step: 60_000, source: try Self.head())
        } throws: { error in
            (error as? PromQLEvalError)?.message == "vector cannot contain metrics with the same labelset"
        }
    }

    @Test func oneToOneNeedsUniqueMatchesOnTheLeft() throws {
        #expect {
            _ = try PromQLEngine().rangeQuery("sum by (job) (err_total) / on(job) req_total",
                                              start: 0, end: 300_000, step: 60_000, source: try Self.head())
        } throws: { error in
            (error as? PromQLEvalError)?.message.hasPrefix("found duplicate series for the match group {job=\"api\"} on the right hand-side of the operation") == true
        }
        #expect {
            _ = try PromQLEngine().rangeQuery("req_total + on(job) sum by (job) (err_total)",
                                              start: 0, end: 300_000, step: 60_000, source: try Self.head())
        } throws: { error in
            (error as? PromQLEvalError)?.message == "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)"
        }
    }

    @Test func groupLeftNeedsUniqueResultLabels() throws {
        #expect {
            _ = try PromQLEngine().rangeQuery("req_total * on(job) group_left(instance) sum by (job) (err_total)",
                                              start: 0, end: 300_000, step: 60_000, source: try Self.head())
        } throws: { error in
            (error as? PromQLEvalError)?.message == "multiple matches for labels: grouping labels must ensure unique matches"
        }
    }

    /// group_left copies the label from whichever one-side series matches at each step.
    @Test func groupLeftFollowsTheOneSideOverTime() throws {
        let r = try PromQLEngine().rangeQuery("req_total{instance=\"i0\"} * on(job) group_left(owner) info",
                                              start: 0, end: 585_000, step: 15_000, source: try Self.head())
        guard case .matrix(let m) = r.value else {
            Issue.record("expected a matrix, got \(r.value)")
            return
        }
        let owners = m.map { $0.labels["owner"] ?? "" }.sorted()
        #expect(owners == ["a", "b"])
        #expect(m.map(\.floats.count).reduce(0, +) == 40)
    }
}
