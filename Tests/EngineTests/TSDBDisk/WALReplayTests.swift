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

        let a = try #require(head.ref(for: Labels(Self.up1)))
        let all = head.select([try LabelMatcher(.regexMatch, "__name__", ".+")], mint: .min, maxt: .max)
        #expect(all.map(\.labels) == [Labels([("__name__", "lat")]), Labels([("__name__", "nhcb")]), Labels(Self.up1), Labels(Self.up2)])
        let upA = try #require(all.first { $0.ref == a })
        #expect(upA.floatSamples(in: .min ... .max).map(\.t) == [1000, 2000, 3000, 4000, 9000])
        #expect(upA.floatSamples(in: .min ... .max).map(\.v) == [1, 2, 3, 4, 9])
        let upB = try #require(all.first { $0.labels == Labels(Self.up2) })
        let b = upB.floatSamples(in: .min ... .max)
        #expect(b.count == 2 && b[0].v == 30 && isStaleNaN(b[1].v))
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
}
