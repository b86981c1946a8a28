import Testing
@testable import Engine

private typealias S = FloatHistogram.Span

private func spans(_ s: [(Int32, UInt32)]) -> [S] { s.map { S(offset: $0.0, length: $0.1) } }

private func fh(
    schema: Int32 = 0, zt: Double = 0, zc: Double = 0, count: Double, sum: Double,
    ps: [(Int32, UInt32)] = [], pb: [Double] = [], ns: [(Int32, UInt32)] = [], nb: [Double] = [], cv: [Double] = []
) -> FloatHistogram {
    FloatHistogram(
        schema: schema, zeroThreshold: zt, zeroCount: zc, count: count, sum: sum,
        positiveSpans: spans(ps), negativeSpans: spans(ns), positiveBuckets: pb, negativeBuckets: nb, customValues: cv)
}

/// Cases taken from Prometheus's `TestFloatHistogramAdd` (expected layouts compared with `Equals` semantics).
private let addCases: [(String, FloatHistogram, FloatHistogram, FloatHistogram)] = [
    ("same bucket layout",
     fh(zt: 0.01, zc: 11, count: 30, sum: 2.345, ps: [(-2, 2), (1, 3)], pb: [1, 0, 3, 4, 7], ns: [(3, 2), (3, 2)], nb: [3, 1, 5, 6]),
     fh(zt: 0.01, zc: 8, count: 21, sum: 1.234, ps: [(-2, 2), (1, 3)], pb: [0, 0, 2, 3, 6], ns: [(3, 2), (3, 2)], nb: [1, 1, 4, 4]),
     fh(zt: 0.01, zc: 19, count: 51, sum: 2.345 + 1.234, ps: [(-2, 2), (1, 3)], pb: [1, 0, 5, 7, 13], ns: [(3, 2), (3, 2)], nb: [4, 2, 9, 10])),
    ("non-overlapping spans",
     fh(zt: 0.001, zc: 11, count: 30, sum: 2.345, ps: [(-2, 2), (2, 3)], pb: [1, 0, 3, 4, 7], ns: [(3, 2), (3, 2)], nb: [3, 1, 5, 6]),
     fh(zt: 0.001, zc: 8, count: 21, sum: 1.234, ps: [(0, 2), (3, 3)], pb: [5, 4, 2, 3, 6], ns: [(-9, 2), (3, 2)], nb: [1, 1, 4, 4]),
     fh(zt: 0.001, zc: 19, count: 51, sum: 2.345 + 1.234, ps: [(-2, 4), (0, 6)], pb: [1, 0, 5, 4, 3, 4, 7, 2, 3, 6],
        ns: [(-9, 2), (3, 2), (5, 2), (3, 2)], nb: [1, 1, 4, 4, 3, 1, 5, 6])),
    ("overlapping spans",
     fh(zt: 0.01, zc: 11, count: 30, sum: 2.345, ps: [(-2, 2), (2, 3)], pb: [1, 0, 3, 4, 7], ns: [(3, 2), (3, 2)], nb: [3, 1, 5, 6]),
     fh(zt: 0.01, zc: 8, count: 21, sum: 1.234, ps: [(-1, 4), (0, 3)], pb: [5, 4, 2, 3, 6, 2, 5], ns: [(4, 2), (1, 2)], nb: [1, 1, 4, 4]),
     fh(zt: 0.01, zc: 19, count: 51, sum: 2.345 + 1.234, ps: [(-2, 4), (0, 4)], pb: [1, 5, 4, 2, 6, 10, 9, 5],
        ns: [(3, 3), (1, 3)], nb: [3, 2, 1, 4, 9, 6])),
    ("schema change",
     fh(zt: 0.01, zc: 8, count: 21, sum: 1.234, ps: [(-1, 4), (0, 3)], pb: [5, 4, 2, 3, 6, 2, 5], ns: [(4, 2), (1, 2)], nb: [1, 1, 4, 4]),
     fh(schema: 1, zt: 0.01, zc: 11, count: 30, sum: 2.345, ps: [(-4, 3), (5, 5)], pb: [1, 0, 0, 3, 2, 2, 3, 4],
        ns: [(6, 3), (6, 4)], nb: [3, 0.5, 0.5, 2, 3, 2, 4]),
     fh(zt: 0.01, zc: 19, count: 51, sum: 1.234 + 2.345, ps: [(-2, 5), (0, 3)], pb: [1, 5, 4, 2, 6, 10, 9, 5],
        ns: [(3, 3), (1, 3)], nb: [3, 2, 1, 4, 9, 6])),
    ("larger zero bucket in first histogram",
     fh(zt: 1, zc: 17, count: 21, sum: 1.234, ps: [(1, 2), (0, 3)], pb: [2, 3, 6, 2, 5], ns: [(4, 2), (1, 2)], nb: [1, 1, 4, 4]),
     fh(zt: 0.01, zc: 11, count: 30, sum: 2.345, ps: [(-2, 2), (2, 3)], pb: [1, 0, 3, 4, 7], ns: [(3, 2), (3, 2)], nb: [3, 1, 5, 6]),
     fh(zt: 1, zc: 29, count: 51, sum: 1.234 + 2.345, ps: [(1, 2), (0, 3)], pb: [2, 6, 10, 9, 5], ns: [(3, 3), (1, 3)], nb: [3, 2, 1, 4, 9, 6])),
    ("larger zero bucket in second histogram",
     fh(zt: 0.01, zc: 11, count: 30, sum: 2.345, ps: [(-2, 2), (2, 3)], pb: [1, 0, 3, 4, 7], ns: [(3, 2), (3, 2)], nb: [3, 1, 5, 6]),
     fh(zt: 1, zc: 17, count: 21, sum: 1.234, ps: [(1, 2), (0, 3)], pb: [2, 3, 6, 2, 5], ns: [(4, 2), (1, 2)], nb: [1, 1, 4, 4]),
     fh(zt: 1, zc: 29, count: 51, sum: 2.345 + 1.234, ps: [(1, 5)], pb: [2, 6, 10, 9, 5], ns: [(3, 3), (1, 3)], nb: [3, 2, 1, 4, 9, 6])),
    ("larger zero threshold in first histogram ends up inside a populated bucket of second histogram",
     fh(zt: 0.2, zc: 17, count: 21, sum: 1.234, ps: [(1, 2), (0, 3)], pb: [2, 3, 6, 2, 5], ns: [(4, 2), (1, 2)], nb: [1, 1, 4, 4]),
     fh(zt: 0.01, zc: 11, count: 30, sum: 2.345, ps: [(-2, 2), (2, 3)], pb: [1, 0, 3, 4, 7], ns: [(3, 2), (3, 2)], nb: [3, 1, 5, 6]),
     fh(zt: 0.25, zc: 29, count: 51, sum: 1.234 + 2.345, ps: [(-1, 1), (1, 5)], pb: [0, 2, 6, 10, 9, 5],
        ns: [(3, 3), (1, 3)], nb: [3, 2, 1, 4, 9, 6])),
    ("larger zero threshold in second histogram ends up inside a populated bucket of first histogram",
     fh(zt: 0.01, zc: 11, count: 30, sum: 2.345, ps: [(-2, 2), (2, 3)], pb: [1, 0, 3, 4, 7], ns: [(3, 2), (3, 2)], nb: [3, 1, 5, 6]),
     fh(zt: 0.2, zc: 17, count: 21, sum: 1.234, ps: [(1, 2), (0, 3)], pb: [2, 3, 6, 2, 5], ns: [(4, 2), (1, 2)], nb: [1, 1, 4, 4]),
     fh(zt: 0.25, zc: 29, count: 51, sum: 2.345 + 1.234, ps: [(1, 5)], pb: [2, 6, 10, 9, 5], ns: [(3, 3), (1, 3)], nb: [3, 2, 1, 4, 9, 6])),
    ("schema change combined with larger zero bucket in second histogram",
     fh(zt: 0.01, zc: 8, count: 21, sum: 1.234, ps: [(-2, 5), (0, 3)], pb: [2, 5, 4, 2, 3, 6, 2, 5], ns: [(4, 2), (1, 2)], nb: [1, 1, 4, 4]),
     fh(schema: 1, zt: 0.25, zc: 12, count: 30, sum: 2.345, ps: [(-3, 2), (5, 5)], pb: [1, 0, 3, 2, 2, 3, 4],
        ns: [(6, 3), (6, 4)], nb: [3, 0.5, 0.5, 2, 3, 2, 4]),
     fh(zt: 0.25, zc: 22, count: 51, sum: 1.234 + 2.345, ps: [(-1, 7)], pb: [6, 4, 2, 6, 10, 9, 5], ns: [(3, 3), (1, 3)], nb: [3, 2, 1, 4, 9, 6])),
    ("schema change combined with larger zero bucket in first histogram",
     fh(zt: 0.25, zc: 8, count: 21, sum: 1.234, ps: [(-1, 4), (0, 3)], pb: [5, 4, 2, 3, 6, 2, 5], ns: [(4, 2), (1, 2)], nb: [1, 1, 4, 4]),
     fh(schema: 1, zt: 0.01, zc: 11, count: 30, sum: 2.345, ps: [(-4, 3), (5, 5)], pb: [1, 0, 0, 3, 2, 2, 3, 4],
        ns: [(6, 3), (6, 4)], nb: [3, 0.5, 0.5, 2, 3, 2, 4]),
     fh(zt: 0.25, zc: 20, count: 51, sum: 1.234 + 2.345, ps: [(-1, 4), (0, 3)], pb: [5, 4, 2, 6, 10, 9, 5],
        ns: [(3, 3), (1, 3)], nb: [3, 2, 1, 4, 9, 6])),
    ("same custom bucket layout, defined differently",
     fh(schema: -53, count: 15, sum: 2.345, ps: [(0, 2), (1, 1), (0, 2)], pb: [1, 0, 3, 4, 7], cv: [1, 2, 3, 4, 5]),
     fh(schema: -53, count: 11, sum: 1.234, ps: [(0, 2), (1, 2), (0, 1)], pb: [0, 0, 2, 3, 6], cv: [1, 2, 3, 4, 5]),
     fh(schema: -53, count: 26, sum: 2.345 + 1.234, ps: [(0, 2), (1, 1), (0, 2)], pb: [1, 0, 5, 7, 13], cv: [1, 2, 3, 4, 5])),
    ("non-overlapping spans with custom buckets",
     fh(schema: -53, count: 15, sum: 2.345, ps: [(0, 2), (2, 3)], pb: [1, 0, 3, 4, 7], cv: [1, 2, 3, 4, 5, 6, 7, 8, 9]),
     fh(schema: -53, count: 20, sum: 1.234, ps: [(2, 2), (3, 3)], pb: [5, 4, 2, 3, 6], cv: [1, 2, 3, 4, 5, 6, 7, 8, 9]),
     fh(schema: -53, count: 35, sum: 2.345 + 1.234, ps: [(0, 4), (0, 6)], pb: [1, 0, 5, 4, 3, 4, 7, 2, 3, 6], cv: [1, 2, 3, 4, 5, 6, 7, 8, 9])),
]

