/// How the writer compresses records. Prometheus 3.14 servers compress with snappy by default
/// (`--storage.tsdb.wal-compression-type=snappy`); zstd is readable from 2.45 on; `tsdb.Open` with a zero
/// `Options` (what `promtool tsdb bench write` does) writes uncompressed records.
public enum WALWriteCompression: String, Sendable, CaseIterable {
    case none, snappy, zstd
}

/// Appends records to a WAL directory in Prometheus's format (`tsdb/docs/format/wal.md`), which our
/// `WALSegmentReader` and Prometheus's own reader read back:
///
/// - numbered segment files (`00000000`, …) of at most `segmentSize` bytes (128 MiB by default), made of 32 KiB
///   pages; a record never crosses into the next segment (a new segment is started when the rest of the current
///   one cannot hold it);
/// - each record split into fragments that fit the page (full, or first/middle…/last), each with a 7-byte header:
///   the type byte (with the snappy/zstd flag), the big-endian length and the CRC32C of the fragment's bytes;
/// - a page whose remainder cannot hold another header is zero-padded; so is the last page on `close()`.
///
/// Records are compressed whole before they are split, and written uncompressed when compression does not make
/// them smaller (as Prometheus does). Every `log` call ends with its bytes handed to the kernel, so a reader sees
/// whole batches; segments are fsynced when they are finished. Not thread-safe: one writer, one caller at a time.
public final class WALWriter {
    public static let defaultSegmentSize = 128 * 1024 * 1024
    static let pageSize = WALSegmentReader.pageSize
    static let headerSize = WALSegmentReader.headerSize

    /// The `wal/` directory written to.
    public let directory: String
    public let compression: WALWriteCompression
    public let segmentSize: Int
    /// Index of the segment being written.
    public private(set) var segmentIndex: Int

    private var file: OutputFile?
    /// The page being filled: bytes `flushed..<alloc` are not yet written out; beyond `alloc` it is all zeros.
    private var page: [UInt8]
    private var alloc = 0
    private var flushed = 0
    /// Pages of the current segment already completed.
    private var donePages = 0

    /// Opens `directory` for appending (created if missing). Like Prometheus, writing starts in a new segment after
    /// the newest one present. `segmentSize` must be a positive multiple of the 32 KiB page size.
    public init(directory: String, compression: WALWriteCompression = .snappy,
                segmentSize: Int = WALWriter.defaultSegmentSize) throws(BlockWriteError) {
        guard segmentSize > 0, segmentSize % Self.pageSize == 0 else {
            throw BlockWriteError("invalid segment size \(segmentSize): must be a positive multiple of \(Self.pageSize)")
        }
        self.directory = directory
        self.compression = compression
        self.segmentSize = segmentSize
        page = [UInt8](repeating: 0, count: Self.pageSize)
        try BlockDirectory.makeDirectory(directory)
        let existing: WALDirectory
        do { existing = try WALDirectory(path: directory) } catch { throw BlockWriteError(error.description) }
        segmentIndex = (existing.segments.last?.index ?? -1) + 1
        file = try OutputFile(path: Self.segmentName(directory, segmentIndex))
    }

    deinit { file?.abandon() }

