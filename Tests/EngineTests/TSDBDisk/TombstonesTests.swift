import Testing
@testable import Engine

@Suite struct TombstonesTests {
    /// A tombstones file as tsdb/docs/format/tombstones.md lays it out: magic, version 1, (ref uvarint, mint
    /// varint, maxt varint)…, CRC32C of everything after the version byte.
    static func file(_ stones: [(UInt64, Int64, Int64)]) -> [UInt8] {
        var w = ByteWriter()
        w.be32(0x0130_BA30)
        w.byte(1)
        for (ref, mint, maxt) in stones {
            w.uvarint(ref)
            w.varint(mint)
            w.varint(maxt)
        }
        let crc = w.crc32c(from: 5)
        w.be32(crc)
        return w.bytes
    }

    @Test func intervalsAreReadAndMerged() throws {
        let t = try Tombstones.parse(Self.file([(7, 10, 20), (7, 21, 30), (7, 100, 200), (9, -5, 5)]), path: "b/tombstones")
        #expect(t.intervals[7] == [10...30, 100...200])
        #expect(t.intervals[9] == [-5...5])
        #expect(t.isDeleted(7, 25) && !t.isDeleted(7, 50) && !t.isDeleted(8, 0))
        #expect(t.count == 3)
    }

    @Test func badChecksumAndTruncationNameTheFile() {
        var bytes = Self.file([(1, 0, 10)])
        bytes[6] ^= 1
        #expect(throws: DiskFormatError.self) { try Tombstones.parse(bytes, path: "b/tombstones") }
        do {
            _ = try Tombstones.parse(bytes, path: "b/tombstones")
        } catch {
            #expect(error.description.hasPrefix("b/tombstones: checksum did not match"))
        }
        #expect(throws: DiskFormatError.self) { try Tombstones.parse(Array(bytes.prefix(6)), path: "b/tombstones") }
    }
}