@Suite struct FloatHistogramTests {
    @Test(arguments: addCases.indices)
    func addMatchesPrometheus(_ i: Int) throws {
        let (name, a, b, expected) = addCases[i]
        let got = try a.adding(b)
        #expect(got == expected, "\(name): \(got) vs \(expected)")
        #expect(a.validationError == nil && b.validationError == nil)
        #expect(got.validationError == nil, "\(name)")
    }

    /// Subtraction undoes addition only where neither operand's zero bucket or schema is widened.
    @Test(arguments: addCases.indices.filter { addCases[$0].1.zeroThreshold == addCases[$0].2.zeroThreshold && addCases[$0].1.schema == addCases[$0].2.schema })
    func subUndoesAdd(_ i: Int) throws {
        let (name, a, b, _) = addCases[i]
        var back = try a.adding(b).subtracting(b)
        back.compact()
        #expect(back == a.compacted(), "\(name): \(back)")
    }

    @Test func incompatibleSchemas() {
        let exp = fh(count: 1, sum: 1, ps: [(0, 1)], pb: [1])
        let c1 = fh(schema: -53, count: 1, sum: 1, ps: [(0, 1)], pb: [1], cv: [1, 2])
        let c2 = fh(schema: -53, count: 1, sum: 1, ps: [(0, 1)], pb: [1], cv: [1, 3])
        #expect(throws: FloatHistogram.ArithmeticError.incompatibleSchema) { try exp.adding(c1) }
        #expect(throws: FloatHistogram.ArithmeticError.incompatibleBounds) { try c1.subtracting(c2) }
    }

