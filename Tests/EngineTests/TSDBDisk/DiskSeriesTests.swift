import Testing
import TestSupport
@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// `TSDBDirectory.select` reading series in place from block files: blocks that overlap each other and the head
/// merged with one sample per timestamp, tombstones applied, chunks partly inside the window trimmed, histogram
/// chunks decoded — through every way the evaluator reads a series (`forEachSample`, the iterator with `seek`,
/// `lastSample`) and through PromQL against the same samples held in an in-memory head.
@Suite struct DiskSeriesTests {
    static func temporaryDirectory() throws -> String {
        var template = Array("/tmp/disk-series-test-XXXXXX".utf8CString)
        let made: String? = template.withUnsafeMutableBufferPointer { buf -> String? in
            guard let base = buf.baseAddress, let p = mkdtemp(base) else { return nil }
            return String(cString: p)
        }
        return try #require(made)
    }

    /// A Prometheus XOR chunk of `samples`.
    static func xor(_ samples: [(Int64, Double)]) throws -> BlockChunk {
        var e = XORChunkEncoder()
        for (t, v) in samples {
            let appended = e.append(t: t, v: v)
            try #require(appended)
        }
        let first = try #require(samples.first), last = try #require(samples.last)
        return BlockChunk(minTime: first.0, maxTime: last.0, encoding: 1, data: e.bytes, sampleCount: samples.count)
    }

    /// Writes a block of `series` (given sorted by labels) into `dir`; returns its path.
    @discardableResult
    static func block(_ dir: String, _ series: [(labels: [(name: String, value: String)], chunks: [BlockChunk])],
                      minTime: Int64, maxTime: Int64) throws -> String {
        var list = series.map { BlockSeries(labels: $0.labels, chunks: $0.chunks) }
        return try #require(try BlockWriter.write(series: &list, minTime: minTime, maxTime: maxTime, into: dir)).path
    }

    static func m(_ a: String) -> [(name: String, value: String)] { [("__name__", "m"), ("a", a)] }

    static func floats(_ s: Series) -> [(Int64, Double)] {
        var out: [(Int64, Double)] = []
        s.forEachSample(in: s.mint...s.maxt) { out.append(($0, $1)) } histogram: { t, _ in out.append((t, .nan)) }
        return out
    }

    static func iterated(_ s: Series) -> [(Int64, Double)] { s.samples.map { ($0.t, $0.float ?? .nan) } }

