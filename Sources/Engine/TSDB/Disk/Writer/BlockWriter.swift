/// One series of a block being written: its labels (sorted by name, no empty values) and chunks in time order.
public struct BlockSeries: Sendable {
    public var labels: [(name: String, value: String)]
    public var chunks: [BlockChunk]

    public init(labels: [(name: String, value: String)], chunks: [BlockChunk]) {
        self.labels = labels
        self.chunks = chunks
    }
}

/// What a written block holds, as `meta.json` and `tsdb list` report it.
public struct WrittenBlock: Sendable {
    public var ulid: ULID
    public var minTime: Int64
    public var maxTime: Int64
    public var numSamples: Int
    public var numSeries: Int
    public var numChunks: Int
    /// chunks + index + tombstones + meta.json, in bytes (Prometheus's `Block.Size()`).
    public var size: Int
    public var path: String
}

/// Writes a level-1 block into a TSDB directory as Prometheus's compactor does: everything into
/// `<ULID>.tmp-for-creation` (chunk segments, index, meta.json, an empty tombstones file), each file synced,
/// then the directory renamed to `<ULID>` — a reader never sees a half-written block.
public enum BlockWriter {
    /// Writes `series` (sorted by labels, each with at least one chunk) as a block spanning
    /// `minTime ..< maxTime`. An empty `series` writes nothing and returns nil (Prometheus keeps no empty block).
    public static func write(series: inout [BlockSeries], minTime: Int64, maxTime: Int64, into directory: String,
                             ulid: ULID = .make()) throws(BlockWriteError) -> WrittenBlock? {
        guard !series.isEmpty else { return nil }
        let final = directory + "/" + ulid.description
        let tmp = final + ".tmp-for-creation"
        BlockDirectory.removeAll(tmp)
        try BlockDirectory.makeDirectory(tmp)
        do {
            let block = try writeContents(&series, minTime: minTime, maxTime: maxTime, tmp: tmp, ulid: ulid, final: final)
            try BlockDirectory.sync(tmp)
            try BlockDirectory.replace(tmp, with: final, parent: directory)
            return block
        } catch {
            BlockDirectory.removeAll(tmp)
            throw error
        }
    }

    private static func writeContents(_ series: inout [BlockSeries], minTime: Int64, maxTime: Int64, tmp: String,
                                      ulid: ULID, final: String) throws(BlockWriteError) -> WrittenBlock {
        var chunkWriter = try ChunkSegmentWriter(directory: tmp + "/chunks")
        var index = try IndexWriter(path: tmp + "/index")
        var samples = 0, chunkCount = 0
        do {
            try index.addSymbols(symbols(of: series))
            for i in series.indices {
                try chunkWriter.write(&series[i].chunks)
                try index.addSeries(series[i].labels, chunks: series[i].chunks)
                chunkCount += series[i].chunks.count
                for c in series[i].chunks { samples += c.sampleCount }
                // The chunk bytes are on their way to disk; free them as we go.
                series[i].chunks = []
            }
            try chunkWriter.finish()
            try index.finish()
        } catch {
            chunkWriter.abandon()
            index.abandon()
            throw error
        }
        var block = WrittenBlock(ulid: ulid, minTime: minTime, maxTime: maxTime, numSamples: samples,
                                 numSeries: series.count, numChunks: chunkCount, size: 0, path: final)
        let meta = Array(Self.meta(block).jsonText().utf8)
        try OutputFile.create(tmp + "/meta.json", contents: meta)
        try OutputFile.create(tmp + "/tombstones", contents: emptyTombstones)
        block.size = chunkWriter.totalBytes + index.size + meta.count + emptyTombstones.count
        return block
    }

    /// Every label name and value, and the empty string (Prometheus's head lists it), sorted bytewise and
    /// told apart by their bytes.
    static func symbols(of series: [BlockSeries]) -> [String] {
        var set: Set<ByteString> = [ByteString("")]
        for s in series {
            for l in s.labels {
                set.insert(ByteString(l.name))
                set.insert(ByteString(l.value))
            }
        }
        return set.map(\.string).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// A tombstones file with no tombstones: magic 0x0130BA30, version 1, CRC32C of nothing.
    static let emptyTombstones: [UInt8] = [0x01, 0x30, 0xBA, 0x30, 0x01, 0, 0, 0, 0]

    /// The `meta.json` of a level-1 block as Prometheus 3.x writes it: every sample a float sample, the block
    /// its own only source (`BlockMeta.jsonText()` prints it; zero statistics omitted).
    static func meta(_ b: WrittenBlock) -> BlockMeta {
        var stats = BlockMeta.Stats()
        stats.numSamples = UInt64(clamping: b.numSamples)
        stats.numFloatSamples = UInt64(clamping: b.numSamples)
        stats.numSeries = UInt64(clamping: b.numSeries)
        stats.numChunks = UInt64(clamping: b.numChunks)
        var compaction = BlockMeta.Compaction()
        compaction.sources = [b.ulid.description]
        return BlockMeta(ulid: b.ulid.description, minTime: b.minTime, maxTime: b.maxTime, stats: stats, compaction: compaction)
    }
}