    @Test func counterResetHintOnAdd() throws {
        var a = fh(count: 1, sum: 1)
        var b = a
        a.counterResetHint = .gauge
        #expect(try b.adding(a).counterResetHint == .gauge)
        b.counterResetHint = .counterReset
        var c = fh(count: 1, sum: 1)
        c.counterResetHint = .notCounterReset
        #expect(try b.adding(c).counterResetHint == .unknown)
        #expect(try c.adding(c).counterResetHint == .notCounterReset)
    }

    @Test func mulDiv() {
        let h = fh(zt: 0.001, zc: 2, count: 10, sum: 5, ps: [(0, 2)], pb: [3, 5], ns: [(1, 1)], nb: [0])
        let m = h.multiplied(by: 2)
        #expect(m == fh(zt: 0.001, zc: 4, count: 20, sum: 10, ps: [(0, 2)], pb: [6, 10], ns: [(1, 1)], nb: [0]))
        #expect(m.divided(by: 2) == h)
        let z = h.divided(by: 0)
        #expect(z.count == .infinity && z.positiveBuckets.isEmpty && z.positiveSpans.isEmpty && z.negativeBuckets.isEmpty)
    }

    @Test func compact() {
        var h = fh(count: 10, sum: 1, ps: [(-2, 6), (3, 3), (0, 2)], pb: [0, 1, 0, 0, 2, 0, 3, 0, 0, 4, 0])
        // Explicit buckets: -2:0 -1:1 0:0 1:0 2:2 3:0 | 7:3 8:0 9:0 | 10:4 11:0
        var h1 = h
        h.compact()
        #expect(h.positiveSpans == spans([(-1, 1), (2, 1), (4, 1), (2, 1)]))
        #expect(h.positiveBuckets == [1, 2, 3, 4])
        h1.compact(maxEmptyBuckets: 2)
        #expect(h1.positiveSpans == spans([(-1, 4), (4, 4)]))
        #expect(h1.positiveBuckets == [1, 0, 0, 2, 3, 0, 0, 4])
        #expect(h != h1)  // same populated buckets, but explicit zero buckets count for Equals
    }

