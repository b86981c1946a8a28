/// CRC-32 with the Castagnoli polynomial, the checksum of every Prometheus TSDB file section (index TOC and
/// sections, chunk records, WAL records, chunks_head records, tombstones).
public struct CRC32C: Sendable {
    /// The running value, finalised (so it can be compared after any `update`).
    public private(set) var value: UInt32 = 0

    public init() {}

    /// The checksum of `bytes` in one call.
    public static func checksum(_ bytes: some Collection<UInt8>) -> UInt32 {
        var c = CRC32C()
        c.update(bytes)
        return c.value
    }

    /// Extends the checksum by `bytes` (so a section read in pieces gets the same value as in one).
    public mutating func update(_ bytes: some Collection<UInt8>) {
        var crc = ~value
        for b in bytes {
            crc = CRC32C.table[Int(UInt8(truncatingIfNeeded: crc) ^ b)] ^ (crc >> 8)
        }
        value = ~crc
    }

    /// Extends the checksum by the bytes of a raw buffer (the memory-mapped path).
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        var crc = ~value
        for b in buffer {
            crc = CRC32C.table[Int(UInt8(truncatingIfNeeded: crc) ^ b)] ^ (crc >> 8)
        }
        value = ~crc
    }

    /// Reflected polynomial 0x82F63B78 (Castagnoli).
    static let table: [UInt32] = (0..<256).map { i -> UInt32 in
        var c = UInt32(i)
        for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
        return c
    }
}
