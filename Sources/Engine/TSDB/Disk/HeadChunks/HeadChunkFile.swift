import ConfigModel

/// Reads the memory-mapped head chunk files in `chunks_head/` (Prometheus's `ChunkDiskMapper`): an 8-byte header
/// (magic 0x0130BC91, version 1, padding), then records of series ref, mint, maxt (big-endian 64-bit), encoding
/// byte, uvarint length, data and a CRC32C over everything before it. As Prometheus does, a tail too short for a
/// record header that is all zeros, or a record of all-zero ref/mint/maxt, ends the file; a record running past
/// the end or failing its checksum is an error naming the file and offset.
public enum HeadChunkFile {
    public static let magic: UInt32 = 0x0130_BC91
    public static let headerSize = 8
    /// Series ref + mint + maxt + encoding + the longest 32-bit uvarint + CRC.
    static let maxMetaSize = 8 + 8 + 8 + 1 + 5 + 4

    /// A `chunks_head/` file and its sequence number.
    public struct Entry: Sendable, Equatable {
        public var index: Int
        public var path: String
    }

    /// The numbered files of a `chunks_head/` directory in order (an absent directory has none).
    public static func files(in directory: String) -> [Entry] {
        guard FileSystem.isDirectory(directory) else { return [] }
        var out: [Entry] = []
        for name in FileSystem.contents(ofDirectory: directory) {
            guard let idx = Int(name), idx >= 0 else { continue }
            out.append(Entry(index: idx, path: directory + "/" + name))
        }
        return out.sorted { $0.index < $1.index }
    }

    /// Whether `error` (from `forEachChunk`) is about a chunk record rather than the file's header or its opening:
    /// what Prometheus's chunk iteration reports as a `CorruptionErr`, which its start-up repairs by deleting the
    /// file and every later one. Records start after the 8-byte header, so those errors carry an offset past it.
    public static func isRecordCorruption(_ error: WALError) -> Bool {
        guard let offset = error.offset else { return false }
        return offset >= headerSize
    }

    /// Calls `body` with every chunk of the file at `path`, in file order.
    public static func forEachChunk(path: String, _ body: (HeadChunkRecord) throws(WALError) -> Void) throws(WALError) {
        let file: MappedFile
        do { file = try MappedFile(path: path) } catch { throw WALError(file: path, offset: nil, message: error.message) }
        try file.withBytes { (bytes) throws(WALError) in try forEachChunk(in: bytes, file: path, body) }
    }

    /// The same over bytes in memory (`file` names them in errors).
    public static func forEachChunk(in bytes: UnsafeRawBufferPointer, file: String, _ body: (HeadChunkRecord) throws(WALError) -> Void) throws(WALError) {
        var r = ByteReader(bytes)
        do {
            guard bytes.count >= headerSize else {
                throw WALError(file: file, offset: 0, message: "invalid head chunk file header: size \(bytes.count) < \(headerSize)")
            }
            let m = try r.be32()
            guard m == magic else { throw WALError(file: file, offset: 0, message: "invalid magic number \(String(m, radix: 16))") }
            let version = try r.byte()
            guard version == 1 else { throw WALError(file: file, offset: 4, message: "invalid chunk format version \(version)") }
            try r.skip(3)
        } catch let e as ByteReader.Error {
            throw WALError(file: file, offset: e.offset, message: e.reason)
        } catch let e as WALError {
            throw e
        } catch {
            throw WALError(file: file, offset: r.offset, message: "\(error)")
        }
        while r.remaining > 0 {
            let start = r.offset
            if r.remaining < maxMetaSize {
                var i = start
                var zeros = true
                while i < bytes.count { if bytes[i] != 0 { zeros = false; break }; i += 1 }
                if zeros { return }
                throw WALError(file: file, offset: start, message: "head chunk file has some unread data, but doesn't include enough bytes to read the chunk header - required:\(start + maxMetaSize), available:\(bytes.count)")
            }
            let chunk: HeadChunkRecord
            do {
                let ref = try r.be64()
                let mint = Int64(bitPattern: try r.be64())
                let maxt = Int64(bitPattern: try r.be64())
                if ref == 0 && mint == 0 && maxt == 0 { return }
                let enc = try r.byte()
                let length = try r.uvarintInt(limit: Int(UInt32.max))
                guard length <= r.remaining, r.remaining - length >= 4 else {
                    throw WALError(file: file, offset: start, message: "head chunk file doesn't include enough bytes to read the chunk - required:\(r.offset + length + 4), available:\(bytes.count)")
                }
                let data = try r.bytes(length)
                let end = r.offset
                let stored = try r.be32()
                var sum = CRC32C()
                sum.update(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                guard sum.value == stored else {
                    throw WALError(file: file, offset: start, message: "checksum mismatch expected:\(String(stored, radix: 16)), actual:\(String(sum.value, radix: 16))")
                }
                chunk = HeadChunkRecord(seriesRef: ref, minTime: mint, maxTime: maxt, encoding: enc & 0x7f,
                                  isOutOfOrder: enc & 0x80 != 0, data: Array(data), offset: start)
            } catch let e as ByteReader.Error {
                throw WALError(file: file, offset: e.offset, message: e.reason)
            } catch let e as WALError {
                throw e
            } catch {
                throw WALError(file: file, offset: start, message: "\(error)")
            }
            try body(chunk)
        }
    }
}
