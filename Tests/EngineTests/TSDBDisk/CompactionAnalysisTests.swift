#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import Engine

/// `tsdb analyze --extended` as promtool 3.14 prints it (cmd/promtool/tsdb.go `analyzeCompaction`,
/// `displayHistogram`, `generateBucket`); expectations worked out by hand from that code.
@Suite struct CompactionAnalysisTests {
    @Test func bucketRangeFollowsGenerateBucket() {
        // step: 10, 100, … while below a tenth of the range, at most 100 000; range widened to whole steps.
        #expect(CompactionAnalysis.bucketRange(60, 120) == (60, 130, 10))
        #expect(CompactionAnalysis.bucketRange(120, 120) == (120, 130, 10))
        #expect(CompactionAnalysis.bucketRange(5, 995) == (0, 1000, 100))
        #expect(CompactionAnalysis.bucketRange(0, 101) == (0, 110, 10))
        #expect(CompactionAnalysis.bucketRange(7, 50_000_000) == (0, 50_100_000, 100_000))
    }

    @Test func histogramRowsArePaddedAndScaledToAllChunks() {
        // 60 → bucket 0, 120 ×3 → bucket 6; widths: len("130"), len("140"), len("3"); # per whole percent of 5.
        let text = CompactionAnalysis.histogram("samples per float chunk", [120, 60, 120, 120], total: 5)
        let hashes = { (n: Int) in String(repeating: "#", count: n) }
        #expect(text == """
            samples per float chunk (min/avg/max): 60/105/120
            [ 61,  70]: 1 \(hashes(20))
            [ 71,  80]: 0 
            [ 81,  90]: 0 
            [ 91, 100]: 0 
            [101, 110]: 0 
            [111, 120]: 0 
            [121, 130]: 3 \(hashes(60))
            [131, 140]: 0 


            """)
    }

    @Test func emptyListIsNotAvailable() {
        #expect(CompactionAnalysis.histogram("buckets per histogram chunk", [], total: 3) == "buckets per histogram chunk: N/A\n\n")
    }

    @Test func wideCountsGetWideColumns() {
        // 12 values of 9 and one of 95: step 10, buckets [0,10)…[90,100); count column 2 wide.
        let text = CompactionAnalysis.histogram("bytes per float chunk", Array(repeating: 9, count: 12) + [95], total: 13)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "bytes per float chunk (min/avg/max): 9/15/95")
        #expect(lines[1] == "[  1,  10]: 12 " + String(repeating: "#", count: 92))
        #expect(lines[10] == "[ 91, 100]:  1 " + String(repeating: "#", count: 7))
        #expect(lines[11] == "[101, 110]:  0 ")
        #expect(lines.count == 14 && lines[12].isEmpty && lines[13].isEmpty)
    }

    /// The 2-sample integer histogram chunk of ChunkencTests.integerHistogramChunkDecodes: 1 positive span of
    /// 2 buckets, so 2 buckets per sample.
    static let histogramChunk: [UInt8] = [
        0x00, 0x02, 0x00, 0x00, 0x46, 0x47, 0x8F, 0xA2, 0xA4, 0x01, 0xE0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x47, 0x1F, 0x32, 0x31,
    ]

    /// A block's `chunks/` with one empty segment (just its header): what error messages name.
    static func chunkDirectory() throws -> (String, ChunkSegmentReader) {
        let dir = try OpenMetricsBackfillTests.workspace("")
        #expect(mkdir(dir + "/chunks", 0o755) == 0)
        try OutputFile.create(dir + "/chunks/000001", contents: [0x85, 0xBD, 0x40, 0xDD, 1, 0, 0, 0])
        return (dir, try ChunkSegmentReader(directory: dir + "/chunks"))
    }

    @Test func chunksAreCountedByKind() throws {
        let (_, chunks) = try Self.chunkDirectory()
        var a = CompactionAnalysis()
        try a.add(encoding: .xor, bytes: ChunkencTests.xorChunk(), at: 8, in: chunks)
        try a.add(encoding: .xor2, bytes: [0, 7, 1, 2, 3], at: 8, in: chunks)
        try a.add(encoding: .histogram, bytes: Self.histogramChunk, at: 8, in: chunks)
        #expect(a.totalChunks == 3)
        #expect(a.floatChunkSamples == [4, 7] && a.floatChunkBytes == [ChunkencTests.xorChunk().count, 5])
        #expect(a.histogramChunkSamples == [2] && a.histogramChunkBytes == [21] && a.histogramChunkBuckets == [4])
        #expect(a.text.hasPrefix("\nCompaction analysis:\n\nsamples per float chunk (min/avg/max): 4/5/7\n[ 1, 10]: 2 "
            + String(repeating: "#", count: 66) + "\n[11, 20]: 0 \n\n"))
        #expect(a.text.hasSuffix("\nbuckets per histogram chunk (min/avg/max): 4/4/4\n[ 1, 10]: 1 "
            + String(repeating: "#", count: 33) + "\n[11, 20]: 0 \n\n"))
        #expect(a.json.contains("\"totalChunks\":3,\"samplesPerFloatChunk\":{\"chunks\":2,\"min\":4,\"avg\":5,\"max\":7}"))
    }

    @Test func undecodableChunksAreErrorsNamingTheSegment() throws {
        let (dir, chunks) = try Self.chunkDirectory()
        var a = CompactionAnalysis()
        do {
            try a.add(encoding: .xor, bytes: [1], at: 1 << 32 | 40, in: chunks)
            Issue.record("a 1-byte chunk was counted")
        } catch {
            #expect(error == DiskFormatError(path: dir + "/chunks/?", offset: 40, reason: "XOR chunk shorter than its 2-byte sample count"))
        }
        do {
            try a.add(encoding: .histogram, bytes: Array(Self.histogramChunk.prefix(10)), at: 8, in: chunks)
            Issue.record("a truncated histogram chunk decoded")
        } catch {
            #expect(error.path == dir + "/chunks/000001" && error.offset == 8 && error.reason.hasPrefix("decode histogram chunk:"))
        }
        do {
            try a.add(encoding: .histogramST, bytes: [0, 1, 0], at: 8, in: chunks)
            Issue.record("a histogramST chunk was counted")
        } catch {
            #expect(error.reason == "decode histogramST chunk: unsupported chunk encoding histogramST")
        }
    }
}
