/// Decodes a Prometheus integer histogram chunk (`chunkenc.HistogramChunk`, encoding 2) into `FloatHistogram`s,
/// the one histogram type of our engine: a 2-byte count, a flag byte whose top two bits are the counter-reset
/// header, the layout, then per sample delta-of-delta varbit timestamps, counts and bucket deltas, with the sum
/// XOR-compressed. Integer counts convert exactly as Prometheus's `AtFloatHistogram` does.
public struct DiskHistogramChunkIterator: Sendable {
    /// Internal so the start-timestamp variant can read the ST data between samples.
    var reader: ChunkBitReader
    /// Samples the header says the chunk holds.
    public let count: Int
    private let flag: UInt8
    private var read = 0
    private var layout: HistogramChunkLayout?
    private var t: Int64 = 0, tDelta: Int64 = 0
    private var cnt: UInt64 = 0, cntDelta: Int64 = 0
    private var zCnt: UInt64 = 0, zCntDelta: Int64 = 0
    private var sum: Double = 0
    private var leading: UInt8 = 0, trailing: UInt8 = 0
    private var pBuckets: [Int64] = [], pDeltas: [Int64] = []
    private var nBuckets: [Int64] = [], nDeltas: [Int64] = []

    /// An iterator over `bytes` (the chunk data, without the encoding byte).
    public init(bytes: [UInt8]) throws(ChunkDecodeError) {
        let (count, flag) = try HistogramChunkLayout.header(of: bytes, kind: "histogram")
        try self.init(bytes: bytes, count: count, flag: flag)
    }

    /// An iterator over a chunk whose 3-byte header the caller has read: the sample count and the byte whose top two
    /// bits are the counter-reset header (the start-timestamp variant packs both differently).
    init(bytes: [UInt8], count: Int, flag: UInt8) throws(ChunkDecodeError) {
        self.count = count
        self.flag = flag
        reader = try HistogramChunkLayout.bodyReader(of: bytes, kind: "histogram")
    }

    /// The next sample, or nil after the last one.
    public mutating func next() throws(ChunkDecodeError) -> (t: Int64, h: FloatHistogram)? {
        guard read < count else { return nil }
        if read == 0 {
            let l = try HistogramChunkLayout(reading: &reader, minBitsPerBucket: 1)
            layout = l
            t = try reader.varbitInt()
            cnt = try reader.varbitUint()
            zCnt = try reader.varbitUint()
            sum = Double(bitPattern: try reader.bits(64))
            pBuckets = try Self.readFirst(l.positiveCount, &reader)
            nBuckets = try Self.readFirst(l.negativeCount, &reader)
            pDeltas = Array(repeating: 0, count: l.positiveCount)
            nDeltas = Array(repeating: 0, count: l.negativeCount)
        } else {
            tDelta = tDelta &+ (try reader.varbitInt())
            t = t &+ tDelta
            cntDelta = cntDelta &+ (try reader.varbitInt())
            cnt = UInt64(bitPattern: Int64(bitPattern: cnt) &+ cntDelta)
            zCntDelta = zCntDelta &+ (try reader.varbitInt())
            zCnt = UInt64(bitPattern: Int64(bitPattern: zCnt) &+ zCntDelta)
            try reader.xorValue(&sum, leading: &leading, trailing: &trailing)
            if isStaleNaN(sum) {
                read += 1
                return (t, FloatHistogram(sum: sum))
            }
            try Self.readNext(&pBuckets, &pDeltas, &reader)
            try Self.readNext(&nBuckets, &nDeltas, &reader)
        }
        read += 1
        guard let l = layout else { return nil }
        if isStaleNaN(sum) { return (t, FloatHistogram(sum: sum)) }
        return (t, l.histogram(flag: flag, index: read - 1, zeroCount: Double(zCnt), count: Double(cnt), sum: sum,
                               positiveBuckets: Self.absolute(pBuckets), negativeBuckets: Self.absolute(nBuckets)))
    }

    private static func readFirst(_ n: Int, _ r: inout ChunkBitReader) throws(ChunkDecodeError) -> [Int64] {
        var out: [Int64] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try r.varbitInt()) }
        return out
    }

    private static func readNext(_ buckets: inout [Int64], _ deltas: inout [Int64], _ r: inout ChunkBitReader) throws(ChunkDecodeError) {
        for i in buckets.indices {
            deltas[i] = deltas[i] &+ (try r.varbitInt())
            buckets[i] = buckets[i] &+ deltas[i]
        }
    }

    /// Bucket deltas (each bucket relative to the previous one) as absolute float counts.
    private static func absolute(_ deltas: [Int64]) -> [Double] {
        var current: Int64 = 0
        return deltas.map { d in
            current = current &+ d
            return Double(current)
        }
    }
}
