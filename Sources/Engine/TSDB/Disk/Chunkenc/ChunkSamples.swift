/// Decoding a whole chunk of any decodable encoding into samples: what the block reader hands to queries,
/// `tsdb dump` and the WAL/head readers.
public enum ChunkSamples {
    /// Every sample of the chunk, in order; throws for an undecodable encoding or corrupt bytes.
    public static func decode(encoding: ChunkEncoding, bytes: [UInt8]) throws(ChunkDecodeError) -> [Sample] {
        var out: [Sample] = []
        switch encoding {
        case .xor:
            var it = try DiskXORChunkIterator(bytes: bytes)
            out.reserveCapacity(it.count)
            while let s = try it.next() { out.append(Sample(t: s.t, value: .float(s.v))) }
        case .histogram:
            var it = try DiskHistogramChunkIterator(bytes: bytes)
            out.reserveCapacity(it.count)
            while let s = try it.next() { out.append(Sample(t: s.t, value: .histogram(s.h))) }
        case .floatHistogram:
            var it = try DiskFloatHistogramChunkIterator(bytes: bytes)
            out.reserveCapacity(it.count)
            while let s = try it.next() { out.append(Sample(t: s.t, value: .histogram(s.h))) }
        case .none, .xor2, .histogramST, .floatHistogramST:
            throw ChunkDecodeError(bitOffset: 0, reason: "unsupported chunk encoding \(encoding)")
        }
        return out
    }
}
