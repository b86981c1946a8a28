import Testing
@testable import Engine

@Suite struct DiskEncodingTests {
    @Test func crc32cKnownVectors() {
        // The check value of CRC-32C (RFC 3720 appendix B.4 and every CRC catalogue).
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        var split = CRC32C()
        split.update(Array("1234".utf8))
        split.update(Array("56789".utf8))
        #expect(split.value == 0xE306_9283)
    }

    @Test func slicingByEightEqualsTheBitwiseDefinition() {
        // The bit-at-a-time definition of CRC-32C, against the table-driven one on every length 0…300 and
        // every start alignment of a pseudo-random buffer.
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        let data = (0..<308).map { _ -> UInt8 in
            x ^= x << 13; x ^= x >> 7; x ^= x << 17
            return UInt8(truncatingIfNeeded: x)
        }
        func bitwise(_ bytes: ArraySlice<UInt8>) -> UInt32 {
            var crc: UInt32 = 0xFFFF_FFFF
            for b in bytes {
                crc ^= UInt32(b)
                for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            }
            return ~crc
        }
        for start in 0..<8 {
            for length in 0...300 {
                let slice = data[start..<(start + length)]
                #expect(CRC32C.checksum(slice) == bitwise(slice), "start \(start) length \(length)")
            }
        }
    }

    @Test func varintsRoundTripAndTruncationIsAnError() throws {
        var w = ByteWriter()
        let values: [Int64] = [0, 1, -1, 63, -64, 300, Int64.max, Int64.min]
        for v in values { w.varint(v) }
        w.uvarint(UInt64.max)
        w.be32(0xDEAD_BEEF)
        w.uvarintString("up{job=\"a\"}")
        let bytes = w.bytes
        try bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws in
            var r = ByteReader(raw)
            for v in values { #expect(try r.varint() == v) }
            #expect(try r.uvarint() == UInt64.max)
            #expect(try r.be32() == 0xDEAD_BEEF)
            #expect(try r.uvarintString() == "up{job=\"a\"}")
            #expect(r.remaining == 0)
            #expect(throws: ByteReader.Error.self) { try r.byte() }
        }
        // An 11-byte varint overflows; a varint cut short says where it started.
        let long = [UInt8](repeating: 0xff, count: 11)
        long.withUnsafeBytes { raw in
            var r = ByteReader(raw)
            #expect(throws: ByteReader.Error(offset: 0, reason: "varint overflows 64 bits")) { try r.uvarint() }
        }
        [UInt8]([0x80, 0x80]).withUnsafeBytes { raw in
            var r = ByteReader(raw)
            #expect(throws: ByteReader.Error(offset: 0, reason: "unexpected end of data in varint")) { try r.uvarint() }
        }
    }
}
