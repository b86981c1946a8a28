import Testing
@testable import Engine

/// `tsdb analyze` as a library over a block our writer wrote: every figure worked out by hand, with and without
/// a matcher, and the symbol-ID reading of the index agreeing with the string one. (The same figures against
/// promtool 2.42 on promtool-written blocks: QueryTests' TSDBReadOracleTests.)
@Suite struct TSDBAnalyzeTests {
    /// One block over [3600 s, 3720 s]: `up` of job a twice (one series starting late), `go_x` of job b once.
    static func block() throws -> Block {
        let r = try OpenMetricsBackfillTests.run("""
            up{job="a",inst="1"} 1 3600
            up{job="a",inst="1"} 1 3660
            up{job="a",inst="1"} 1 3720
            up{job="a",inst="2"} 1 3660
            up{job="a",inst="2"} 1 3720
            go_x{job="b"} 5 3600
            # EOF

            """)
        #expect(r.error == nil)
        let written = try #require(r.blocks.first)
        return try Block(directory: written.path)
    }

    static func rows(_ l: [TSDBReport.Entry]) -> [String] { l.map { "\($0.value) \($0.key)" } }

    @Test func figuresOfTheWholeBlock() throws {
        let a = try TSDBReport.analyze(try Self.block(), matchers: nil, matcherText: nil, limit: 20)
        // Range 120 001 ms; uncovered: inst=1 1 ms, inst=2 60 001 ms, go_x 120 001 ms.
        #expect(a.durationMillis == 120_001 && a.totalSeries == 3 && a.matchedSeries == nil)
        #expect(a.labelNames == 3 && a.uniqueLabelPairs == 6 && a.labelPairEntries == 8)
        #expect(Self.rows(a.churningLabelPairs) == ["1 __name__=go_x", "1 job=b", "0 __name__=up", "0 inst=1", "0 inst=2", "0 job=a"])
        #expect(Self.rows(a.churningLabelNames) == ["1 __name__", "1 job", "0 inst"])
        #expect(Self.rows(a.commonLabelPairs) == ["2 __name__=up", "2 job=a", "1 __name__=go_x", "1 inst=1", "1 inst=2", "1 job=b"])
        #expect(Self.rows(a.valueLengthByLabelName) == ["6 __name__", "2 inst", "2 job"])
        #expect(Self.rows(a.cardinalityByLabelName) == ["2 __name__", "2 inst", "2 job"])
        #expect(Self.rows(a.cardinalityByMetricName) == ["2 up", "1 go_x"])
        #expect(Self.rows(a.seriesByJob) == ["2 a", "1 b"])
        #expect(Self.rows(a.seriesByMetricAndJob) == ["2 up{job=\"a\"}", "1 go_x{job=\"b\"}"])
        #expect(Self.rows(a.churningJobs) == ["1 b", "0 a"])
        #expect(a.compaction == nil)
    }

