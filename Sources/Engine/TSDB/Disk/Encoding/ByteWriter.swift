/// An append-only byte buffer for the TSDB's binary formats (Prometheus's `encoding.Encbuf`).
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    public var count: Int { bytes.count }

    public mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    public mutating func byte(_ b: UInt8) { bytes.append(b) }

    public mutating func be16(_ v: UInt16) { bigEndian(UInt64(v), 2) }
    public mutating func be32(_ v: UInt32) { bigEndian(UInt64(v), 4) }
    public mutating func be64(_ v: UInt64) { bigEndian(v, 8) }

    private mutating func bigEndian(_ v: UInt64, _ n: Int) {
        var shift = (n - 1) * 8
        while shift >= 0 {
            bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(shift)))
            shift -= 8
        }
    }

    public mutating func uvarint(_ v: UInt64) {
        var x = v
        while x >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: x) | 0x80)
            x >>= 7
        }
        bytes.append(UInt8(x))
    }

    public mutating func varint(_ v: Int64) {
        uvarint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }

    public mutating func append(_ other: some Sequence<UInt8>) { bytes.append(contentsOf: other) }

    /// A uvarint length then the UTF-8 bytes.
    public mutating func uvarintString(_ s: String) {
        let utf8 = Array(s.utf8)
        uvarint(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// The CRC32C of the bytes written since `start` (index sections are checksummed from an offset).
    public func crc32c(from start: Int) -> UInt32 {
        CRC32C.checksum(bytes[max(0, min(start, bytes.count))...])
    }
}
