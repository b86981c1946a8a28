/// `tsdb analyze --extended`: how full the block's chunks are, as promtool 3.14's `analyzeCompaction` reports it
/// (cmd/promtool/tsdb.go): per float chunk its sample count and byte size, per histogram chunk its sample count,
/// byte size and the buckets of all its samples, each list printed as min/avg/max and a bucketed histogram.
/// (promtool 2.x printed a single "Fullness" histogram of float chunks instead; we follow 3.14.)
public struct CompactionAnalysis: Sendable, Equatable {
    /// Every chunk of the analysed series, whatever its encoding (the denominator of every percentage).
    public var totalChunks = 0
    public var floatChunkSamples: [Int] = []
    public var floatChunkBytes: [Int] = []
    public var histogramChunkSamples: [Int] = []
    public var histogramChunkBytes: [Int] = []
    public var histogramChunkBuckets: [Int] = []

    public init() {}

    /// Reads every chunk of the series of `block` that match `matchers` (all series without). Float chunks are
    /// not decoded: their sample count is the chunk's 2-byte header, as Go's `NumSamples` reads it; histogram
    /// chunks are decoded to count their buckets.
    public init(_ block: Block, matchers: [LabelMatcher]?) throws(DiskFormatError) {
        let ir = block.index
        func visit(_ ref: UInt64) throws(DiskFormatError) {
            for meta in try ir.series(ref).chunks {
                let c = try block.chunks.chunk(meta.ref)
                try add(encoding: c.encoding, bytes: c.bytes, at: meta.ref, in: block.chunks)
            }
        }
        if let matchers {
            for ref in try ir.postings(matching: matchers) { try visit(ref) }
        } else {
            try ir.forEachPosting("", "") { (ref) throws(DiskFormatError) in try visit(ref) }
        }
    }

    /// Counts one chunk (`ref` and `chunks` name the file in an error).
    mutating func add(encoding: ChunkEncoding, bytes: [UInt8], at ref: UInt64, in chunks: ChunkSegmentReader) throws(DiskFormatError) {
        func failure(_ reason: String) -> DiskFormatError {
            let seq = Int(ref >> 32)
            let name = seq < chunks.segmentNames.count ? chunks.segmentNames[seq] : "?"
            return DiskFormatError(path: chunks.directory + "/" + name, offset: Int(ref & 0xFFFF_FFFF), reason: reason)
        }
        totalChunks += 1
        guard encoding != .none else { return }
        guard bytes.count >= 2 else { throw failure("\(encoding) chunk shorter than its 2-byte sample count") }
        let samples = Int(bytes[0]) << 8 | Int(bytes[1])
        switch encoding {
        case .xor, .xor2:
            floatChunkSamples.append(samples)
            floatChunkBytes.append(bytes.count)
        case .histogram, .floatHistogram:
            // Whole chunk decoded (Go iterates it too): the bucket count is per sample.
            let decoded: [Sample]
            do {
                decoded = try ChunkSamples.decode(encoding: encoding, bytes: bytes)
            } catch {
                throw failure("decode \(encoding) chunk: \(error)")
            }
            var buckets = 0
            for s in decoded {
                if case .histogram(let h) = s.value { buckets += h.positiveBuckets.count + h.negativeBuckets.count }
            }
            histogramChunkSamples.append(samples)
            histogramChunkBytes.append(bytes.count)
            histogramChunkBuckets.append(buckets)
        case .histogramST, .floatHistogramST:
            throw failure("decode \(encoding) chunk: unsupported chunk encoding \(encoding)")
        case .none:
            break
        }
    }

    /// The text promtool 3.14 prints after the analysis (it starts with an empty line).
    public var text: String {
        var o = "\nCompaction analysis:\n\n"
        o += Self.histogram("samples per float chunk", floatChunkSamples, total: totalChunks)
        o += Self.histogram("bytes per float chunk", floatChunkBytes, total: totalChunks)
        o += Self.histogram("samples per histogram chunk", histogramChunkSamples, total: totalChunks)
        o += Self.histogram("bytes per histogram chunk", histogramChunkBytes, total: totalChunks)
        o += Self.histogram("buckets per histogram chunk", histogramChunkBuckets, total: totalChunks)
        return o
    }

    /// The figures as JSON (ours, for `tsdb analyze -o json --extended`): the chunk count and, per list, its
    /// length and min/avg/max (null when empty).
    var json: String {
        func stats(_ v: [Int]) -> String {
            guard let lo = v.min(), let hi = v.max() else { return "null" }
            let sum = v.reduce(0, &+)
            return "{\"chunks\":\(v.count),\"min\":\(lo),\"avg\":\(sum / v.count),\"max\":\(hi)}"
        }
        return "{\"totalChunks\":\(totalChunks),\"samplesPerFloatChunk\":\(stats(floatChunkSamples)),"
            + "\"bytesPerFloatChunk\":\(stats(floatChunkBytes)),\"samplesPerHistogramChunk\":\(stats(histogramChunkSamples)),"
            + "\"bytesPerHistogramChunk\":\(stats(histogramChunkBytes)),\"bucketsPerHistogramChunk\":\(stats(histogramChunkBuckets))}"
    }

    /// promtool's `displayHistogram`: min/avg/max (integer average), then one row per bucket of width `step`
    /// (10, 100, … chosen so there are about ten), labelled `[start+1, end]` as promtool labels them, with the
    /// count and one `#` per whole percent of `total`.
    static func histogram(_ title: String, _ values: [Int], total: Int) -> String {
        guard !values.isEmpty else { return "\(title): N/A\n\n" }
        let sorted = values.sorted()
        let lo = sorted[0], hi = sorted[sorted.count - 1]
        let (start, end, step) = bucketRange(lo, hi)
        var buckets = [Int](repeating: 0, count: (end - start) / step + 1)
        var sum = 0
        for v in sorted {
            sum &+= v
            buckets[(v - start) / step] += 1
        }
        let maxCount = buckets.max() ?? 0
        var o = "\(title) (min/avg/max): \(lo)/\(sum / sorted.count)/\(hi)\n"
        let leftWidth = String(end).count, rightWidth = String(end + step).count, countWidth = String(maxCount).count
        func padded(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: " ", count: max(0, width - s.count)) + s
        }
        for (i, count) in buckets.enumerated() {
            let percent = total > 0 ? 100 * count / total : 0
            o += "[\(padded(i * step + start + 1, leftWidth)), \(padded((i + 1) * step + start, rightWidth))]: "
            o += "\(padded(count, countWidth)) \(String(repeating: "#", count: max(0, percent)))\n"
        }
        return o + "\n"
    }

    /// promtool's `generateBucket`: a power-of-ten step ≥ 10 (at most 100 000) near a tenth of the range, and
    /// the range widened to whole steps.
    static func bucketRange(_ lo: Int, _ hi: Int) -> (start: Int, end: Int, step: Int) {
        let tenth = (hi - lo) / 10
        var step = 10
        while step < tenth && step <= 10000 { step *= 10 }
        return (lo - lo % step, hi - hi % step + step, step)
    }
}