    @Test func equalityIgnoresSpanSplittingButNotExplicitZeros() {
        let a = fh(count: 1, sum: 1, ps: [(0, 2), (0, 1)], pb: [1, 2, 3])
        let b = fh(count: 1, sum: 1, ps: [(0, 0), (0, 3)], pb: [1, 2, 3])
        let c = fh(count: 1, sum: 1, ps: [(0, 4)], pb: [1, 2, 3, 0])
        #expect(a == b)
        #expect(a != c)
        var d = a
        d.counterResetHint = .gauge
        #expect(a == d)
        let n1 = fh(count: 1, sum: .nan), n2 = fh(count: 1, sum: .nan)
        #expect(n1 == n2)
        #expect(fh(count: 1, sum: StaleNaN) != n1)
    }

    @Test func bounds() {
        #expect(FloatHistogram.exponentialBound(0, schema: 0) == 1)
        #expect(FloatHistogram.exponentialBound(1, schema: 0) == 2)
        #expect(FloatHistogram.exponentialBound(-1, schema: 0) == 0.5)
        // Prometheus's table value, one ulp below the nearest Double to √2.
        #expect(FloatHistogram.exponentialBound(1, schema: 1) == 1.414213562373095)
        #expect(FloatHistogram.exponentialBound(1, schema: -1) == 4)
        #expect(FloatHistogram.exponentialBound(1024, schema: 0) == .greatestFiniteMagnitude)
        #expect(FloatHistogram.exponentialBound(1025, schema: 0) == .infinity)
        let b = fh(count: 3, sum: 1, ps: [(0, 2)], pb: [1, 2], ns: [(0, 1)], nb: [3]).buckets(positive: false)
        #expect(b == [FloatHistogram.Bucket(index: 0, lower: -1, upper: -0.5, lowerInclusive: true, upperInclusive: false, count: 3)])
        let c = fh(schema: -53, count: 3, sum: 1, ps: [(0, 3)], pb: [1, 2, 3], cv: [5, 10]).buckets(positive: true)
        #expect(c.map(\.upper) == [5, 10, .infinity])
        #expect(c.map(\.lower) == [-.infinity, 5, 10])
    }

