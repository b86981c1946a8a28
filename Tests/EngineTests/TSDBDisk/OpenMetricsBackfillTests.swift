#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import Engine

/// `tsdb create-blocks-from openmetrics` as a library: ranges, Prometheus's append/commit semantics, errors
/// worded as promtool's, and the files of a written block. (Whole blocks are compared with the installed
/// promtool's in QueryTests' TSDBCreateBlocksProcessTests.)
@Suite struct OpenMetricsBackfillTests {
    /// A fresh temporary directory holding `input.om` with `text`.
    static func workspace(_ text: String) throws -> String {
        var template = Array("/tmp/backfill-test-XXXXXX".utf8CString)
        let made: String? = template.withUnsafeMutableBufferPointer { buf -> String? in
            guard let base = buf.baseAddress, let p = mkdtemp(base) else { return nil }
            return String(cString: p)
        }
        let dir = try #require(made)
        try OutputFile.create(dir + "/input.om", contents: Array(text.utf8))
        return dir
    }

    static func run(_ text: String, labels: [(name: String, value: String)] = [], maxDuration: Int64 = 0)
        throws -> (blocks: [WrittenBlock], error: String?, dir: String) {
        let dir = try workspace(text)
        var blocks: [WrittenBlock] = []
        do {
            try OpenMetricsBackfill(outputDirectory: dir + "/out", maxBlockDuration: maxDuration, extraLabels: labels)
                .run(inputPath: dir + "/input.om") { blocks.append($0) }
            return (blocks, nil, dir)
        } catch {
            return (blocks, error.message, dir)
        }
    }

    static func read(_ path: String) -> [UInt8] {
        guard let f = try? MappedFile(path: path) else { return [] }
        return f.withBytes { Array($0) }
    }

    @Test func blockDurationFollowsPromtool() {
        let h: Int64 = 3600 * 1000
        #expect(OpenMetricsBackfill.blockDuration(forMax: 0) == 2 * h)
        #expect(OpenMetricsBackfill.blockDuration(forMax: 3 * h) == 2 * h)
        #expect(OpenMetricsBackfill.blockDuration(forMax: 6 * h) == 6 * h)
        #expect(OpenMetricsBackfill.blockDuration(forMax: 24 * h) == 18 * h)
        #expect(OpenMetricsBackfill.blockDuration(forMax: .max) == 2 * h * 19683)
    }

