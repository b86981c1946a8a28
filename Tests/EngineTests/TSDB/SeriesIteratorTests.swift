import Testing
import TestSupport
@testable import Engine
import TestSupport

/// Random interleavings of `next`/`seek` over mixed float/histogram series, checked against a plain array.
@Suite struct SeriesIteratorTests {
    @Test(arguments: 1...8)
    func matchesReference(seed: UInt64) throws {
        var rng = TestRNG(seed: seed)
        let head = Head()
        let l = Labels([("__name__", "mixed")])
        var ref: [(t: Int64, isHist: Bool, v: Double)] = []
        var t = Int64.random(in: -1_000_000...1_000_000, using: &rng)
        for _ in 0..<Int.random(in: 1...900, using: &rng) {
            t += Int64.random(in: 1...30_000, using: &rng)
            // Runs of one kind so chunks get cut on kind changes as well as at 120 samples.
            let isHist = (t / 200_000) % 3 == 0
            let v = Double(Int.random(in: -50...50, using: &rng))
            if isHist {
                try head.appendHistogram(l, t: t, h: FloatHistogram(count: abs(v), sum: v))
            } else {
                try head.append(l, t: t, v: v)
            }
            ref.append((t, isHist, v))
        }
        for _ in 0..<40 {
            let a = Int64.random(in: (ref[0].t - 10_000)...(t + 10_000), using: &rng)
            let b = Int64.random(in: a...(a + 3_000_000), using: &rng)
            let inRange = ref.filter { $0.t >= a && $0.t <= b }
            let sel = head.select([try LabelMatcher(.equal, "__name__", "mixed")], mint: a, maxt: b)
            guard let s = sel.first else {
                #expect(inRange.isEmpty)
                continue
            }
            #expect(!inRange.isEmpty)
            var it = s.makeIterator()
            var pos = -1  // index into inRange of the current sample
            for _ in 0..<60 {
                if Bool.random(using: &rng) {
                    let ok = it.next()
                    pos += 1
                    #expect(ok == (pos < inRange.count))
                    if !ok { break }
                } else {
                    let target = Int64.random(in: (a - 1000)...(b + 1000), using: &rng)
                    let ok = it.seek(to: target)
                    // Seek never moves backwards.
                    if pos < 0 || inRange[pos].t < target {
                        pos = inRange.firstIndex { $0.t >= target } ?? inRange.count
                    }
                    #expect(ok == (pos < inRange.count))
                    if !ok { break }
                }
                let e = inRange[pos]
                #expect(it.atT() == e.t)
                if e.isHist {
                    #expect(it.valueType == .histogram && it.atHistogram().h.sum == e.v)
                } else {
                    #expect(it.valueType == .float && it.at().v == e.v)
                }
            }
            #expect(s.samples.map(\.t) == inRange.map(\.t))
        }
    }
}

@Suite struct SnapshotTests {
    @Test func selectedSeriesIsASnapshot() throws {
        let head = Head()
        let l = Labels([("a", "b")])
        for k in 0..<50 { try head.append(l, t: Int64(k), v: Double(k)) }
        let s = try #require(head.select([try LabelMatcher(.equal, "a", "b")], mint: 0, maxt: 1000).first)
        for k in 50..<300 { try head.append(l, t: Int64(k), v: Double(k)) }
        #expect(s.samples.count == 50)
        head.clear()
        #expect(s.samples.last?.float == 49)
    }
}

@Suite struct TypedSampleListTests {
    @Test func floatAndHistogramLists() throws {
        let head = Head()
        let l = Labels([("a", "b")])
        try head.append(l, t: 1, v: 1)
        try head.appendHistogram(l, t: 2, h: FloatHistogram(count: 2, sum: 2))
        try head.append(l, t: 3, v: 3)
        try head.append(l, t: 4, v: StaleNaN)
        let s = try #require(head.select([try LabelMatcher(.equal, "a", "b")], mint: 0, maxt: 10).first)
        let f = s.floatSamples(in: 0...3)
        #expect(f.map(\.t) == [1, 3] && f.map(\.v) == [1, 3])
        #expect(s.floatSamples(in: 4...4).map { isStaleNaN($0.v) } == [true])
        let h = s.histogramSamples(in: 0...10)
        #expect(h.map(\.t) == [2] && h.first?.h.count == 2)
        #expect(s.histogramSamples(in: 3...10).isEmpty)
    }
}
