import Foundation
import Testing
@testable import Engine

@Suite struct ChunkSnapshotTests {
    @Test func latestIsTheHighestSegmentThenOffset() throws {
        let dir = try WALTestWriter.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try ChunkSnapshot.latest(in: dir) == nil)
        for name in ["chunk_snapshot.000001.0000000900", "chunk_snapshot.000002.0000000010", "chunk_snapshot.000002.0000000020",
                     "chunk_snapshot.000009", "chunk_snapshot.x.1", "chunk_snapshot.000003.0000000001.tmp"] {
            try FileManager.default.createDirectory(atPath: dir + "/" + name, withIntermediateDirectories: true)
        }
        #expect(try ChunkSnapshot.latest(in: dir) == .init(path: dir + "/chunk_snapshot.000002.0000000020", segment: 2, offset: 20))
        // A file where a snapshot directory belongs is an error, as in Prometheus.
        try WALTestWriter.write([], to: dir + "/chunk_snapshot.000004.0000000001")
        #expect(throws: WALError(file: dir + "/chunk_snapshot.000004.0000000001", offset: nil,
                                 message: "chunk snapshot chunk_snapshot.000004.0000000001 is not a directory")) {
            try ChunkSnapshot.latest(in: dir)
        }
    }

    @Test func decodesSeriesTombstonesAndExemplars() throws {
        guard case .series(let ref, let labels, let chunk) = try ChunkSnapshot.decode(
            WALTestWriter.snapshotSeries(ref: 5, [("__name__", "up"), ("job", "a")], sample: (1000, 2.5))) else {
            Issue.record("not a series record")
            return
        }
        #expect(ref == 5 && labels == Labels([("__name__", "up"), ("job", "a")]))
        let c = try #require(chunk)
        #expect(c.minTime == 1000 && c.maxTime == 1000 && c.encoding == 1)
        #expect(try ChunkSamples.decode(encoding: .xor, bytes: c.data).map(\.float) == [2.5])

        guard case .series(_, _, nil) = try ChunkSnapshot.decode(WALTestWriter.snapshotSeries(ref: 6, [("a", "b")], sample: nil)) else {
            Issue.record("expected a series without a head chunk")
            return
        }
        guard case .tombstones(let stones) = try ChunkSnapshot.decode(WALTestWriter.snapshotTombstones([(5, -10, 20), (6, 0, 0)])) else {
            Issue.record("not a tombstones record")
            return
        }
        #expect(stones == [.init(ref: 5, minTime: -10, maxTime: 20), .init(ref: 6, minTime: 0, maxTime: 0)])
        // Exemplars: a WAL exemplars record's body behind type 3.
        var ex = ByteWriter()
        ex.byte(3); ex.be64(5); ex.be64(1000); ex.varint(0); ex.varint(0); ex.be64(Double(1).bitPattern)
        ex.uvarint(1); ex.uvarintString("trace_id"); ex.uvarintString("abc")
        guard case .exemplars(let exemplars) = try ChunkSnapshot.decode(ex.bytes) else {
            Issue.record("not an exemplars record")
            return
        }
        #expect(exemplars.count == 1 && exemplars.first?.labels == Labels([("trace_id", "abc")]))
    }

    @Test func malformedRecordsAreErrorsWithOffsets() throws {
        #expect(throws: WALRecordDecoder.Error(offset: 0, message: "unsupported snapshot record type 0b111")) {
            try ChunkSnapshot.decode([7])
        }
        var series = WALTestWriter.snapshotSeries(ref: 5, [("a", "b")], sample: (1, 1))
        series.append(0)
        #expect(throws: WALRecordDecoder.Error(offset: series.count - 1, message: "unexpected 1 bytes left in entry")) {
            try ChunkSnapshot.decode(series)
        }
        #expect(throws: WALRecordDecoder.Error.self) { try ChunkSnapshot.decode(Array(series.prefix(30))) }
        #expect(throws: WALRecordDecoder.Error(offset: 2, message: "decode tombstones: invalid tombstone format 2")) {
            try ChunkSnapshot.decode([2, 1, 2])
        }
        // A tombstones length longer than what follows it (found by FuzzWAL: it used to cut the body out of the
        // record before checking, and trapped).
        #expect(throws: WALRecordDecoder.Error(offset: 2, message: "decode tombstones: unexpected end of data")) {
            try ChunkSnapshot.decode([2, 2, 0x24])
        }
    }
}
