/// One chunk record of a `chunks_head/` file: the series (WAL ref) it belongs to, its time range, its encoding
/// (the out-of-order bit split off) and the encoded chunk bytes.
public struct HeadChunkRecord: Sendable {
    public var seriesRef: UInt64
    public var minTime: Int64
    public var maxTime: Int64
    /// The chunk encoding (1 XOR, 2 histogram, 3 float histogram) without the out-of-order bit.
    public var encoding: UInt8
    /// Whether the chunk holds out-of-order samples (the encoding's high bit).
    public var isOutOfOrder: Bool
    /// The chunk's encoded bytes.
    public var data: [UInt8]
    /// Where the record starts in its file.
    public var offset: Int
}
