/// A histogram chunk body decoder the start-timestamp variants reuse: integer (encoding 2) or float (3).
protocol HistogramChunkBody: Sendable {
    var reader: ChunkBitReader { get set }
    init(bytes: [UInt8], count: Int, flag: UInt8) throws(ChunkDecodeError)
    mutating func next() throws(ChunkDecodeError) -> (t: Int64, h: FloatHistogram)?
}

extension DiskHistogramChunkIterator: HistogramChunkBody {}
extension DiskFloatHistogramChunkIterator: HistogramChunkBody {}

/// Decodes Prometheus 3.x's `histogramST` (encoding 5) and `floathistogramST` (6) chunks
/// (`tsdb/chunkenc/histogram_st.go`, `float_histogram_st.go`): the samples of the integer or float histogram
/// chunk, each followed by its start-timestamp data (`ChunkStartTimestamps`). The 3-byte header differs from the
/// plain chunks: byte 0's top two bits are the counter-reset header, the other 14 bits of bytes 0–1 the sample
/// count, and byte 2 the start-timestamp header.
struct HistogramSTChunkIterator<Body: HistogramChunkBody>: Sendable {
    private var body: Body
    private var starts: ChunkStartTimestamps
    /// Samples the header says the chunk holds.
    let count: Int
    private var read = 0
    private var lastT: Int64 = 0

    /// An iterator over `bytes` (the chunk data, without the encoding byte).
    init(bytes: [UInt8]) throws(ChunkDecodeError) {
        guard bytes.count >= 3 else { throw ChunkDecodeError(bitOffset: 0, reason: "histogram ST chunk shorter than its 3-byte header") }
        count = Int(bytes[0] & 0x3F) << 8 | Int(bytes[1])
        starts = ChunkStartTimestamps(header: bytes[2])
        body = try Body(bytes: bytes, count: count, flag: bytes[0] & 0xC0)
    }

    /// The next histogram with its start timestamp (0 when the chunk stores none), or nil after the last one.
    mutating func next() throws(ChunkDecodeError) -> (st: Int64, t: Int64, h: FloatHistogram)? {
        guard let s = try body.next() else { return nil }
        try starts.read(after: read, t: s.t, previousT: lastT, from: &body.reader)
        read += 1
        lastT = s.t
        return (starts.st, s.t, s.h)
    }
}
