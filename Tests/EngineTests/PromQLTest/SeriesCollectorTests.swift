import Testing
@testable import Engine

/// Output series: same labels (and name-removal flag) join; two points at one time are the duplicate-labelset error.
@Suite struct SeriesCollectorTests {
    private let a = Labels([("job", "a")])
    private let duplicate = "vector cannot contain metrics with the same labelset"

    @Test func joinsWholeSeriesInTimeOrder() throws {
        var c = SeriesCollector()
        c.add(EvalSeries(labels: a, floats: [FPoint(t: 30, f: 3)]))
        c.add(EvalSeries(labels: a, floats: [FPoint(t: 10, f: 1), FPoint(t: 20, f: 2)]))
        c.add(EvalSeries(labels: a, floats: [FPoint(t: 5, f: 0)], dropName: true))
        let out = try c.finish()
        #expect(out.count == 2)
        #expect(out.first?.floats.map(\.t) == [10, 20, 30])
        #expect(out.last?.dropName == true)
    }

    @Test func samePointTwiceFails() {
        var joined = SeriesCollector()
        joined.add(EvalSeries(labels: a, floats: [FPoint(t: 10, f: 1)]))
        joined.add(EvalSeries(labels: a, floats: [FPoint(t: 10, f: 2)]))
        #expect { _ = try joined.finish() } throws: { ($0 as? PromQLEvalError)?.message == duplicate }

        var stepped = SeriesCollector()
        let slot = stepped.slot(a, drop: false)
        #expect { try stepped.append(slot, t: 10, float: 1); try stepped.append(slot, t: 10, float: 2) } throws: {
            ($0 as? PromQLEvalError)?.message == duplicate
        }
    }

    /// Appending after a joined series (even earlier in time) is sorted and checked at the end.
    @Test func appendAfterAdd() throws {
        var ok = SeriesCollector()
        ok.add(EvalSeries(labels: a, floats: [FPoint(t: 20, f: 2)]))
        try ok.append(ok.slot(a, drop: false), t: 10, float: 1)
        #expect(try ok.finish().first?.floats.map(\.t) == [10, 20])

        var clash = SeriesCollector()
        clash.add(EvalSeries(labels: a, floats: [FPoint(t: 10, f: 1), FPoint(t: 20, f: 2)]))
        try clash.append(clash.slot(a, drop: false), t: 10, float: 3)
        #expect { _ = try clash.finish() } throws: { ($0 as? PromQLEvalError)?.message == duplicate }
    }
}