    /// `dir/00000042`.
    public static func segmentName(_ directory: String, _ index: Int) -> String {
        let digits = String(index)
        return directory + "/" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// Writes `records` (already encoded, e.g. by `WALRecordEncoder`) as one batch and hands them to the kernel.
    public func log(_ records: [[UInt8]]) throws(BlockWriteError) {
        for (i, record) in records.enumerated() {
            let done = record.withUnsafeBytes { raw in Result { () throws(BlockWriteError) in try log(raw, final: i == records.count - 1) } }
            try done.get()
        }
    }

    /// Writes one record; `final` hands the page written so far to the kernel.
    public func log(_ record: UnsafeRawBufferPointer, final: Bool = true) throws(BlockWriteError) {
        guard file != nil else { throw BlockWriteError("wlog is closed") }
        if pageFull { try flushPage(clear: true) }
        var flag: UInt8 = 0
        var compressed: [UInt8]?
        switch compression {
        case .none: break
        case .snappy:
            if record.count > 0, let c = WALCompression.snappyEncode(record), c.count < record.count { compressed = c; flag = 0x08 }
        case .zstd:
            if record.count > 0, let c = WALCompression.zstdEncode(record), c.count < record.count { compressed = c; flag = 0x10 }
        }
        if let compressed {
            let done = compressed.withUnsafeBytes { raw in Result { () throws(BlockWriteError) in try write(raw, flag: flag) } }
            try done.get()
        } else {
            try write(record, flag: 0)
        }
        if final && alloc > 0 { try flushPage(clear: false) }
    }

    /// Splits `data` into fragments over as many pages as it needs (one empty `full` fragment for an empty record).
    private func write(_ data: UnsafeRawBufferPointer, flag: UInt8) throws(BlockWriteError) {
        let pagePayload = Self.pageSize - Self.headerSize
        let pagesLeft = segmentSize / Self.pageSize - donePages - 1
        let room = (Self.pageSize - alloc - Self.headerSize) + pagePayload * max(0, pagesLeft)
        if data.count > room { try nextSegment() }
        var rest = data[...]
        var first = true
        repeat {
            let n = min(rest.count, Self.pageSize - alloc - Self.headerSize)
            let part = UnsafeRawBufferPointer(rebasing: rest.prefix(n))
            let last = n == rest.count
            let kind: UInt8 = first ? (last ? 1 : 2) : (last ? 4 : 3)
            var crc = CRC32C()
            crc.update(part)
            page.withUnsafeMutableBytes { buf in
                buf[alloc] = kind | flag
                buf[alloc + 1] = UInt8(truncatingIfNeeded: n >> 8)
                buf[alloc + 2] = UInt8(truncatingIfNeeded: n)
                let c = crc.value
                buf[alloc + 3] = UInt8(truncatingIfNeeded: c >> 24)
                buf[alloc + 4] = UInt8(truncatingIfNeeded: c >> 16)
                buf[alloc + 5] = UInt8(truncatingIfNeeded: c >> 8)
                buf[alloc + 6] = UInt8(truncatingIfNeeded: c)
                if n > 0, let src = part.baseAddress, let dst = buf.baseAddress {
                    (dst + alloc + Self.headerSize).copyMemory(from: src, byteCount: n)
                }
            }
            alloc += Self.headerSize + n
            if pageFull { try flushPage(clear: true) }
            rest = rest.dropFirst(n)
            first = false
        } while !rest.isEmpty
    }

    /// Whether the page has no room for another fragment header.
    private var pageFull: Bool { Self.pageSize - alloc < Self.headerSize }

    /// Writes out the page's unwritten bytes; with `clear` (or a full page) the page is completed: its tail is
    /// written as zeros and a fresh page begins.
    private func flushPage(clear: Bool) throws(BlockWriteError) {
        let complete = clear || pageFull
        if complete { alloc = Self.pageSize }
        guard var f = file else { throw BlockWriteError("wlog is closed") }
        file = nil
        do {
            try f.write(page[flushed..<alloc])
            try f.flush()
        } catch {
            file = f
            throw error
        }
        file = f
        flushed = alloc
        if complete {
            page.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) }
            alloc = 0
            flushed = 0
            donePages += 1
        }
    }

    /// Completes the current segment (padded, synced, closed) and starts the next one.
    private func nextSegment() throws(BlockWriteError) {
        if alloc > 0 { try flushPage(clear: true) }
        guard var f = file else { throw BlockWriteError("wlog is closed") }
        file = nil
        try f.finish()
        segmentIndex += 1
        donePages = 0
        file = try OutputFile(path: Self.segmentName(directory, segmentIndex))
    }

    /// Pads and writes the last page, syncs and closes the segment. Further `log` calls fail.
    public func close() throws(BlockWriteError) {
        if alloc > 0 { try flushPage(clear: true) }
        guard var f = file else { return }
        file = nil
        try f.finish()
    }
}
