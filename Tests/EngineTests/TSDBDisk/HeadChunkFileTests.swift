import Testing
@testable import Engine

@Suite struct HeadChunkFileTests {
    static let chunks: [(ref: UInt64, mint: Int64, maxt: Int64, encoding: UInt8, data: [UInt8])] = [
        (1, 1000, 2000, 1, [0, 2, 9, 9, 9]),
        (2, -50, 70, 0x82, Array(repeating: 3, count: 300)),
    ]

    static func read(_ bytes: [UInt8]) throws -> [HeadChunkRecord] {
        var out: [HeadChunkRecord] = []
        try bytes.withUnsafeBytes { (raw) throws in
            try HeadChunkFile.forEachChunk(in: raw, file: "chunks_head/000001") { (c) throws(WALError) in out.append(c) }
        }
        return out
    }

    @Test func readsRecordsAndEndsAtZeros() throws {
        let file = WALTestWriter.headChunkFile(Self.chunks)
        for tail in [[], [UInt8](repeating: 0, count: 20), [UInt8](repeating: 0, count: 200)] {
            let got = try Self.read(file + tail)
            #expect(got.count == 2)
            #expect(got.map(\.seriesRef) == [1, 2] && got.map(\.minTime) == [1000, -50] && got.map(\.maxTime) == [2000, 70])
            #expect(got.map(\.encoding) == [1, 2] && got.map(\.isOutOfOrder) == [false, true])
            #expect(got.map(\.data) == Self.chunks.map(\.data))
            #expect(got.map(\.offset) == [8, 8 + 8 + 16 + 1 + 1 + 5 + 4])
        }
    }

    @Test func corruptFilesAreErrorsNamingTheOffset() {
        let file = WALTestWriter.headChunkFile(Self.chunks)
        var badCRC = file
        badCRC[8 + 30] ^= 1
        #expect(throws: WALError.self) { try Self.read(badCRC) }
        do {
            _ = try Self.read(badCRC)
        } catch let error as WALError {
            #expect(error.offset == 8 && error.message.hasPrefix("checksum mismatch"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
        var badMagic = file
        badMagic[0] = 9
        #expect(throws: WALError(file: "chunks_head/000001", offset: 0, message: "invalid magic number 930bc91")) { try Self.read(badMagic) }
        var badVersion = file
        badVersion[4] = 2
        #expect(throws: WALError(file: "chunks_head/000001", offset: 4, message: "invalid chunk format version 2")) { try Self.read(badVersion) }
        #expect(throws: WALError.self) { try Self.read([1, 48]) }
        // Cut inside the second record's data, and junk too short for a header.
        #expect(throws: WALError.self) { try Self.read(Array(file.dropLast(10))) }
        #expect(throws: WALError.self) { try Self.read(file + [1, 2, 3]) }
        // A length field beyond the file.
        var w = ByteWriter()
        w.be32(HeadChunkFile.magic); w.byte(1); w.append([0, 0, 0])
        w.be64(1); w.be64(0); w.be64(1); w.byte(1); w.uvarint(1 << 30); w.append([UInt8](repeating: 1, count: 40))
        #expect(throws: WALError.self) { try Self.read(w.bytes) }
    }
}
