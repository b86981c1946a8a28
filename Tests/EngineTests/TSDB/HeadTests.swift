import Testing
import TestSupport
@testable import Engine
import TestSupport

func tsdbLabels(_ pairs: (String, String)...) -> Labels { Labels(pairs) }

@Suite struct HeadTests {
    @Test func appendAndSelectSorted() throws {
        let head = Head()
        var app = head.appender()
        let names = ["b", "a", "c"]
        for (i, n) in names.enumerated() {
            for k in 0..<300 {
                try app.append(tsdbLabels(("__name__", "m"), ("job", n)), t: Int64(k) * 15_000, v: Double(k * (i + 1)))
            }
        }
        #expect(head.select([try LabelMatcher(.equal, "__name__", "m")], mint: 0, maxt: .max).isEmpty)
        app.commit()
        let res = head.select([try LabelMatcher(.equal, "__name__", "m")], mint: 0, maxt: .max)
        #expect(res.map { $0.labels["job"] ?? "" } == ["a", "b", "c"])
        let b = res[1]
        let s = b.samples(in: 15_000...45_000)
        #expect(s.map(\.t) == [15_000, 30_000, 45_000])
        #expect(s.compactMap(\.float) == [1, 2, 3])
        #expect(b.samples.count == 300)
        let stats = head.stats
        #expect(stats.numSeries == 3)
        #expect(stats.numSamples == 900)
        #expect(stats.numChunks == 9)  // 300 samples → 120 + 120 + 60
        #expect(stats.minTime == 0 && stats.maxTime == 299 * 15_000)
    }

    /// `select` sorts by ranks the head caches; series created later or a cleared head (between selects, in any
    /// label order, small and large selections) still come back in label order.
    @Test func selectStaysSortedAsSeriesComeAndGo() throws {
        var rng = TestRNG(seed: 11)
        let head = Head()
        let all = try LabelMatcher(.equal, "__name__", "m")
        var jobs: [String] = []
        for round in 0..<12 {
            if round == 6 {
                head.clear()
                jobs = []
            }
            for _ in 0..<Int.random(in: 1...25, using: &rng) {
                let job = "j\(Int.random(in: 0...999, using: &rng))"
                try head.append(tsdbLabels(("__name__", "m"), ("job", job)), t: Int64(round), v: 1)
                if !jobs.contains(job) { jobs.append(job) }
            }
            let want = jobs.sorted { tsdbUTF8Less($0, $1) }
            #expect(head.select([all], mint: .min, maxt: .max).map { $0.labels["job"] ?? "" } == want)
            let few = try LabelMatcher(.regexMatch, "job", "j1.*")
            #expect(head.select([all, few], mint: .min, maxt: .max).map { $0.labels["job"] ?? "" } == want.filter { $0.hasPrefix("j1") })
        }
    }

    @Test func selectRangeClipsAndDropsEmptySeries() throws {
        let head = Head()
        try head.append(tsdbLabels(("__name__", "x"), ("i", "1")), t: 0, v: 1)
        try head.append(tsdbLabels(("__name__", "x"), ("i", "1")), t: 100, v: 2)
        try head.append(tsdbLabels(("__name__", "x"), ("i", "2")), t: 50, v: 3)
        let m = [try LabelMatcher(.equal, "__name__", "x")]
        let r = head.select(m, mint: 40, maxt: 60)
        #expect(r.map { $0.labels["i"] } == ["2"])
        #expect(r.first?.samples.map(\.t) == [50])
        #expect(head.select(m, mint: 101, maxt: 200).isEmpty)
        #expect(head.select(m, mint: 0, maxt: 100).count == 2)
    }

