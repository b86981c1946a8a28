/// Decoding a whole chunk of any decodable encoding into samples: what the block reader hands to queries,
/// `tsdb dump` and the WAL/head readers.
public enum ChunkSamples {
    /// A decoded sample with the start timestamp its chunk stored for it (0 when the encoding has none or the
    /// chunk did not record one).
    public struct StartTimestamped: Sendable {
        public var startTimestamp: Int64
        public var sample: Sample
    }

    /// Every sample of the chunk, in order; throws for an undecodable encoding or corrupt bytes. Start timestamps
    /// of encodings 4–6 are decoded and dropped: the engine does not use them.
    public static func decode(encoding: ChunkEncoding, bytes: [UInt8]) throws(ChunkDecodeError) -> [Sample] {
        var out: [Sample] = []
        try forEach(encoding: encoding, bytes: bytes, reserve: { out.reserveCapacity($0) }) { out.append($1) }
        return out
    }

    /// Every sample of the chunk with its start timestamp, in order.
    public static func decodeWithStartTimestamps(encoding: ChunkEncoding, bytes: [UInt8]) throws(ChunkDecodeError) -> [StartTimestamped] {
        var out: [StartTimestamped] = []
        try forEach(encoding: encoding, bytes: bytes, reserve: { out.reserveCapacity($0) }) {
            out.append(StartTimestamped(startTimestamp: $0, sample: $1))
        }
        return out
    }

    /// Calls `reserve` with the announced sample count, then `body` with each start timestamp and sample.
    private static func forEach(
        encoding: ChunkEncoding, bytes: [UInt8], reserve: (Int) -> Void, _ body: (Int64, Sample) -> Void
    ) throws(ChunkDecodeError) {
        switch encoding {
        case .xor:
            var it = try DiskXORChunkIterator(bytes: bytes)
            reserve(it.count)
            while let s = try it.next() { body(0, Sample(t: s.t, value: .float(s.v))) }
        case .histogram:
            var it = try DiskHistogramChunkIterator(bytes: bytes)
            reserve(it.count)
            while let s = try it.next() { body(0, Sample(t: s.t, value: .histogram(s.h))) }
        case .floatHistogram:
            var it = try DiskFloatHistogramChunkIterator(bytes: bytes)
            reserve(it.count)
            while let s = try it.next() { body(0, Sample(t: s.t, value: .histogram(s.h))) }
        case .xor2:
            var it = try DiskXOR2ChunkIterator(bytes: bytes)
            reserve(it.count)
            while let s = try it.next() { body(s.st, Sample(t: s.t, value: .float(s.v))) }
        case .histogramST:
            var it = try HistogramSTChunkIterator<DiskHistogramChunkIterator>(bytes: bytes)
            reserve(it.count)
            while let s = try it.next() { body(s.st, Sample(t: s.t, value: .histogram(s.h))) }
        case .floatHistogramST:
            var it = try HistogramSTChunkIterator<DiskFloatHistogramChunkIterator>(bytes: bytes)
            reserve(it.count)
            while let s = try it.next() { body(s.st, Sample(t: s.t, value: .histogram(s.h))) }
        case .none:
            throw ChunkDecodeError(bitOffset: 0, reason: "unsupported chunk encoding \(encoding)")
        }
    }
}
