/// The layout written once at the start of a histogram or float-histogram chunk (`histogram_meta.go`): zero
/// threshold, schema, positive and negative spans, and the custom bucket bounds of schema −53.
struct HistogramChunkLayout: Sendable {
    var schema: Int32
    var zeroThreshold: Double
    var positiveSpans: [FloatHistogram.Span]
    var negativeSpans: [FloatHistogram.Span]
    var customValues: [Double]

    /// Buckets covered by the positive and negative spans.
    var positiveCount: Int
    var negativeCount: Int

    /// Reads the layout; `minBitsPerBucket` bounds the bucket count by the bits left, so a corrupt span length
    /// cannot make the decoder allocate more than the chunk could describe.
    init(reading r: inout ChunkBitReader, minBitsPerBucket: Int) throws(ChunkDecodeError) {
        zeroThreshold = try Self.readZeroThreshold(&r)
        let schemaPos = r.position
        let s = try r.varbitInt()
        // Known schemas: exponential −9…52 (8 and below decodable directly; the rest reduced) or custom −53.
        guard s == Int64(FloatHistogram.customBucketsSchema) || (s >= -9 && s <= 52) else {
            throw ChunkDecodeError(bitOffset: schemaPos, reason: "histogram has an unknown schema \(s)")
        }
        schema = Int32(s)
        positiveSpans = try Self.readSpans(&r)
        negativeSpans = try Self.readSpans(&r)
        customValues = []
        if schema == FloatHistogram.customBucketsSchema {
            let n = try r.varbitUint()
            guard n <= UInt64(r.remaining) else { throw ChunkDecodeError(bitOffset: r.position, reason: "custom bucket count \(n) exceeds the chunk") }
            customValues.reserveCapacity(Int(n))
            for _ in 0..<Int(n) {
                let b = try r.varbitUint()
                customValues.append(b == 0 ? Double(bitPattern: try r.bits(64)) : Double(b - 1) / 1000)
            }
        }
        positiveCount = try Self.bucketCount(positiveSpans, &r)
        negativeCount = try Self.bucketCount(negativeSpans, &r)
        let need = (positiveCount + negativeCount).multipliedReportingOverflow(by: max(1, minBitsPerBucket))
        guard !need.overflow, need.partialValue <= r.remaining else {
            throw ChunkDecodeError(bitOffset: r.position, reason: "histogram bucket count \(positiveCount + negativeCount) exceeds the chunk")
        }
    }

    private static func readZeroThreshold(_ r: inout ChunkBitReader) throws(ChunkDecodeError) -> Double {
        let b = try r.bits(8)
        switch b {
        case 0: return 0
        case 255: return Double(bitPattern: try r.bits(64))
        default:
            // 0.5 × 2^(b−243).
            return Double(sign: .plus, exponent: Int(b) - 244, significand: 1)
        }
    }

    private static func readSpans(_ r: inout ChunkBitReader) throws(ChunkDecodeError) -> [FloatHistogram.Span] {
        let n = try r.varbitUint()
        // Each span takes at least two bits.
        guard n <= UInt64(r.remaining / 2) else { throw ChunkDecodeError(bitOffset: r.position, reason: "span count \(n) exceeds the chunk") }
        var spans: [FloatHistogram.Span] = []
        spans.reserveCapacity(Int(n))
        for _ in 0..<Int(n) {
            let length = try r.varbitUint()
            let offset = try r.varbitInt()
            spans.append(FloatHistogram.Span(offset: Int32(truncatingIfNeeded: offset), length: UInt32(truncatingIfNeeded: length)))
        }
        return spans
    }

    private static func bucketCount(_ spans: [FloatHistogram.Span], _ r: inout ChunkBitReader) throws(ChunkDecodeError) -> Int {
        var total = 0
        for s in spans {
            let (sum, overflow) = total.addingReportingOverflow(Int(s.length))
            guard !overflow, sum <= r.remaining else {
                throw ChunkDecodeError(bitOffset: r.position, reason: "histogram bucket count exceeds the chunk")
            }
            total = sum
        }
        return total
    }

    /// The 3-byte header both histogram chunk encodings start with: the sample count (16 bits, big-endian) and
    /// the flag byte whose top two bits are the counter-reset header.
    static func header(of bytes: [UInt8], kind: String) throws(ChunkDecodeError) -> (count: Int, flag: UInt8) {
        guard bytes.count >= 3 else { throw ChunkDecodeError(bitOffset: 0, reason: "\(kind) chunk shorter than its 3-byte header") }
        return (Int(bytes[0]) << 8 | Int(bytes[1]), bytes[2])
    }

    /// A reader of a histogram chunk's body: after its 3-byte header (of either layout, plain or start-timestamp).
    static func bodyReader(of bytes: [UInt8], kind: String) throws(ChunkDecodeError) -> ChunkBitReader {
        guard bytes.count >= 3 else { throw ChunkDecodeError(bitOffset: 0, reason: "\(kind) chunk shorter than its 3-byte header") }
        var reader = ChunkBitReader(bytes: bytes, bitCount: bytes.count &* 8)
        _ = reader.consume(24)
        return reader
    }

    /// The `index`-th (0-based) histogram of a chunk with this layout and header flag, from its decoded counts;
    /// a schema above 8 is reduced to 8, the highest our engine computes with.
    func histogram(flag: UInt8, index: Int, zeroCount: Double, count: Double, sum: Double,
                   positiveBuckets: [Double], negativeBuckets: [Double]) -> FloatHistogram {
        let h = FloatHistogram(
            counterResetHint: Self.hint(flag: flag, index: index), schema: schema, zeroThreshold: zeroThreshold,
            zeroCount: zeroCount, count: count, sum: sum, positiveSpans: positiveSpans, negativeSpans: negativeSpans,
            positiveBuckets: positiveBuckets, negativeBuckets: negativeBuckets, customValues: customValues)
        return h.schema > 8 ? h.reducedResolution(to: 8) : h
    }

    /// The counter-reset hint of the `index`-th (0-based) histogram of a chunk with this header flag, as
    /// Prometheus reports it: gauge chunks are gauges, later histograms are not resets, the first is unknown.
    static func hint(flag: UInt8, index: Int) -> FloatHistogram.CounterResetHint {
        if flag & 0xC0 == 0xC0 { return .gauge }
        return index > 0 ? .notCounterReset : .unknown
    }
}
