import Foundation
import Testing
@testable import Engine

/// What a data directory looks like while a Prometheus writes it, read as Prometheus's own start-up would read it:
/// a head chunk file torn by a buffered write, a block that vanished (or broke) after a compaction merged it into
/// a newer block.
@Suite struct LiveDirectoryTests {
    static let series: [(String, String)] = [("__name__", "up"), ("job", "a")]

    static func oneSample(t: Int64, v: Double) -> [UInt8] {
        var xor = ByteWriter()
        xor.be16(1); xor.varint(t); xor.be64(v.bitPattern)
        return xor.bytes
    }

    /// chunks_head/000002 ends in a record cut short (its writer flushed a buffer ending inside it; zeros follow,
    /// as in a preallocated file): that file and every later one are set aside, as Prometheus's `DeleteCorrupted`
    /// deletes them, and the WAL supplies the samples; the intact file before it still counts.
    @Test func tornHeadChunkFileIsSetAsideWithLaterOnes() throws {
        let dir = try WALTestWriter.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try WALTestWriter.write(WALTestWriter.headChunkFile([(1, 500, 500, 1, Self.oneSample(t: 500, v: 7))]),
                                to: dir + "/chunks_head/000001")
        var torn = WALTestWriter.headChunkFile([(1, 1000, 1000, 1, Self.oneSample(t: 1000, v: 80)),
                                                (1, 1500, 1500, 1, Self.oneSample(t: 1500, v: 90))])
        torn.removeLast(12)
        torn += [UInt8](repeating: 0, count: 64)
        try WALTestWriter.write(torn, to: dir + "/chunks_head/000002")
        try WALTestWriter.write(WALTestWriter.headChunkFile([(1, 2000, 2000, 1, Self.oneSample(t: 2000, v: 100))]),
                                to: dir + "/chunks_head/000003")
        var seg = WALTestWriter()
        seg.log(WALTestWriter.series([(1, Self.series)]))
        seg.log(WALTestWriter.samples([(1, 500, 99), (1, 1000, 8), (1, 1500, 9), (1, 2000, 10)]))
        try WALTestWriter.write(seg.bytes, to: dir + "/wal/00000000")

        let head = Head()
        let stats = try WALReplay.replay(directory: dir, into: head)
        let corruption = try #require(stats.headChunkCorruption)
        #expect(corruption.contains(dir + "/chunks_head/000002") && corruption.contains(" at 50: checksum mismatch"), "\(corruption)")
        #expect(stats.mmappedChunks == 1 && stats.samplesCoveredByChunks == 1 && stats.floatSamples == 3)
        let s = try #require(head.select([try LabelMatcher(.equal, "job", "a")], mint: .min, maxt: .max).first)
        #expect(s.floatSamples(in: .min ... .max).map(\.v) == [7, 8, 9, 10])

        // A damaged file header is no torn write: still an error naming the file.
        try WALTestWriter.write([0x01, 0x30, 0xBC, 0x91, 2, 0, 0, 0], to: dir + "/chunks_head/000001")
        #expect(throws: WALError(file: dir + "/chunks_head/000001", offset: 4, message: "invalid chunk format version 2")) {
            try WALReplay.replay(directory: dir, into: Head())
        }
    }

    /// A block directory that cannot be opened is an error naming its file, unless an opened block lists it among
    /// its compaction parents (Prometheus's read-only `Blocks()` drops it: a compaction merged it and is deleting it).
    @Test func brokenBlockSupersededByItsChildIsIgnored() throws {
        let r = try OpenMetricsBackfillTests.run("a{b=\"c\"} 1 100\na{b=\"c\"} 2 115\n# EOF\n")
        defer { try? FileManager.default.removeItem(atPath: r.dir) }
        #expect(r.error == nil)
        let block = try #require(r.blocks.first)
        let data = r.dir + "/out"
        // A parent half deleted: its directory is there, its files are gone.
        let parent = "01BKGV7JBM69T2G1BGBGM6KB12"
        try FileManager.default.createDirectory(atPath: data + "/" + parent, withIntermediateDirectories: true)
        #expect(throws: DiskFormatError.self) { try TSDBDirectory(path: data) }
        do {
            _ = try TSDBDirectory(path: data)
        } catch {
            #expect(error.path.hasPrefix(data + "/" + parent + "/"), "\(error)")
        }

        var meta = try BlockMeta.read(directory: block.path)
        meta.compaction.level = 2
        meta.compaction.parents = [.init(ulid: parent, minTime: meta.minTime, maxTime: meta.maxTime)]
        try meta.jsonText().write(toFile: block.path + "/meta.json", atomically: false, encoding: .utf8)
        let opened = try TSDBDirectory(path: data)
        #expect(opened.blocks.map(\.meta.ulid) == [block.ulid.description])
        let withHead = try TSDBDirectory.openWithHead(path: data)
        let samples = try withHead.seriesSamples([try LabelMatcher(.equal, "__name__", "a")], mint: .min, maxt: .max)
        #expect(samples.first?.samples.map(\.t) == [100_000, 115_000])
    }
}
