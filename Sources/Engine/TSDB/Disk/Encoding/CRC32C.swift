/// CRC-32 with the Castagnoli polynomial, the checksum of every Prometheus TSDB file section (index TOC and
/// sections, chunk records, WAL records, chunks_head records, tombstones).
///
/// Slicing-by-8 (eight bytes per step through eight tables): every byte of a block or WAL read is checksummed,
/// so the byte-at-a-time loop was a visible share of reading.
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
        if let done: Void = bytes.withContiguousStorageIfAvailable({ update(UnsafeRawBufferPointer($0)) }) {
            return done
        }
        let copy = Array(bytes)
        copy.withUnsafeBytes { update($0) }
    }

    /// Extends the checksum by the bytes of a raw buffer (the memory-mapped path).
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        var crc = ~value
        let t = CRC32C.tables
        var i = 0
        let n = buffer.count
        t.withUnsafeBufferPointer { t in
            while n - i >= 8 {
                let lo = crc ^ (UInt32(buffer[i]) | UInt32(buffer[i + 1]) << 8 | UInt32(buffer[i + 2]) << 16
                    | UInt32(buffer[i + 3]) << 24)
                let hi = UInt32(buffer[i + 4]) | UInt32(buffer[i + 5]) << 8 | UInt32(buffer[i + 6]) << 16
                    | UInt32(buffer[i + 7]) << 24
                crc = t[7 * 256 + Int(lo & 0xff)] ^ t[6 * 256 + Int((lo >> 8) & 0xff)]
                    ^ t[5 * 256 + Int((lo >> 16) & 0xff)] ^ t[4 * 256 + Int(lo >> 24)]
                    ^ t[3 * 256 + Int(hi & 0xff)] ^ t[2 * 256 + Int((hi >> 8) & 0xff)]
                    ^ t[1 * 256 + Int((hi >> 16) & 0xff)] ^ t[Int(hi >> 24)]
                i += 8
            }
            while i < n {
                crc = t[Int(UInt8(truncatingIfNeeded: crc) ^ buffer[i])] ^ (crc >> 8)
                i += 1
            }
        }
        value = ~crc
    }

    /// Eight 256-entry tables for the reflected polynomial 0x82F63B78: table k maps a byte to its CRC after
    /// k further zero bytes.
    static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
            t[i] = c
        }
        for k in 1..<8 {
            for i in 0..<256 {
                let prev = t[(k - 1) * 256 + i]
                t[k * 256 + i] = t[Int(prev & 0xff)] ^ (prev >> 8)
            }
        }
        return t
    }()
}
