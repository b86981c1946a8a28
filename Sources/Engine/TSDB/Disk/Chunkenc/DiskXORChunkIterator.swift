/// Decodes a Prometheus XOR float chunk (`chunkenc.XORChunk`, encoding 1): a 2-byte big-endian sample count, the
/// first timestamp as a varint and value as 64 bits, the second timestamp as a uvarint delta, then delta-of-delta
/// timestamps and XOR-compressed values. Every read is bounds-checked; a corrupt chunk throws instead of trapping.
public struct DiskXORChunkIterator: Sendable {
    private var reader: ChunkBitReader
    /// Samples the header says the chunk holds.
    public let count: Int
    private var read = 0
    private var t: Int64 = 0
    private var delta: Int64 = 0
    private var value: Double = 0
    private var leading: UInt8 = 0
    private var trailing: UInt8 = 0

    /// An iterator over `bytes` (the chunk data, without the encoding byte).
    public init(bytes: [UInt8]) throws(ChunkDecodeError) {
        guard bytes.count >= 2 else { throw ChunkDecodeError(bitOffset: 0, reason: "XOR chunk shorter than its 2-byte header") }
        count = Int(bytes[0]) << 8 | Int(bytes[1])
        reader = ChunkBitReader(bytes: bytes, bitCount: bytes.count &* 8)
        _ = reader.consume(16)
    }

    /// The next sample, or nil after the last one.
    @inline(__always)
    public mutating func next() throws(ChunkDecodeError) -> (t: Int64, v: Double)? {
        guard read < count else { return nil }
        switch read {
        case 0:
            t = try reader.byteVarint()
            value = Double(bitPattern: try reader.bits(64))
        case 1:
            delta = Int64(bitPattern: try reader.byteUvarint())
            t = t &+ delta
            try reader.xorValue(&value, leading: &leading, trailing: &trailing)
        default:
            delta = delta &+ (try reader.xorTimestampDoD())
            t = t &+ delta
            try reader.xorValue(&value, leading: &leading, trailing: &trailing)
        }
        read += 1
        return (t, value)
    }
}
