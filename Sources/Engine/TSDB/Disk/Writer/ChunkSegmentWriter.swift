/// A chunk as a block's index refers to it: its time range, encoding and bytes, and (once written) its
/// reference `segment index << 32 | offset in the segment file`.
public struct BlockChunk: Sendable {
    public var minTime: Int64
    public var maxTime: Int64
    /// Prometheus's chunk encoding byte (1 XOR).
    public var encoding: UInt8
    public var data: [UInt8]
    public var ref: UInt64 = 0
    /// Samples in the chunk (the block's statistics count them).
    public var sampleCount: Int

    public init(minTime: Int64, maxTime: Int64, encoding: UInt8, data: [UInt8], sampleCount: Int) {
        self.minTime = minTime
        self.maxTime = maxTime
        self.encoding = encoding
        self.data = data
        self.sampleCount = sampleCount
    }
}

/// Writes a block's `chunks/` directory as Prometheus does: segment files `000001`, `000002`, … each starting
/// with the magic 0x85BD40DD, format version 1 and 3 bytes of padding, then chunks as `uvarint length,
/// encoding byte, data, CRC32C(encoding + data)`. A series' chunks go to one segment unless they do not fit
/// the segment size (512 MiB), split where Prometheus splits them, so the references match.
struct ChunkSegmentWriter {
    static let magic: UInt32 = 0x85BD_40DD
    static let headerSize = 8
    static let defaultSegmentSize = 512 << 20
    /// Prometheus reserves the longest varint of a 32-bit length for every chunk when planning a segment.
    static let maxLengthFieldSize = 5

    let directory: String
    let segmentSize: Int
    private var file: OutputFile?
    private var segments = 0
    /// Bytes written to the current segment (0: none open).
    private var written = 0
    /// The bytes of all segments (the block's size as `tsdb list` reports it).
    private(set) var totalBytes = 0

    init(directory: String, segmentSize: Int = ChunkSegmentWriter.defaultSegmentSize) throws(BlockWriteError) {
        self.directory = directory
        self.segmentSize = segmentSize
        try BlockDirectory.makeDirectory(directory)
    }

    /// Writes one series' chunks and sets their references.
    mutating func write(_ chunks: inout [BlockChunk]) throws(BlockWriteError) {
        // Plan the batches as Prometheus does: a new batch when the next chunk would overflow a segment.
        var starts = [0]
        var batchSize = 0
        var firstBatch = true
        for i in chunks.indices {
            let size = Self.maxLengthFieldSize + 1 + chunks[i].data.count + 4
            batchSize += size
            var cut = i != 0 && batchSize + Self.headerSize > segmentSize
            if firstBatch && written > Self.headerSize {
                cut = batchSize + written > segmentSize
                if cut { firstBatch = false }
            }
            if cut {
                starts.append(i)
                batchSize = size
            }
        }
        if written == 0 { try cut() }
        for (b, start) in starts.enumerated() {
            let end = b + 1 < starts.count ? starts[b + 1] : chunks.count
            for i in start..<end { try write(&chunks[i]) }
            if b + 1 < starts.count { try cut() }
        }
    }

    private mutating func write(_ chunk: inout BlockChunk) throws(BlockWriteError) {
        guard var f = file else { throw BlockWriteError("write chunks: no open segment") }
        chunk.ref = UInt64(segments - 1) << 32 | UInt64(written)
        var head = ByteWriter(capacity: 12)
        head.uvarint(UInt64(chunk.data.count))
        head.byte(chunk.encoding)
        var crc = CRC32C()
        crc.update(CollectionOfOne(chunk.encoding))
        crc.update(chunk.data)
        var tail = ByteWriter(capacity: 4)
        tail.be32(crc.value)
        try f.write(head.bytes)
        try f.write(chunk.data)
        try f.write(tail.bytes)
        let n = head.count + chunk.data.count + 4
        written += n
        totalBytes += n
        file = f
    }

    private mutating func cut() throws(BlockWriteError) {
        try finishSegment()
        segments += 1
        let name = String(segments)
        let path = directory + "/" + String(repeating: "0", count: max(0, 6 - name.count)) + name
        var f = try OutputFile(path: path)
        var header = ByteWriter(capacity: Self.headerSize)
        header.be32(Self.magic)
        header.byte(1)
        header.append([0, 0, 0])
        try f.write(header.bytes)
        file = f
        written = Self.headerSize
        totalBytes += Self.headerSize
    }

    private mutating func finishSegment() throws(BlockWriteError) {
        guard var f = file else { return }
        file = nil
        try f.finish()
    }

    /// Flushes and closes the last segment.
    mutating func finish() throws(BlockWriteError) { try finishSegment() }

    mutating func abandon() {
        file?.abandon()
        file = nil
    }
}