    @Test func detectReset() {
        let prev = fh(zt: 0.01, zc: 1, count: 10, sum: 5, ps: [(0, 3)], pb: [1, 2, 3])
        #expect(!fh(zt: 0.01, zc: 1, count: 11, sum: 6, ps: [(0, 3)], pb: [1, 2, 4]).detectReset(previous: prev))
        #expect(fh(zt: 0.01, zc: 1, count: 11, sum: 6, ps: [(0, 3)], pb: [1, 1, 4]).detectReset(previous: prev))
        #expect(fh(zt: 0.01, zc: 1, count: 9, sum: 6, ps: [(0, 3)], pb: [1, 2, 3]).detectReset(previous: prev))
        #expect(fh(zt: 0.01, zc: 1, count: 11, sum: 6, ps: [(0, 2)], pb: [1, 2]).detectReset(previous: prev))
        #expect(fh(schema: 1, zt: 0.01, zc: 1, count: 11, sum: 6, ps: [(0, 3)], pb: [1, 2, 3]).detectReset(previous: prev))
        // Lower schema: previous buckets merge ((0) alone, (1,2) together at schema -1).
        #expect(!fh(schema: -1, zt: 0.01, zc: 1, count: 10, sum: 6, ps: [(0, 2)], pb: [1, 5]).detectReset(previous: prev))
        #expect(fh(schema: -1, zt: 0.01, zc: 1, count: 10, sum: 6, ps: [(0, 2)], pb: [1, 4]).detectReset(previous: prev))
    }

    @Test func validation() {
        #expect(fh(count: 1, sum: 1, ps: [(0, 2)], pb: [1]).validationError != nil)
        #expect(fh(schema: 9, count: 1, sum: 1).validationError != nil)
        #expect(fh(schema: -53, count: 1, sum: 1, cv: [2, 1]).validationError != nil)
        #expect(fh(count: 1, sum: 1, ps: [(0, 1), (-1, 1)], pb: [1, 1]).validationError != nil)
        #expect(fh(count: 1, sum: 1, ps: [(0, UInt32.max)], pb: [1]).validationError != nil)
        #expect(fh(count: 1, sum: 1, ps: [(-3, 1), (2, 1)], pb: [1, 1]).validationError == nil)
    }

    @Test func headRoundTrip() throws {
        let head = Head()
        let l = Labels([("__name__", "h")])
        var hs: [FloatHistogram] = []
        for i in 0..<300 {
            var h = fh(zt: 0.001, zc: Double(i), count: Double(3 * i), sum: Double(i) * 1.5, ps: [(0, 2)], pb: [Double(i), Double(i)])
            h.counterResetHint = i == 0 ? .unknown : .notCounterReset
            hs.append(h)
            try head.appendHistogram(l, t: Int64(i) * 1000, h: h)
        }
        // Identical duplicate accepted, different one rejected.
        try head.appendHistogram(l, t: 299_000, h: hs[299])
        #expect(throws: TSDBError.duplicateHistogramSample(timestamp: 299_000)) { try head.appendHistogram(l, t: 299_000, h: hs[0]) }
        #expect(throws: TSDBError.duplicateSampleExistingHistogram(timestamp: 299_000, new: 1)) { try head.append(l, t: 299_000, v: 1) }
        #expect(throws: TSDBError.invalidHistogram("positive side: spans need 2 buckets, have 1 buckets")) {
            try head.appendHistogram(l, t: 400_000, h: fh(count: 1, sum: 1, ps: [(0, 2)], pb: [1]))
        }
        // Mix in floats after histograms; a series holds one kind per timestamp.
        try head.append(l, t: 300_000, v: 7)
        try head.appendHistogram(l, t: 301_000, h: hs[5])
        let s = try #require(head.select([try LabelMatcher(.equal, "__name__", "h")], mint: 0, maxt: .max).first)
        let all = s.samples
        #expect(all.count == 302)
        for i in 0..<300 {
            // Values round-trip; hints are Prometheus's read-back hints (first of each 120-sample chunk unknown).
            #expect(all[i].histogram == hs[i])
            #expect(all[i].histogram?.counterResetHint == (i % 120 == 0 ? .unknown : .notCounterReset), "\(i)")
        }
        #expect(all[300].float == 7)
        #expect(all[301].histogram == hs[5])
        var it = s.makeIterator()
        do { let r = it.seek(to: 299_500); #expect(r) }
        #expect(it.valueType == .float && it.at().t == 300_000 && it.at().v == 7)
        do { let r = it.next(); #expect(r) }
        #expect(it.valueType == .histogram && it.atHistogram().h == hs[5])
    }
}

@Suite struct HistogramDuplicateTests {
    @Test func duplicateUsesEqualsSemantics() throws {
        let head = Head()
        let l = Labels([("__name__", "h")])
        var a = fh(count: 2, sum: 1, ps: [(0, 2)], pb: [1, 1])
        try head.appendHistogram(l, t: 10, h: a)
        // Same histogram with a different hint and a different span split is an accepted duplicate (not stored).
        a.counterResetHint = .gauge
        a.positiveSpans = spans([(0, 1), (0, 1)])
        try head.appendHistogram(l, t: 10, h: a)
        #expect(head.stats.numSamples == 1)
        #expect("\(TSDBError.duplicateHistogramSample(timestamp: 10))" == "duplicate sample for timestamp")
        // A histogram where the newest sample is a float is a duplicate too.
        try head.append(Labels([("__name__", "f")]), t: 5, v: 1)
        #expect(throws: TSDBError.duplicateHistogramSample(timestamp: 5)) {
            try head.appendHistogram(Labels([("__name__", "f")]), t: 5, h: a)
        }
    }
}

