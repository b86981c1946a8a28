/// Decodes a Prometheus float histogram chunk (`chunkenc.FloatHistogramChunk`, encoding 3): the same header and
/// layout as integer histogram chunks, then varbit delta-of-delta timestamps and XOR-compressed count, zero
/// count, sum and absolute bucket counts (each with its own leading/trailing window).
public struct DiskFloatHistogramChunkIterator: Sendable {
    private struct XORState: Sendable {
        var value: Double = 0
        var leading: UInt8 = 0
        var trailing: UInt8 = 0
    }

    /// Internal so the start-timestamp variant can read the ST data between samples.
    var reader: ChunkBitReader
    /// Samples the header says the chunk holds.
    public let count: Int
    private let flag: UInt8
    private var read = 0
    private var layout: HistogramChunkLayout?
    private var t: Int64 = 0, tDelta: Int64 = 0
    private var cnt = XORState(), zCnt = XORState(), sum = XORState()
    private var pBuckets: [XORState] = [], nBuckets: [XORState] = []

    /// An iterator over `bytes` (the chunk data, without the encoding byte).
    public init(bytes: [UInt8]) throws(ChunkDecodeError) {
        let (count, flag) = try HistogramChunkLayout.header(of: bytes, kind: "float histogram")
        try self.init(bytes: bytes, count: count, flag: flag)
    }

    /// An iterator over a chunk whose 3-byte header the caller has read: the sample count and the byte whose top two
    /// bits are the counter-reset header (the start-timestamp variant packs both differently).
    init(bytes: [UInt8], count: Int, flag: UInt8) throws(ChunkDecodeError) {
        self.count = count
        self.flag = flag
        reader = try HistogramChunkLayout.bodyReader(of: bytes, kind: "float histogram")
    }

    /// The next sample, or nil after the last one.
    public mutating func next() throws(ChunkDecodeError) -> (t: Int64, h: FloatHistogram)? {
        guard read < count else { return nil }
        if read == 0 {
            let l = try HistogramChunkLayout(reading: &reader, minBitsPerBucket: 64)
            layout = l
            t = try reader.varbitInt()
            cnt.value = Double(bitPattern: try reader.bits(64))
            zCnt.value = Double(bitPattern: try reader.bits(64))
            sum.value = Double(bitPattern: try reader.bits(64))
            pBuckets = []
            pBuckets.reserveCapacity(l.positiveCount)
            for _ in 0..<l.positiveCount { pBuckets.append(XORState(value: Double(bitPattern: try reader.bits(64)))) }
            nBuckets = []
            nBuckets.reserveCapacity(l.negativeCount)
            for _ in 0..<l.negativeCount { nBuckets.append(XORState(value: Double(bitPattern: try reader.bits(64)))) }
        } else {
            tDelta = tDelta &+ (try reader.varbitInt())
            t = t &+ tDelta
            try Self.xor(&cnt, &reader)
            try Self.xor(&zCnt, &reader)
            try Self.xor(&sum, &reader)
            if isStaleNaN(sum.value) {
                read += 1
                return (t, FloatHistogram(sum: sum.value))
            }
            for i in pBuckets.indices { try Self.xor(&pBuckets[i], &reader) }
            for i in nBuckets.indices { try Self.xor(&nBuckets[i], &reader) }
        }
        read += 1
        guard let l = layout else { return nil }
        if isStaleNaN(sum.value) { return (t, FloatHistogram(sum: sum.value)) }
        return (t, l.histogram(flag: flag, index: read - 1, zeroCount: zCnt.value, count: cnt.value, sum: sum.value,
                               positiveBuckets: pBuckets.map(\.value), negativeBuckets: nBuckets.map(\.value)))
    }

    private static func xor(_ s: inout XORState, _ r: inout ChunkBitReader) throws(ChunkDecodeError) {
        try r.xorValue(&s.value, leading: &s.leading, trailing: &s.trailing)
    }
}
