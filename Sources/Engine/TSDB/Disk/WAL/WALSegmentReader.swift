/// Splits one WAL segment (a file of 32 KiB pages) into records, as Prometheus's `wlog.Reader` does: each
/// fragment has a 7-byte header (type byte with the snappy/zstd flags, big-endian length, CRC32C of the data);
/// full records stand alone, first/middle/last fragments are joined; a zero type byte pads the rest of the page
/// (which must be all zeros). Records are decompressed before they are handed on.
///
/// A segment being written while we read (Prometheus running) or cut short by a crash ends in a torn record: with
/// `tornTailIsEnd` (the newest segment) that is the end of the data, which is what Prometheus keeps after its
/// repair on start-up; anywhere else it is an error naming the file and offset.
public enum WALSegmentReader {
    /// WAL page size.
    public static let pageSize = 32 * 1024
    /// Bytes of a fragment header.
    public static let headerSize = 7

    /// Fragment types (the low three bits of the header's type byte).
    enum Fragment: UInt8 {
        case pageTerm = 0, full, first, middle, last
    }

    /// How reading a segment ended.
    public struct End: Sendable, Equatable {
        /// Records delivered.
        public var records: Int
        /// Offset just past the last complete record (the file size when nothing was torn).
        public var validBytes: Int
        /// Whether a torn tail was ignored (only with `tornTailIsEnd`).
        public var tornTail: Bool
    }

    /// Calls `body` with each record of the segment at `path` (decompressed, so independent of the mapping)
    /// and the offset of its first fragment. Reading starts at byte `start`, which must be where a record begins
    /// (a chunk snapshot's WAL offset); an offset at or past the end reads nothing.
    @discardableResult
    public static func forEachRecord(
        path: String, tornTailIsEnd: Bool, from start: Int = 0,
        _ body: ([UInt8], Int) throws(WALError) -> Void
    ) throws(WALError) -> End {
        let file: MappedFile
        do { file = try MappedFile(path: path) } catch { throw WALError(file: path, offset: nil, message: error.message) }
        return try file.withBytes { (bytes) throws(WALError) -> End in
            try forEachRecord(in: bytes, file: path, tornTailIsEnd: tornTailIsEnd, from: start, body)
        }
    }

    /// The same over bytes already in memory (`file` names them in errors).
    @discardableResult
    public static func forEachRecord(
        in bytes: UnsafeRawBufferPointer, file: String, tornTailIsEnd: Bool, from start: Int = 0,
        _ body: ([UInt8], Int) throws(WALError) -> Void
    ) throws(WALError) -> End {
        let count = bytes.count
        var pos = min(max(start, 0), count)
        var records = 0
        var validBytes = pos
        var assembled: [UInt8] = []
        var recordStart = 0
        var fragments = 0  // fragments of the record being assembled

        func torn(_ at: Int, _ message: String) throws(WALError) -> End {
            if tornTailIsEnd { return End(records: records, validBytes: validBytes, tornTail: true) }
            throw WALError(file: file, offset: at, message: message)
        }

        while pos < count {
            let typeByte = bytes[pos]
            guard let kind = Fragment(rawValue: typeByte & 0x07) else {
                throw WALError(file: file, offset: pos, message: "unexpected record type \(typeByte & 0x07)")
            }
            if kind == .pageTerm {
                // The rest of the page is padding; it must be zeros.
                let pageEnd = (pos / pageSize + 1) * pageSize
                let end = min(pageEnd, count)
                var i = pos + 1
                while i < end {
                    if bytes[i] != 0 { throw WALError(file: file, offset: i, message: "unexpected non-zero byte in padded page") }
                    i += 1
                }
                if pageEnd > count {
                    // A page padded only partly: a torn write, or a file Prometheus is still writing.
                    if fragments > 0 { return try torn(recordStart, "last record is torn") }
                    return try torn(pos, "read remaining zeros: unexpected EOF")
                }
                pos = pageEnd
                if fragments == 0 { validBytes = pos }
                continue
            }
            guard count - pos >= headerSize else { return try torn(pos, "read remaining header: unexpected EOF") }
            let length = Int(bytes[pos + 1]) << 8 | Int(bytes[pos + 2])
            let crc = UInt32(bytes[pos + 3]) << 24 | UInt32(bytes[pos + 4]) << 16 | UInt32(bytes[pos + 5]) << 8 | UInt32(bytes[pos + 6])
            guard length <= pageSize - headerSize else {
                throw WALError(file: file, offset: pos, message: "invalid record size \(length)")
            }
            let dataStart = pos + headerSize
            guard count - dataStart >= length else { return try torn(pos, "unexpected EOF in record data") }
            let data = UnsafeRawBufferPointer(rebasing: bytes[dataStart..<(dataStart + length)])
            var sum = CRC32C()
            sum.update(data)
            guard sum.value == crc else {
                throw WALError(file: file, offset: pos, message: "unexpected checksum \(hex(sum.value)), expected \(hex(crc))")
            }
            switch kind {
            case .full, .first:
                guard fragments == 0 else {
                    throw WALError(file: file, offset: pos, message: "unexpected \(kind == .full ? "full" : "first") record")
                }
                recordStart = pos
            case .middle, .last:
                guard fragments > 0 else {
                    throw WALError(file: file, offset: pos, message: "unexpected \(kind == .middle ? "middle" : "last") record")
                }
            case .pageTerm:
                break
            }
            assembled.append(contentsOf: data)
            fragments += 1
            pos = dataStart + length
            if kind == .full || kind == .last {
                let record: [UInt8]
                do {
                    if typeByte & 0x08 != 0 {
                        record = try WALCompression.snappy(assembled)
                    } else if typeByte & 0x10 != 0 {
                        record = try WALCompression.zstd(assembled)
                    } else {
                        record = assembled
                    }
                } catch {
                    throw WALError(file: file, offset: recordStart, message: error.message)
                }
                records += 1
                validBytes = pos
                try body(record, recordStart)
                assembled.removeAll(keepingCapacity: true)
                fragments = 0
            }
        }
        if fragments > 0 { return try torn(recordStart, "last record is torn") }
        return End(records: records, validBytes: validBytes, tornTail: false)
    }

    private static func hex(_ v: UInt32) -> String { String(v, radix: 16) }
}