/// Chunk cutting and read-back counter-reset hints as Prometheus's head produces them.
@Suite struct HistogramHintTests {
    private func hints(_ hs: [FloatHistogram]) throws -> [FloatHistogram.CounterResetHint] {
        let head = Head()
        let l = Labels([("__name__", "h")])
        for (i, h) in hs.enumerated() { try head.appendHistogram(l, t: Int64(i) * 1000, h: h) }
        let s = try #require(head.select([try LabelMatcher(.equal, "__name__", "h")], mint: .min, maxt: .max).first)
        return s.histogramSamples(in: .min ... .max).map(\.h.counterResetHint)
    }

    private func c(_ n: Double, _ hint: FloatHistogram.CounterResetHint = .unknown, buckets: [Double]? = nil, schema: Int32 = 0) -> FloatHistogram {
        let b = buckets ?? [n]
        return FloatHistogram(counterResetHint: hint, schema: schema, count: n, sum: n,
                              positiveSpans: [.init(offset: 0, length: UInt32(b.count))], positiveBuckets: b)
    }

    @Test func counterSeries() throws {
        #expect(try hints([c(1), c(2), c(3)]) == [.unknown, .notCounterReset, .notCounterReset])
        // Decrease cuts a chunk; the first of a chunk reads back as unknown whatever it was appended with.
        #expect(try hints([c(5), c(10), c(2, .counterReset), c(6)]) == [.unknown, .notCounterReset, .unknown, .notCounterReset])
        #expect(try hints([c(5), c(10, .notCounterReset), c(2, .notCounterReset)]) == [.unknown, .notCounterReset, .unknown])
        // An explicit reset hint cuts even when counts grow.
        #expect(try hints([c(1), c(2, .counterReset), c(3)]) == [.unknown, .unknown, .notCounterReset])
        #expect(try hints([c(1, .notCounterReset)]) == [.unknown])
    }

    @Test func gaugesAndKindSwitches() throws {
        #expect(try hints([c(3, .gauge), c(1, .gauge), c(2, .gauge)]) == [.gauge, .gauge, .gauge])
        #expect(try hints([c(1), c(2, .gauge), c(3), c(4)]) == [.unknown, .gauge, .unknown, .notCounterReset])
    }

    @Test func bucketsAndLayout() throws {
        // A populated bucket disappearing is a reset; an empty one may disappear; new buckets may appear.
        #expect(try hints([c(2, buckets: [1, 1]), c(2, buckets: [2])]) == [.unknown, .unknown])
        #expect(try hints([c(1, buckets: [1, 0]), c(2, buckets: [2])]) == [.unknown, .notCounterReset])
        #expect(try hints([c(1, buckets: [1]), c(3, buckets: [1, 2])]) == [.unknown, .notCounterReset])
        #expect(try hints([c(2, buckets: [2, 0]), c(3, buckets: [1, 2])]) == [.unknown, .unknown])
        // Schema change cuts a chunk.
        #expect(try hints([c(1), c(2, schema: 1)]) == [.unknown, .unknown])
    }

    @Test func staleHistograms() throws {
        let head = Head()
        let l = Labels([("__name__", "h")])
        try head.appendHistogram(l, t: 0, h: c(1))
        try head.appendHistogram(l, t: 1, h: FloatHistogram(count: 7, sum: StaleNaN, positiveSpans: [.init(offset: 0, length: 1)], positiveBuckets: [7]))
        try head.appendHistogram(l, t: 2, h: c(2))
        let s = try #require(head.select([try LabelMatcher(.equal, "__name__", "h")], mint: 0, maxt: 10).first)
        let hs = s.histogramSamples(in: 0...10).map(\.h)
        #expect(hs.count == 3)
        #expect(isStaleNaN(hs[1].sum) && hs[1].count == 0 && hs[1].positiveBuckets.isEmpty)
        #expect(hs.map(\.counterResetHint) == [.unknown, .unknown, .unknown])
    }
}