    static func same(_ a: [(Int64, Double)], _ b: [(Int64, Double)]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    /// A head holding `series` as given.
    static func head(_ series: [(labels: [(name: String, value: String)], samples: [(Int64, Double)])]) throws -> Head {
        let h = Head()
        var app = h.appender()
        for s in series {
            for (t, v) in s.samples { _ = try app.append(Labels(s.labels.map { ($0.name, $0.value) }), t: t, v: v) }
        }
        app.commit()
        return h
    }

    static func matrix(_ r: QueryResult) -> [(String, [FPoint])] {
        guard case .matrix(let m) = r.value else { return [] }
        return m.map { ("\($0.labels)", $0.floats) }
    }

    static func steps(_ from: Int64, _ to: Int64, _ step: Int64, _ v: (Int64) -> Double) -> [(Int64, Double)] {
        stride(from: from, through: to, by: Int(step)).map { ($0, v($0)) }
    }

    @Test func rangeQueryAcrossOverlappingBlocksAndHead() throws {
        let dir = try Self.temporaryDirectory()
        let a1 = Self.steps(0, 60_000, 10_000) { Double($0) / 1000 }
        let b1 = Self.steps(30_000, 90_000, 10_000) { Double($0) / 1000 + 0.5 }
        let b2 = Self.steps(30_000, 90_000, 10_000) { Double($0) / 1000 + 0.75 }
        try Self.block(dir, [(Self.m("1"), [try Self.xor(a1)])], minTime: 0, maxTime: 100_000)
        try Self.block(dir, [(Self.m("1"), [try Self.xor(b1)]), (Self.m("2"), [try Self.xor(b2)])], minTime: 30_000, maxTime: 130_000)
        let h1 = Self.steps(80_000, 120_000, 10_000) { Double($0) / 1000 + 0.25 }
        let h3 = Self.steps(100_000, 120_000, 10_000) { Double($0) / 1000 }
        let head = try Self.head([(Self.m("1"), h1), (Self.m("3"), h3)])
        let tsdb = try TSDBDirectory(path: dir, head: head)
        #expect(tsdb.blocks.count == 2)

        // Equal timestamps keep the first source in block order (older block first, head last).
        let want1 = a1 + b1.filter { $0.0 > 60_000 } + h1.filter { $0.0 > 90_000 }
        let selected = tsdb.select([try LabelMatcher(.equal, "__name__", "m")], mint: 0, maxt: 200_000)
        #expect(selected.map { $0.labels["a"] ?? "" } == ["1", "2", "3"])
        try #require(selected.count == 3)
        #expect(Self.same(Self.floats(selected[0]), want1))
        #expect(Self.same(Self.iterated(selected[0]), want1))
        #expect(Self.same(Self.floats(selected[1]), b2) && Self.same(Self.floats(selected[2]), h3))
        #expect(selected[0].lastSample(in: 0...95_000)?.t == 90_000 && selected[0].lastSample(in: 0...95_000)?.float == 90.5)
        #expect(selected[0].lastSample(in: 61_000...69_000) == nil)
        var it = selected[0].makeIterator()
        var moved = it.seek(to: 75_000)
        #expect(moved && it.at().t == 80_000 && it.at().v == 80.5)
        moved = it.seek(to: 75_000)
        #expect(moved && it.at().t == 80_000)
        moved = it.next()
        #expect(moved && it.at().t == 90_000)
        moved = it.next()
        #expect(moved && it.at().v == 100.25)

        // PromQL over the directory answers as over a head holding the merged samples.
        let oracle = try Self.head([(Self.m("1"), want1), (Self.m("2"), b2), (Self.m("3"), h3)])
        let engine = PromQLEngine()
        for q in ["m", "rate(m[30s])", "max_over_time(m[25s])", "sum(m)"] {
            let ours = Self.matrix(try engine.rangeQuery(q, start: 0, end: 130_000, step: 5_000, source: tsdb))
            let want = Self.matrix(try engine.rangeQuery(q, start: 0, end: 130_000, step: 5_000, source: oracle))
            #expect(ours.map(\.0) == want.map(\.0), "\(q)")
            #expect(ours.map(\.1) == want.map(\.1), "\(q)")
            let instant = try engine.instantQuery(q, at: 95_000, source: tsdb)
            let instantWant = try engine.instantQuery(q, at: 95_000, source: oracle)
            if case .vector(let x) = instant.value, case .vector(let y) = instantWant.value {
                #expect(x.map(\.f) == y.map(\.f), "\(q)")
            } else {
                Issue.record("\(q): not a vector")
            }
        }
        #expect(tsdb.readError == nil)
    }

    /// `select` merges the blocks' series by label order, which Prometheus's indexes keep; an index listing its
    /// series in another order (written here on purpose) still gives every series once, sorted, its samples from
    /// every block.
    @Test func blocksWhoseSeriesAreOutOfLabelOrder() throws {
        // The older block (read first) or the newer one lists its series in reverse.
        for reverseOlder in [true, false] {
            let dir = try Self.temporaryDirectory()
            let early = Self.steps(0, 40_000, 10_000) { Double($0) }
            let late = Self.steps(50_000, 90_000, 10_000) { Double($0) }
            var older: [(labels: [(name: String, value: String)], chunks: [BlockChunk])] = try ["1", "2", "3"].map { (Self.m($0), [try Self.xor(early)]) }
            var newer: [(labels: [(name: String, value: String)], chunks: [BlockChunk])] = try ["1", "2", "4"].map { (Self.m($0), [try Self.xor(late)]) }
            if reverseOlder { older.reverse() } else { newer.reverse() }
            try Self.block(dir, older, minTime: 0, maxTime: 50_000)
            try Self.block(dir, newer, minTime: 50_000, maxTime: 100_000)
            let tsdb = try TSDBDirectory(path: dir)
            let selected = tsdb.select([try LabelMatcher(.equal, "__name__", "m")], mint: 0, maxt: 100_000)
            #expect(selected.map { $0.labels["a"] ?? "" } == ["1", "2", "3", "4"])
            try #require(selected.count == 4)
            #expect(Self.same(Self.floats(selected[0]), early + late) && Self.same(Self.floats(selected[1]), early + late))
            #expect(Self.same(Self.floats(selected[2]), early) && Self.same(Self.floats(selected[3]), late))
            #expect(tsdb.readError == nil)
        }
    }

    @Test func tombstonedRangesAreSkipped() throws {
        let dir = try Self.temporaryDirectory()
        let s1 = Self.steps(0, 90_000, 10_000) { Double($0) }
        let s2 = Self.steps(0, 20_000, 10_000) { Double($0) }
        let path = try Self.block(dir, [(Self.m("1"), [try Self.xor(s1)]), (Self.m("2"), [try Self.xor(s2)])], minTime: 0, maxTime: 100_000)
        let index = try IndexReader(path: path + "/index")
        let ref1 = try #require(try index.postings("a", "1").first), ref2 = try #require(try index.postings("a", "2").first)
        try OutputFile.create(path + "/tombstones",
                              contents: TombstonesTests.file([(ref1, 20_000, 40_000), (ref1, 80_000, 100_000), (ref2, 0, 30_000)]))
        let tsdb = try TSDBDirectory(path: dir)
        let selected = tsdb.select([try LabelMatcher(.equal, "__name__", "m")], mint: 0, maxt: 100_000)
        // Every sample of a="2" is deleted: the series is not selected at all.
        try #require(selected.count == 1)
        let want = s1.filter { !(20_000...40_000).contains($0.0) && !(80_000...100_000).contains($0.0) }
        #expect(Self.same(Self.floats(selected[0]), want) && Self.same(Self.iterated(selected[0]), want))
        #expect(selected[0].lastSample(in: 0...95_000)?.t == 70_000)
        #expect(selected[0].lastSample(in: 25_000...35_000) == nil)
        let oracle = try Self.head([(Self.m("1"), want)])
        let engine = PromQLEngine()
        let q = "count_over_time(m[25s])"
        #expect(Self.matrix(try engine.rangeQuery(q, start: 0, end: 100_000, step: 5_000, source: tsdb)).map(\.1)
                == Self.matrix(try engine.rangeQuery(q, start: 0, end: 100_000, step: 5_000, source: oracle)).map(\.1))
    }