    @Test func figuresOfMatchedSeries() throws {
        let block = try Self.block()
        let a = try TSDBReport.analyze(block, matchers: [try LabelMatcher(.equal, "job", "a")], matcherText: "{job=\"a\"}", limit: 2,
                                       extended: true)
        #expect(a.matchedSeries == 2 && a.labelNames == 3 && a.uniqueLabelPairs == 4 && a.labelPairEntries == 6)
        // --limit 2 cuts every list; ties by key.
        #expect(Self.rows(a.commonLabelPairs) == ["2 __name__=up", "2 job=a"])
        #expect(Self.rows(a.valueLengthByLabelName) == ["2 __name__", "2 inst"])
        #expect(Self.rows(a.cardinalityByLabelName) == ["2 inst", "1 __name__"])
        #expect(Self.rows(a.cardinalityByMetricName) == ["2 up"])
        #expect(Self.rows(a.seriesByJob) == ["2 a"])
        let c = try #require(a.compaction)
        #expect(c.totalChunks == 2 && c.floatChunkSamples.sorted() == [2, 3] && c.histogramChunkSamples.isEmpty)
        let text = TSDBReport.analysisText(a)
        #expect(text.contains("Matcher: {job=\"a\"}\nLabel names: 3\nMatched series: 2\n"))
        #expect(text.contains("\n2 up\n\nCompaction analysis:\n\nsamples per float chunk (min/avg/max): 2/2/3\n[ 1, 10]: 2 "
            + String(repeating: "#", count: 100) + "\n[11, 20]: 0 \n\n"))
        #expect(TSDBReport.analysisJSON(a).contains("\"compaction\":{\"totalChunks\":2,"))
    }

    @Test func zeroLimitPrintsNoRows() throws {
        let a = try TSDBReport.analyze(try Self.block(), matchers: nil, matcherText: nil, limit: 0)
        #expect(a.commonLabelPairs.isEmpty && a.seriesByJob.isEmpty)
        #expect(TSDBReport.analysisText(a).hasSuffix("\nHighest cardinality metric names:\n"))
    }

    @Test func topKeepsEveryTieAtTheCutThenOrdersByKey() {
        let items: [(id: Int, value: UInt64)] = [(1, 5), (2, 3), (3, 3), (4, 9), (5, 3), (6, 1)]
        let names = ["", "e", "d", "c", "b", "a", "f"]
        #expect(TSDBReport.top(items, limit: 3) { names[$0] }.map(\.key) == ["b", "e", "a"])
        #expect(TSDBReport.top(items, limit: 10) { names[$0] }.map(\.key) == ["b", "e", "a", "c", "d", "f"])
        #expect(TSDBReport.top(items, limit: -1) { names[$0] }.isEmpty)
    }

    @Test func symbolIDsResolveToTheSeriesLabels() throws {
        let ir = try Self.block().index
        var seen: [UInt64] = []
        try ir.forEachPosting("", "") { (ref) throws(DiskFormatError) in seen.append(ref) }
        let all = try ir.allPostings()
        #expect(seen == all && seen.count == 3)
        var ids: [Int32] = []
        for ref in seen {
            let (labels, chunks) = try ir.series(ref)
            let span = try ir.seriesSymbols(ref, into: &ids)
            let resolved = stride(from: 0, to: ids.count, by: 2).map { "\(ir.symbol(id: Int(ids[$0])) ?? "?")=\(ir.symbol(id: Int(ids[$0 + 1])) ?? "?")" }
            #expect(resolved == labels.labels.map { "\($0.name)=\($0.value)" })
            #expect(span == IndexReader.ChunkSpan(count: chunks.count, minTime: chunks.first?.minTime ?? 0, maxTime: chunks.last?.maxTime ?? 0))
        }
        for id in 0..<ir.symbolCount { #expect(ir.symbolID(ir.symbol(id: id) ?? "") == id) }
        #expect(ir.symbolID("nope") == nil && ir.symbol(id: -1) == nil && ir.symbol(id: ir.symbolCount) == nil)
        #expect(throws: DiskFormatError.self) {
            var scratch: [Int32] = []
            _ = try ir.seriesSymbols(1 << 40, into: &scratch)
        }
    }

    /// 3.14 reads an index of version 3 exactly as version 2 (tsdb/index/index.go: only FormatV1 differs); a
    /// version it does not know is an error naming the file and offset 4.
    @Test func indexVersionThreeReadsAsTwoAndFourIsAnError() throws {
        let block = try Self.block()
        let expected = TSDBReport.analysisText(try TSDBReport.analyze(block, matchers: nil, matcherText: nil, limit: 20))
        let index = block.directory + "/index"
        try CorruptChunkDumpTests.rewrite(index) { $0[4] = 3 }
        let v3 = try Block(directory: block.directory)
        #expect(v3.index.version == 3)
        #expect(TSDBReport.analysisText(try TSDBReport.analyze(v3, matchers: nil, matcherText: nil, limit: 20)) == expected)
        try CorruptChunkDumpTests.rewrite(index) { $0[4] = 4 }
        let e = try #require(throws: DiskFormatError.self) { _ = try Block(directory: block.directory) }
        #expect(e.offset == 4 && "\(e)".contains("unknown index version 4") && "\(e)".contains(index))
    }
}
