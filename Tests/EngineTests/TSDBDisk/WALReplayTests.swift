import Foundation
import Testing
@testable import Engine

@Suite struct WALReplayTests {
    static let up1: [(String, String)] = [("__name__", "up"), ("job", "a")]
    static let up2: [(String, String)] = [("__name__", "up"), ("job", "b")]

    /// A data directory: segments 0 and 1 (covered by the checkpoint, so garbage that must not be read), checkpoint 1
    /// (series 1, samples at 1000 and 2000), segments 2 and 3 (series 2, a duplicate series record, samples
    /// including an out-of-order one, one for an unknown ref, a stale marker, histograms, a tombstone, an unknown
    /// record type), segment 3 ending in a torn record.
    static func makeDirectory(compression: WALTestWriter.Compression) throws -> String {
        let dir = try WALTestWriter.temporaryDirectory()
        try WALTestWriter.write([9, 9, 9, 9], to: dir + "/wal/00000000")
        try WALTestWriter.write([9, 9, 9, 9], to: dir + "/wal/00000001")
        var cp = WALTestWriter(compression: compression)
        cp.log(WALTestWriter.series([(1, up1)]))
        cp.log(WALTestWriter.samples([(1, 1000, 1), (1, 2000, 2)]))
        cp.close()
        try WALTestWriter.write(cp.bytes, to: dir + "/wal/checkpoint.00000001/00000000")
        try FileManager.default.createDirectory(atPath: dir + "/wal/checkpoint.00000000.tmp", withIntermediateDirectories: true)

        var s2 = WALTestWriter(compression: compression)
        s2.log(WALTestWriter.series([(2, up2)]))
        s2.log(WALTestWriter.samples([(1, 3000, 3), (2, 3000, 30), (1, 2500, 99), (42, 3000, 1)]))
        s2.log(WALTestWriter.series([(7, up1)]))  // the same labels again under a new ref
        s2.log(WALTestWriter.samples([(7, 4000, 4), (2, 4000, StaleNaN)]))
        s2.log([200, 1, 2, 3])  // a record type 3.14 does not know
        s2.close()
        try WALTestWriter.write(s2.bytes, to: dir + "/wal/00000002")

        var s3 = WALTestWriter(compression: compression)
        s3.log(WALTestWriter.series([(3, [("__name__", "lat")]), (4, [("__name__", "nhcb")])]))
        s3.log(WALTestWriter.intHistograms([(3, 5000), (3, 6000)], schema: 0, count: 4, buckets: [1, 3]))
        s3.log(WALTestWriter.intHistograms([(4, 5000)], schema: -53, count: 3, buckets: [1, 2], customValues: [0.5]))
        s3.log(WALTestWriter.tombstones([(2, 0, 3500)]))
        s3.log(WALTestWriter.samples([(1, 9000, 9)]))
        let complete = s3.bytes.count
        var rng: UInt64 = 0x9E37_79B9_7F4A_7C15
        s3.log((0..<50_000).map { _ in  // incompressible, so torn below whatever the compression
            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: rng >> 33)
        })
        try WALTestWriter.write(Array(s3.bytes.prefix(complete + 40_000)), to: dir + "/wal/00000003")
        return dir
    }

    @Test(arguments: [WALTestWriter.Compression.none, .snappy, .zstd])
    func replaysCheckpointThenSegments(compression: WALTestWriter.Compression) throws {
        let dir = try Self.makeDirectory(compression: compression)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let head = Head()
        let stats = try WALReplay.replay(directory: dir, into: head)
        #expect(stats.checkpointSegments == 1 && stats.segments == 2)
        #expect(stats.tornTail)
        #expect(stats.unknownRecords == 1)
        #expect(stats.unknownRefSamples == 1)
        #expect(stats.droppedSamples == 1)  // the out-of-order 2500
        #expect(stats.floatSamples == 7 && stats.histogramSamples == 3)
        #expect(stats.tombstones == [.init(labels: Labels(Self.up2), minTime: 0, maxTime: 3500)])
        #expect(stats.deletedSamples == 1)

        let a = try #require(head.ref(for: Labels(Self.up1)))
        let all = head.select([try LabelMatcher(.regexMatch, "__name__", ".+")], mint: .min, maxt: .max)
        #expect(all.map(\.labels) == [Labels([("__name__", "lat")]), Labels([("__name__", "nhcb")]), Labels(Self.up1), Labels(Self.up2)])
        let upA = try #require(all.first { $0.ref == a })
        #expect(upA.floatSamples(in: .min ... .max).map(\.t) == [1000, 2000, 3000, 4000, 9000])
        #expect(upA.floatSamples(in: .min ... .max).map(\.v) == [1, 2, 3, 4, 9])
        let upB = try #require(all.first { $0.labels == Labels(Self.up2) })
        let b = upB.floatSamples(in: .min ... .max)
        // The tombstone [0, 3500] hides the sample at 3000; the stale marker at 4000 stays.
        #expect(b.count == 1 && b.first.map { isStaleNaN($0.v) } == true && b.first?.t == 4000)
        let lat = try #require(all.first { $0.labels == Labels([("__name__", "lat")]) })
        #expect(lat.histogramSamples(in: .min ... .max).map(\.h.positiveBuckets) == [[1, 3], [1, 3]])
    }

    @Test func corruptionBeforeTheNewestSegmentIsAnError() throws {
        let dir = try Self.makeDirectory(compression: .none)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Segment 2 loses its last bytes: not the newest segment, so not a torn tail but an error naming it.
        let path = dir + "/wal/00000002"
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let used = (bytes.lastIndex { $0 != 0 } ?? -1) + 1
        try WALTestWriter.write(Array(bytes.prefix(used - 2)), to: path)
        #expect(throws: WALError.self) { try WALReplay.replay(directory: dir, into: Head()) }
        do {
            try WALReplay.replay(directory: dir, into: Head())
        } catch {
            #expect(error.file == path)
            #expect(error.offset != nil)
        }
        // A record that does not decode names the segment and the record's offset.
        var s = WALTestWriter()
        s.log([1, 0, 0])
        try WALTestWriter.write(s.bytes, to: path)
        #expect(throws: WALError(file: path, offset: 0, message: "decode series record: unexpected end of data at record offset 1")) {
            try WALReplay.replay(directory: dir, into: Head())
        }
    }

    @Test func missingOrNonSequentialSegmentsAreErrors() throws {
        let dir = try WALTestWriter.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: WALError.self) { try WALReplay.replay(directory: dir, into: Head()) }
        try WALTestWriter.write([], to: dir + "/wal/00000000")
        try WALTestWriter.write([], to: dir + "/wal/00000002")
        #expect(throws: WALError(file: dir + "/wal", offset: nil, message: "segments are not sequential")) {
            try WALReplay.replay(directory: dir, into: Head())
        }
    }

    /// chunks_head/ goes first; WAL samples a chunk already covers are skipped (Prometheus's `mmMaxTime` check).
    @Test func headChunksReplayBeforeTheWAL() throws {
        let dir = try WALTestWriter.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A one-sample XOR chunk: sample count, varint timestamp, the value's 64 bits.
        var xor = ByteWriter()
        xor.be16(1); xor.varint(500); xor.be64(Double(7).bitPattern)
        try WALTestWriter.write(WALTestWriter.headChunkFile([(1, 500, 500, 1, xor.bytes), (9, 1, 2, 0x81, [UInt8](repeating: 0, count: 10))]),
                                to: dir + "/chunks_head/000001")
        var seg = WALTestWriter()
        seg.log(WALTestWriter.series([(1, Self.up1)]))
        seg.log(WALTestWriter.samples([(1, 500, 99), (1, 1000, 8)]))
        try WALTestWriter.write(seg.bytes, to: dir + "/wal/00000000")

        let head = Head()
        let stats = try WALReplay.replay(directory: dir, into: head)
        #expect(stats.mmappedChunks == 1 && stats.mmappedSamples == 1 && stats.samplesCoveredByChunks == 1)
        #expect(stats.outOfOrderChunks == 0 && stats.floatSamples == 1)  // the out-of-order chunk's series never came
        let s = try #require(head.select([try LabelMatcher(.equal, "job", "a")], mint: .min, maxt: .max).first)
        #expect(s.floatSamples(in: .min ... .max).map(\.v) == [7, 8])

        // Without chunks_head/ the WAL's own sample at 500 stays.
        let walOnly = Head()
        try WALReplay.replay(directory: dir, into: walOnly, options: .init(headChunks: false))
        let w = try #require(walOnly.select([try LabelMatcher(.equal, "job", "a")], mint: .min, maxt: .max).first)
        #expect(w.floatSamples(in: .min ... .max).map(\.v) == [99, 8])

        // A chunk of an encoding nobody knows is an error naming the chunk file and the record's offset.
        try WALTestWriter.write(WALTestWriter.headChunkFile([(1, 500, 500, 9, xor.bytes)]), to: dir + "/chunks_head/000001")
        #expect(throws: WALError(file: dir + "/chunks_head/000001", offset: 8, message: "unknown chunk encoding 9")) {
            try WALReplay.replay(directory: dir, into: Head())
        }
    }

    /// Out-of-order data (`loadWBL`): an out-of-order chunk in chunks_head/ and the wbl/ samples merge into the
    /// series by time; the WAL's own copy of an out-of-order sample is dropped by the in-order replay; the first
    /// sample of a timestamp wins; an mmap marker of a chunk on disk clears what the write-behind log held before
    /// it, one of a chunk never written clears nothing; a series with only out-of-order samples appears.
    @Test func outOfOrderSamplesMergeIntoTheirSeries() throws {
        let dir = try WALTestWriter.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try WALTestWriter.write(WALTestWriter.headChunkFile([
            (1, 500, 500, 1, WALTestWriter.xorChunk(t: 500, v: 7)),
            (1, 600, 600, 0x81, WALTestWriter.xorChunk(t: 600, v: 6)),
        ]), to: dir + "/chunks_head/000001")
        var wal = WALTestWriter()
        wal.log(WALTestWriter.series([(1, Self.up1), (2, Self.up2)]))
        wal.log(WALTestWriter.samples([(1, 1000, 8), (1, 2000, 9), (1, 1500, 99)]))
        try WALTestWriter.write(wal.bytes, to: dir + "/wal/00000000")
        var wbl = WALTestWriter()
        wbl.log(WALTestWriter.samples([(1, 1500, 15), (1, 1200, 12), (1, 1500, 77), (2, 100, 1), (42, 100, 1)]))
        wbl.log(WALTestWriter.mmapMarkers([(1, 1 << 32 | 10_000)]))  // past the last chunk on disk
        wbl.log(WALTestWriter.mmapMarkers([(2, 0)]))
        wbl.log(WALTestWriter.samples([(2, 50, 5)]))
        try WALTestWriter.write(wbl.bytes, to: dir + "/wbl/00000000")

        let head = Head()
        let stats = try WALReplay.replay(directory: dir, into: head)
        #expect(stats.wblSegments == 1 && stats.outOfOrderChunks == 1 && stats.outOfOrderChunkSamples == 1)
        #expect(stats.outOfOrderSamples == 3 && stats.droppedSamples == 1 && stats.unknownRefSamples == 1)
        let a = try #require(head.select([try LabelMatcher(.equal, "job", "a")], mint: .min, maxt: .max).first)
        #expect(a.floatSamples(in: .min ... .max).map(\.t) == [500, 600, 1000, 1200, 1500, 2000])
        #expect(a.floatSamples(in: .min ... .max).map(\.v) == [7, 6, 8, 12, 15, 9])
        let b = try #require(head.select([try LabelMatcher(.equal, "job", "b")], mint: .min, maxt: .max).first)
        #expect(b.floatSamples(in: .min ... .max).map(\.t) == [50])
        #expect(head.stats.numSamples == 7)

        // Without out-of-order data: the in-order samples only.
        let inOrder = Head()
        try WALReplay.replay(directory: dir, into: inOrder, options: .init(outOfOrder: false))
        let all = inOrder.select([try LabelMatcher(.regexMatch, "__name__", ".+")], mint: .min, maxt: .max)
        #expect(all.map(\.labels) == [Labels(Self.up1)])
        #expect(all.first?.floatSamples(in: .min ... .max).map(\.t) == [500, 1000, 2000])
    }

    /// A chunk snapshot starts the replay: its series and head chunks, then memory-mapped chunks (one reaching into
    /// a snapshot head chunk replaces it), then the WAL from the snapshot's segment and offset only, then the
    /// snapshot's tombstones hide what they cover.
    @Test func chunkSnapshotStartsTheReplay() throws {
        let dir = try WALTestWriter.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var seg0 = WALTestWriter()
        seg0.log(WALTestWriter.series([(1, Self.up1), (2, Self.up2)]))
        seg0.log(WALTestWriter.samples([(1, 100, 1), (2, 100, 1)]))
        let covered = seg0.bytes.count
        seg0.log(WALTestWriter.samples([(1, 3000, 3), (2, 3000, 30)]))
        try WALTestWriter.write(seg0.bytes, to: dir + "/wal/00000000")
        var snap = WALTestWriter()
        snap.log(WALTestWriter.snapshotSeries(ref: 1, Self.up1, sample: (2000, 2)))
        snap.log(WALTestWriter.snapshotSeries(ref: 2, Self.up2, sample: (2000, 20)))
        snap.log(WALTestWriter.snapshotSeries(ref: 3, [("__name__", "idle")], sample: nil))
        snap.log(WALTestWriter.snapshotTombstones([(1, 3000, 3000)]))
        try WALTestWriter.write(snap.bytes, to: dir + "/chunk_snapshot.000000.\(covered)/00000000")
        // An older snapshot, which must not be read.
        try WALTestWriter.write([7, 7, 7], to: dir + "/chunk_snapshot.000000.0000000001/00000000")
        // Series 2's chunk up to 2500 was written to disk after the snapshot: it replaces the snapshot's head chunk.
        try WALTestWriter.write(WALTestWriter.headChunkFile([(2, 1500, 2500, 1, WALTestWriter.xorChunk(t: 1500, v: 15))]),
                                to: dir + "/chunks_head/000001")

        let head = Head()
        let stats = try WALReplay.replay(directory: dir, into: head)
        #expect(stats.chunkSnapshot == dir + "/chunk_snapshot.000000.\(covered)" && stats.chunkSnapshotError == nil)
        #expect(stats.snapshotSeries == 3 && stats.snapshotSamples == 1 && stats.mmappedSamples == 1)
        #expect(stats.floatSamples == 2 && stats.deletedSamples == 1)
        let a = try #require(head.select([try LabelMatcher(.equal, "job", "a")], mint: .min, maxt: .max).first)
        #expect(a.floatSamples(in: .min ... .max).map(\.v) == [2])
        let b = try #require(head.select([try LabelMatcher(.equal, "job", "b")], mint: .min, maxt: .max).first)
        #expect(b.floatSamples(in: .min ... .max).map(\.v) == [15, 30])

        // Without the snapshot the WAL alone replays (and the tombstone is gone with it).
        let walOnly = Head()
        try WALReplay.replay(directory: dir, into: walOnly, options: .init(chunkSnapshot: false))
        let w = try #require(walOnly.select([try LabelMatcher(.equal, "job", "a")], mint: .min, maxt: .max).first)
        #expect(w.floatSamples(in: .min ... .max).map(\.v) == [1, 3])

        // A snapshot that does not decode is set aside, the WAL replayed alone, as Prometheus does.
        var bad = WALTestWriter()
        bad.log([1, 0, 0])
        try WALTestWriter.write(bad.bytes, to: dir + "/chunk_snapshot.000000.\(covered)/00000000")
        let fallback = Head()
        let fs = try WALReplay.replay(directory: dir, into: fallback)
        #expect(fs.chunkSnapshot == nil && fs.chunkSnapshotError != nil)
        #expect(fallback.stats.numSamples == 4)
    }
}