    @Test func chunksPartlyInsideTheWindowAreTrimmed() throws {
        let dir = try Self.temporaryDirectory()
        let chunks = try [0, 10_000, 20_000].map { (start: Int64) in
            try Self.xor(Self.steps(start, start + 9_000, 1_000) { Double($0) })
        }
        // A chunk straddling the window with no sample inside it.
        let sparse = try Self.xor([(0, 1), (100_000, 2)])
        try Self.block(dir, [(Self.m("1"), chunks), (Self.m("2"), [sparse])], minTime: 0, maxTime: 100_001)
        let tsdb = try TSDBDirectory(path: dir)
        let selected = tsdb.select([try LabelMatcher(.equal, "__name__", "m")], mint: 15_000, maxt: 22_500)
        try #require(selected.count == 1)
        let want = Self.steps(15_000, 22_000, 1_000) { Double($0) }
        #expect(Self.same(Self.floats(selected[0]), want) && Self.same(Self.iterated(selected[0]), want))
        var collected: [Int64] = []
        selected[0].forEachSample(in: 0...1_000_000) { t, _ in collected.append(t) } histogram: { _, _ in }
        #expect(collected == want.map(\.0))
        var it = selected[0].makeIterator()
        let moved = it.seek(to: 21_500)
        #expect(moved && it.at().t == 22_000)
        let more = it.next()
        #expect(!more)
        #expect(selected[0].lastSample(in: 0...18_500)?.t == 18_000)
        #expect(tsdb.select([try LabelMatcher(.equal, "a", "2")], mint: 50_000, maxt: 60_000).isEmpty)
        #expect(tsdb.select([try LabelMatcher(.equal, "a", "2")], mint: 50_000, maxt: 100_000).count == 1)
    }

    @Test func histogramChunksAreReadInPlace() throws {
        let dir = try Self.temporaryDirectory()
        let chunk = BlockChunk(minTime: 1000, maxTime: 1015, encoding: 2, data: ChunkencTests.integerHistogramChunk(), sampleCount: 2)
        try Self.block(dir, [([("__name__", "h")], [chunk])], minTime: 1000, maxTime: 2000)
        let head = Head()
        var app = head.appender()
        _ = try app.appendHistogram(Labels([("__name__", "h")]), t: 2000,
                                    h: FloatHistogram(schema: 0, count: 9, sum: 8, positiveSpans: [.init(offset: 0, length: 2)],
                                                      positiveBuckets: [4, 5]))
        app.commit()
        let tsdb = try TSDBDirectory(path: dir, head: head)
        let selected = tsdb.select([try LabelMatcher(.equal, "__name__", "h")], mint: 0, maxt: 3000)
        try #require(selected.count == 1)
        var counts: [(Int64, Double)] = []
        selected[0].forEachSample(in: 0...3000) { t, _ in counts.append((t, .nan)) } histogram: { counts.append(($0, $1.count)) }
        #expect(Self.same(counts, [(1000, 5), (1015, 8), (2000, 9)]))
        #expect(selected[0].samples.compactMap { $0.histogram?.count } == [5, 8, 9])
        #expect(selected[0].lastSample(in: 0...1500)?.histogram?.positiveBuckets == [3, 5])
        let r = try PromQLEngine().rangeQuery("h", start: 1000, end: 1015, step: 15, source: tsdb)
        guard case .matrix(let m) = r.value else {
            Issue.record("not a matrix")
            return
        }
        #expect(m.count == 1 && m.first?.histograms.map(\.h.count) == [5, 8])
    }

    @Test func aCorruptChunkIsAReadErrorNamingTheFile() throws {
        let dir = try Self.temporaryDirectory()
        let path = try Self.block(dir, [(Self.m("1"), [try Self.xor(Self.steps(0, 9_000, 1_000) { Double($0) })])], minTime: 0, maxTime: 10_000)
        let segment = path + "/chunks/000001"
        var bytes = try MappedFile(path: segment).withBytes { Array($0) }
        bytes[bytes.count - 6] ^= 0xFF
        try OutputFile.create(segment, contents: bytes)
        let tsdb = try TSDBDirectory(path: dir)
        let selected = tsdb.select([try LabelMatcher(.equal, "__name__", "m")], mint: 0, maxt: 10_000)
        for s in selected { _ = Self.floats(s) }
        let e = try #require(tsdb.readError)
        #expect(e.path == segment)
    }
}
