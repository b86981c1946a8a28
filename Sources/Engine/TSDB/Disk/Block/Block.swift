import ConfigModel

/// One persisted block directory (`<ULID>/meta.json`, `index`, `chunks/`, `tombstones`), opened read-only: the
/// index and chunk segments are memory-mapped, nothing is written and no lock is taken.
public final class Block: Sendable {
    public let directory: String
    public let meta: BlockMeta
    public let index: IndexReader
    public let chunks: ChunkSegmentReader
    public let tombstones: Tombstones
    /// Bytes of index + chunk segments + tombstones + meta.json (Prometheus's `Block.Size`).
    public let size: Int

    public init(directory dir: String) throws(DiskFormatError) {
        directory = dir
        do {
            meta = try BlockMeta.read(directory: dir)
        } catch {
            throw DiskFormatError(path: error.path, offset: nil, reason: error.message)
        }
        index = try IndexReader(path: dir + "/index")
        chunks = try ChunkSegmentReader(directory: dir + "/chunks")
        tombstones = try Tombstones.read(directory: dir)
        let metaBytes = FileSystem.contents(ofFile: dir + "/meta.json")?.count ?? 0
        let tombBytes = FileSystem.contents(ofFile: dir + "/tombstones")?.count ?? 0
        size = index.fileSize + chunks.totalBytes + metaBytes + tombBytes
    }

    /// The samples of series `ref` with time in `range`, tombstoned samples removed, in time order.
    public func samples(series ref: UInt64, chunks metas: [ChunkMeta], in range: ClosedRange<Int64>) throws(DiskFormatError) -> [Sample] {
        try taggedSamples(series: ref, chunks: metas, in: range).map(\.sample)
    }

    /// `samples` with the encoding of the chunk each came from (integer and float histograms print differently).
    func taggedSamples(series ref: UInt64, chunks metas: [ChunkMeta], in range: ClosedRange<Int64>) throws(DiskFormatError) -> [TaggedSample] {
        var out: [TaggedSample] = []
        let deleted = tombstones.intervals[ref]
        for m in metas where m.maxTime >= range.lowerBound && m.minTime <= range.upperBound {
            let c = try chunks.chunk(m.ref)
            let decoded: [Sample]
            do throws(ChunkDecodeError) {
                decoded = try ChunkSamples.decode(encoding: c.encoding, bytes: c.bytes)
            } catch {
                throw chunks.decodeError(error, ref: m.ref, encoding: c.encoding)
            }
            for s in decoded where range.contains(s.t) {
                if let deleted, deleted.contains(where: { $0.contains(s.t) }) { continue }
                out.append(TaggedSample(sample: s, encoding: c.encoding))
            }
        }
        return out
    }
}

/// A sample with the encoding of the chunk it was read from.
struct TaggedSample: Sendable {
    var sample: Sample
    var encoding: ChunkEncoding
}