    @Test func seekSemantics() throws {
        let head = Head()
        for k in 0..<1000 { try head.append(tsdbLabels(("a", "b")), t: Int64(k) * 10, v: Double(k)) }
        let s = try #require(head.select([try LabelMatcher(.equal, "a", "b")], mint: .min, maxt: .max).first)
        var it = s.makeIterator()
        do { let r = it.seek(to: 5005); #expect(r) }
        #expect(it.at().t == 5010 && it.at().v == 501)
        do { let r = it.seek(to: 10); #expect(r) }  // never moves backwards
        #expect(it.at().t == 5010)
        do { let r = it.next(); #expect(r) }
        #expect(it.at().t == 5020)
        do { let r = it.seek(to: 9990); #expect(r) }
        #expect(it.at().v == 999)
        do { let r = it.next(); #expect(!r) }
        var it2 = s.makeIterator()
        do { let r = it2.seek(to: 9991); #expect(!r) }
        var it3 = s.makeIterator()
        var n = 0
        while it3.next() { n += 1 }
        #expect(n == 1000)
    }

    @Test func outOfOrderAndDuplicates() throws {
        let head = Head()
        let l = tsdbLabels(("__name__", "m"))
        try head.append(l, t: 100, v: 1)
        #expect(throws: TSDBError.outOfOrderSample(timestamp: 99)) { try head.append(l, t: 99, v: 1) }
        #expect("\(TSDBError.outOfOrderSample(timestamp: 99))" == "out of order sample")
        #expect(throws: TSDBError.duplicateSample(timestamp: 100, existing: 1, new: 2)) { try head.append(l, t: 100, v: 2) }
        #expect("\(TSDBError.duplicateSample(timestamp: 100, existing: 1, new: 2.5))"
            == "duplicate sample for timestamp 100; overrides not allowed: existing 1, new value 2.5")
        try head.append(l, t: 100, v: 1)  // identical duplicate is fine and not stored twice
        #expect(head.stats.numSamples == 1)
        // Within one appender batch as well.
        var app = head.appender()
        try app.append(l, t: 200, v: 1)
        var caught: TSDBError?
        do { try app.append(l, t: 150, v: 1) } catch { caught = error }
        #expect(caught == .outOfOrderSample(timestamp: 150))
        do { try app.append(l, t: 200, v: 3) } catch { caught = error }
        #expect(caught == .duplicateSample(timestamp: 200, existing: 1, new: 3))
        app.commit()
        #expect(head.stats.numSamples == 2)
        // NaN duplicates compare by bits.
        try head.append(l, t: 300, v: .nan)
        try head.append(l, t: 300, v: .nan)
        #expect(throws: TSDBError.self) { try head.append(l, t: 300, v: StaleNaN) }
    }

    @Test func staleMarkersStoredExactly() throws {
        let head = Head()
        let l = tsdbLabels(("__name__", "m"))
        try head.append(l, t: 0, v: 1)
        try head.append(l, t: 15, v: StaleNaN)
        try head.append(l, t: 30, v: .nan)
        try head.append(l, t: 45, v: 2)
        let s = try #require(head.select([try LabelMatcher(.equal, "__name__", "m")], mint: 0, maxt: 100).first)
        let vals = s.samples.compactMap(\.float)
        #expect(vals.count == 4)
        #expect(isStaleNaN(vals[1]))
        #expect(vals[2].isNaN && !isStaleNaN(vals[2]))
    }

    @Test func rollbackRemovesNewEmptySeries() throws {
        let head = Head()
        try head.append(tsdbLabels(("a", "1")), t: 0, v: 1)
        var app = head.appender()
        try app.append(tsdbLabels(("a", "2")), t: 0, v: 1)
        try app.append(tsdbLabels(("a", "1")), t: 10, v: 1)
        app.rollback()
        #expect(head.labelValues("a") == ["1"])
        #expect(head.stats.numSeries == 1)
        #expect(head.stats.numSamples == 1)
    }

    @Test func emptyLabelsRejectedAndClear() throws {
        let head = Head()
        #expect(throws: TSDBError.emptyLabelSet) { try head.append(Labels(), t: 0, v: 1) }
        let r1 = try head.append(tsdbLabels(("a", "1")), t: 0, v: 1)
        #expect(head.ref(for: tsdbLabels(("a", "1"))) == r1)
        head.clear()
        #expect(head.stats == HeadStats(numSeries: 0, numSamples: 0, numChunks: 0, chunkBytes: 0, minTime: nil, maxTime: nil))
        #expect(head.labelNames().isEmpty)
        let r2 = try head.append(tsdbLabels(("a", "1")), t: 0, v: 1)
        #expect(r2 != r1)
        try head.append(ref: r2, t: 10, v: 2)
        #expect(throws: TSDBError.unknownSeriesRef(r1)) { try head.append(ref: r1, t: 20, v: 2) }
    }

    @Test func labelNamesAndValues() throws {
        let head = Head()
        try head.append(tsdbLabels(("__name__", "up"), ("job", "a"), ("instance", "x")), t: 0, v: 1)
        try head.append(tsdbLabels(("__name__", "up"), ("job", "b")), t: 0, v: 1)
        try head.append(tsdbLabels(("__name__", "down"), ("job", "c"), ("zone", "z")), t: 0, v: 1)
        #expect(head.labelNames() == ["__name__", "instance", "job", "zone"])
        #expect(head.labelNames(matchers: [try LabelMatcher(.equal, "__name__", "up")]) == ["__name__", "instance", "job"])
        #expect(head.labelValues("job") == ["a", "b", "c"])
        #expect(head.labelValues("job", matchers: [try LabelMatcher(.equal, "__name__", "up")]) == ["a", "b"])
        #expect(head.labelValues("instance", matchers: [try LabelMatcher(.equal, "job", "b")]).isEmpty)
        #expect(head.labelValues("nope").isEmpty)
    }
}

@Suite struct SeriesLookupTests {
    @Test func lastSampleMatchesLinearScan() throws {
        let head = Head()
        var rng = TestRNG(seed: 11)
        var t: Int64 = -50_000
        var ts: [Int64] = []
        for _ in 0..<700 {
            t += Int64.random(in: 1...40_000, using: &rng)
            ts.append(t)
            try head.append(tsdbLabels(("a", "b")), t: t, v: Double(t))
        }
        let s = try #require(head.select([try LabelMatcher(.equal, "a", "b")], mint: .min, maxt: .max).first)
        for _ in 0..<300 {
            let hi = Int64.random(in: -100_000...(t + 100_000), using: &rng)
            let lo = hi - Int64.random(in: 0...300_000, using: &rng)
            let expected = ts.last { $0 >= lo && $0 <= hi }
            let got = s.lastSample(in: lo...hi)
            #expect(got?.t == expected, "\(lo)...\(hi)")
            if let e = expected { #expect(got?.float == Double(e)) }
        }
        // A narrower select bounds lookups too.
        let clipped = try #require(head.select([try LabelMatcher(.equal, "a", "b")], mint: ts[10], maxt: ts[20]).first)
        #expect(clipped.lastSample(in: ts[0]...ts[30])?.t == ts[20])
        #expect(clipped.lastSample(in: ts[0]...ts[5]) == nil)
    }
}

@Suite struct HashCollisionTests {
    @Test func everySeriesInOneBucket() throws {
        let head = Head(labelHash: { _ in 42 })
        var refs: [String: SeriesRef] = [:]
        for i in 0..<50 {
            refs["\(i)"] = try head.append(tsdbLabels(("__name__", "m"), ("i", "\(i)")), t: 0, v: Double(i))
        }
        #expect(Set(refs.values).count == 50)
        for i in 0..<50 {
            #expect(try head.append(tsdbLabels(("__name__", "m"), ("i", "\(i)")), t: 10, v: Double(i)) == refs["\(i)"])
            #expect(head.ref(for: tsdbLabels(("__name__", "m"), ("i", "\(i)"))) == refs["\(i)"])
        }
        #expect(head.ref(for: tsdbLabels(("__name__", "m"), ("i", "x"))) == nil)
        var app = head.appender()
        try app.append(tsdbLabels(("__name__", "m"), ("i", "new")), t: 0, v: 1)
        app.rollback()
        #expect(head.ref(for: tsdbLabels(("__name__", "m"), ("i", "new"))) == nil)
        let s = head.select([try LabelMatcher(.equal, "i", "7")], mint: 0, maxt: 10)
        #expect(s.count == 1 && s.first?.samples.compactMap(\.float) == [7, 7])
        #expect(head.stats.numSeries == 50 && head.stats.numSamples == 100)
    }

    @Test func stableHashIsStableAndSeparatesFields() {
        // FNV-1a over name 0xff value 0xff: moving bytes between name and value changes the hash.
        #expect(Labels([("ab", "c")]).stableHash != Labels([("a", "bc")]).stableHash)
        #expect(Labels([("a", "b")]).stableHash == Labels([("a", "b")]).stableHash)
        #expect(Labels().stableHash == 0xcbf2_9ce4_8422_2325)
    }
}

@Suite struct HeadConcurrencyTests {
    @Test func concurrentAppendersAndReaders() async throws {
        let head = Head()
        let matcher = try LabelMatcher(.equal, "__name__", "c")
        await withTaskGroup(of: Void.self) { group in
            for w in 0..<4 {
                group.addTask {
                    var app = head.appender()
                    for k in 0..<500 {
                        for s in 0..<10 {
                            _ = try? app.append(tsdbLabels(("__name__", "c"), ("w", "\(w)"), ("s", "\(s)")), t: Int64(k), v: Double(k))
                        }
                        if k % 50 == 49 { app.commit() }
                    }
                    app.commit()
                }
            }
            group.addTask {
                for _ in 0..<50 {
                    for s in head.select([matcher], mint: 0, maxt: 1000) {
                        var it = s.makeIterator()
                        var last = Int64.min
                        while it.next() {
                            #expect(it.atT() > last)
                            last = it.atT()
                        }
                    }
                }
            }
        }
        #expect(head.stats.numSeries == 40)
        #expect(head.stats.numSamples == 40 * 500)
        #expect(head.select([matcher], mint: 0, maxt: 1000).allSatisfy { $0.samples.count == 500 })
    }
}

@Suite struct ByteExactLabelTests {
    @Test func canonicallyEquivalentValuesStayApart() throws {
        let composed = "\u{E9}"  // é
        let decomposed = "e\u{301}"  // e + combining acute: == composed for Swift, different bytes for Prometheus
        #expect(composed == decomposed)
        let head = Head(labelHash: { _ in 1 })  // same bucket, so identity must not rely on the hash
        let r1 = try head.append(Labels([("a", composed)]), t: 0, v: 1)
        let r2 = try head.append(Labels([("a", decomposed)]), t: 0, v: 2)
        #expect(r1 != r2)
        #expect(head.stats.numSeries == 2)
        #expect(head.labelValues("a").count == 2)
        #expect(head.postings([try LabelMatcher(.equal, "a", composed)]) == [r1])
        #expect(head.postings([try LabelMatcher(.regexMatch, "a", "\(decomposed)|x")]) == [r2])
        #expect(head.postings([try LabelMatcher(.notEqual, "a", composed)]) == [r2])
    }
}