    @Test func writesOneBlockPerRange() throws {
        // 100 s and 115 s in the first 2 h range, 7300 s in the second.
        let r = try Self.run("a{b=\"c\"} 1 100\na{b=\"c\"} 2 115\na{b=\"d\"} 3 100\na{b=\"d\"} 4 7300\n# EOF\n")
        #expect(r.error == nil)
        try #require(r.blocks.count == 2)
        #expect((r.blocks[0].minTime, r.blocks[0].maxTime) == (100_000, 115_001))
        #expect((r.blocks[0].numSamples, r.blocks[0].numSeries, r.blocks[0].numChunks) == (3, 2, 2))
        #expect((r.blocks[1].minTime, r.blocks[1].maxTime, r.blocks[1].numSeries) == (7_300_000, 7_300_001, 1))
        let block = r.blocks[0].path
        #expect(Array(Self.read(block + "/chunks/000001").prefix(8)) == [0x85, 0xBD, 0x40, 0xDD, 1, 0, 0, 0])
        #expect(Array(Self.read(block + "/index").prefix(5)) == [0xBA, 0xAA, 0xD7, 0x00, 2])
        #expect(Self.read(block + "/tombstones") == [0x01, 0x30, 0xBA, 0x30, 0x01, 0, 0, 0, 0])
        let meta = String(decoding: Self.read(block + "/meta.json"), as: UTF8.self)
        #expect(meta == """
            {
            \t"ulid": "\(r.blocks[0].ulid)",
            \t"minTime": 100000,
            \t"maxTime": 115001,
            \t"stats": {
            \t\t"numSamples": 3,
            \t\t"numFloatSamples": 3,
            \t\t"numSeries": 2,
            \t\t"numChunks": 2
            \t},
            \t"compaction": {
            \t\t"level": 1,
            \t\t"sources": [
            \t\t\t"\(r.blocks[0].ulid)"
            \t\t]
            \t},
            \t"version": 1
            }
            """)
        // The chunk file holds the two series' chunks, sorted by labels: b="c" first.
        let chunks = Self.read(block + "/chunks/000001")
        #expect(chunks.count == 8 + (1 + 1 + 18 + 4) + (1 + 1 + 13 + 4))
        #expect(Array(chunks[8..<10]) == [18, 1])
        // No temporary directory is left behind.
        #expect(BlockDirectory.fileSize(block + ".tmp-for-creation") == 0)
        BlockDirectory.removeAll(r.dir)
    }

    @Test func indexSectionsCarryValidChecksums() throws {
        var text = ""
        for i in 0..<50 { text += "m{i=\"\(i)\",z=\"\(i % 3)\"} \(i) \(1000 + i)\n" }
        let r = try Self.run(text + "# EOF\n")
        let block = try #require(r.blocks.first).path
        let index = Self.read(block + "/index")
        try #require(index.count > 52)
        // TOC: six offsets then the CRC32C of those 48 bytes.
        let toc = Array(index[(index.count - 52)...])
        var tocCRC = ByteWriter()
        tocCRC.be32(CRC32C.checksum(toc[0..<48]))
        #expect(Array(toc[48...]) == tocCRC.bytes)
        func be64(_ i: Int) -> Int { toc[i..<(i + 8)].reduce(0) { $0 << 8 | Int($1) } }
        #expect(be64(0) == 5)
        // Series start where the symbols end (Prometheus records the offset before the first padding).
        #expect(be64(8) > 5)
        #expect(be64(16) == be64(32)) // no label indices: they point at the postings
        #expect(be64(24) == be64(40))
        // Symbols: length, count, entries, CRC32C over count + entries.
        let symLen = index[5..<9].reduce(0) { $0 << 8 | Int($1) }
        var symCRC = ByteWriter()
        symCRC.be32(CRC32C.checksum(index[9..<(9 + symLen)]))
        #expect(Array(index[(9 + symLen)..<(13 + symLen)]) == symCRC.bytes)
        #expect(r.blocks.first?.numSeries == 50)
        BlockDirectory.removeAll(r.dir)
    }

    @Test func outOfOrderWithinABatchIsDroppedSilently() throws {
        let r = try Self.run("a 1 100\na 2 50\n# EOF\n")
        #expect(r.error == nil)
        #expect(r.blocks.map(\.numSamples) == [1])
        BlockDirectory.removeAll(r.dir)
    }

    /// 5000 samples of `b` between the two samples of `a`, so `a`'s first is committed before its second.
    static func acrossCommit(_ first: String, _ second: String) -> String {
        var text = "a \(first)\n"
        for i in 0..<5000 { text += "b \(i) \(Double(i) / 1000 + 1)\n" }
        return text + "a \(second)\n# EOF\n"
    }

    @Test func outOfOrderAcrossCommitsFails() throws {
        let r = try Self.run(Self.acrossCommit("1 200", "2 100"))
        #expect(r.error == "block creation: process blocks: add sample: out of order sample")
        #expect(r.blocks.isEmpty)
        BlockDirectory.removeAll(r.dir)
    }

    @Test func duplicateAcrossCommitsFails() throws {
        let r = try Self.run(Self.acrossCommit("1 200", "2 200"))
        #expect(r.error == "block creation: process blocks: add sample: duplicate sample for timestamp 200000; overrides not allowed: existing 1, new value 2")
        let same = try Self.run(Self.acrossCommit("1 200", "1 200"))
        #expect(same.error == nil)
        BlockDirectory.removeAll(r.dir)
        BlockDirectory.removeAll(same.dir)
    }

    @Test func anAppendErrorKeepsTheEarlierRanges() throws {
        // The second range fails; the first is written (promtool's loop writes it before reaching the second).
        var text = "x 1 10\na 1 7400\n"
        for i in 0..<5000 { text += "b \(i) \(7201 + Double(i) / 1000)\n" }
        let r = try Self.run(text + "a 2 7300\n# EOF\n")
        #expect(r.blocks.count == 1)
        #expect(r.error == "block creation: process blocks: add sample: out of order sample")
        BlockDirectory.removeAll(r.dir)
    }

    @Test func missingTimestampAndParseErrorsWriteNothing() throws {
        let noTS = try Self.run("a 1 100\na 2\n# EOF\n")
        #expect(noTS.error == "getting min and max timestamp: expected timestamp for series got none")
        #expect(noTS.blocks.isEmpty)
        let noEOF = try Self.run("a 1 100\n")
        #expect(noEOF.error?.hasPrefix("getting min and max timestamp: next: \(noEOF.dir)/input.om:") == true)
        #expect(noEOF.error?.hasSuffix("data does not end with # EOF") == true)
        let bad = try Self.run("a 1 100\na{b=\"c\" 1 5\n# EOF\n")
        #expect(bad.error?.hasPrefix("getting min and max timestamp: next: \(bad.dir)/input.om:2:") == true)
        #expect(bad.blocks.isEmpty)
        for d in [noTS.dir, noEOF.dir, bad.dir] { BlockDirectory.removeAll(d) }
    }

    @Test func missingInputIsReported() {
        var blocks = 0
        #expect(throws: OpenMetricsBackfill.Failure.self) {
            try OpenMetricsBackfill(outputDirectory: "/tmp/unused-backfill-out").run(inputPath: "/nonexistent/x.om") { _ in blocks += 1 }
        }
        #expect(blocks == 0)
    }

    @Test func extraLabelsAreSetAndEmptyValuesDropped() throws {
        let r = try Self.run("a{b=\"\",c=\"1\"} 1 100\n# EOF\n", labels: [("z", "9"), ("c", "")])
        let block = try #require(r.blocks.first)
        #expect(block.numSeries == 1)
        // Symbols: "", __name__, a, z, 9 — b (empty value) and c (removed) are gone.
        let index = Self.read(block.path + "/index")
        let count = index[9..<13].reduce(0) { $0 << 8 | Int($1) }
        #expect(count == 5)
        BlockDirectory.removeAll(r.dir)
    }

    @Test func chunksAreCutAsPrometheusCuts() throws {
        var s = BackfillSeries(labels: [("__name__", "a")])
        let range: Int64 = 4 * 3600 * 1000
        // 15 s steps over 2 h: 480 samples; after 30 samples the end is predicted so chunks hold ~120.
        for i in 0..<480 { _ = s.append(t: Int64(i) * 15_000, v: Double(i), chunkRange: range) }
        let chunks = s.finish()
        #expect(chunks.map(\.sampleCount) == [120, 120, 120, 120])
        let first = try #require(chunks.first), last = try #require(chunks.last)
        #expect(first.minTime == 0)
        #expect(last.maxTime == Int64(479 * 15_000))
    }

    @Test func tableMatchesPromtoolLayout() {
        let b = WrittenBlock(ulid: ULID(milliseconds: 0, random: (0, 0)), minTime: 100_000, maxTime: 115_001,
                             numSamples: 3, numSeries: 2, numChunks: 2, size: 649, path: "")
        #expect(BlockTable.lines([b], header: true, humanReadable: false) == [
            "BLOCK ULID                  MIN TIME     MAX TIME     DURATION     NUM SAMPLES  NUM CHUNKS   NUM SERIES   SIZE",
            "00000000000000000000000000  100000       115001       15.001s      3            2            2            649",
        ])
        #expect(BlockTable.lines([b], header: false, humanReadable: true) == [
            "00000000000000000000000000  1970-01-01 00:01:40 +0000 UTC  1970-01-01 00:01:55 +0000 UTC  15.001s      3            2            2            649B",
        ])
        #expect(BlockTable.size(1536, true) == "1KiB512B")
        #expect(BlockTable.size(0, true) == "0B")
        #expect(BlockTable.size(1 << 20, true) == "1MiB")
    }

    @Test func ulidText() {
        #expect(ULID(milliseconds: 0, random: (0, 0)).description == "00000000000000000000000000")
        #expect(ULID(milliseconds: (1 << 48) - 1, random: (0xFFFF, .max)).description == "7ZZZZZZZZZZZZZZZZZZZZZZZZZ")
        // The ULID specification's example 01ARZ3NDEKTSV4RRFFQ69G5FAV has the time 1469922850259.
        #expect(ULID(milliseconds: 1_469_922_850_259, random: (0, 0)).description.hasPrefix("01ARZ3NDEK"))
    }
}
