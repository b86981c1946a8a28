import ConfigModel

/// Reads chunks from a block's `chunks/` directory (segment files `000001`, `000002`, …): a chunk reference is
/// `(segment index << 32) | byte offset`, where segment index 0 is file `000001`. Each segment is memory-mapped
/// when first needed; every chunk's length, encoding and CRC32C are checked.
public final class ChunkSegmentReader: Sendable {
    public let directory: String
    /// Segment file names present, sorted (the index into this list is the segment number of a reference).
    public let segmentNames: [String]
    private let segments: [MappedFile]

    static let magic: UInt32 = 0x85BD_40DD
    static let headerSize = 8

    /// Opens every segment file of `dir` (names of six digits), checking each header.
    public init(directory dir: String) throws(DiskFormatError) {
        directory = dir
        guard FileSystem.isDirectory(dir) else { throw DiskFormatError(path: dir, offset: nil, reason: "chunk directory missing") }
        let names = FileSystem.contents(ofDirectory: dir).filter { n in n.utf8.count == 6 && n.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }.sorted()
        var files: [MappedFile] = []
        for (i, n) in names.enumerated() {
            let p = dir + "/" + n
            // Segments are numbered from 1 without gaps: a gap means a missing file.
            guard Int(n) == i + 1 else { throw DiskFormatError(path: dir + "/" + String(repeating: "0", count: 6 - String(i + 1).count) + String(i + 1), offset: nil, reason: "missing chunk segment file") }
            let f: MappedFile
            do { f = try MappedFile(path: p) } catch { throw DiskFormatError(path: p, offset: nil, reason: error.message) }
            try f.withBytes { (b) throws(DiskFormatError) in
                var r = ByteReader(b)
                do {
                    let m = try r.be32()
                    guard m == Self.magic else { throw DiskFormatError(path: p, offset: 0, reason: "invalid magic number \(String(m, radix: 16))") }
                    let v = try r.byte()
                    guard v == 1 else { throw DiskFormatError(path: p, offset: 4, reason: "invalid chunk format version \(v)") }
                } catch let e as DiskFormatError {
                    throw e
                } catch {
                    throw DiskFormatError(path: p, offset: 0, reason: "invalid segment header (\(b.count) bytes)")
                }
            }
            files.append(f)
        }
        segmentNames = names
        segments = files
    }

    /// Total bytes of the segment files (what `tsdb list` counts with the index and meta).
    public var totalBytes: Int { segments.reduce(0) { $0 + $1.count } }

    /// The encoding and bytes of the chunk at `ref`.
    public func chunk(_ ref: UInt64) throws(DiskFormatError) -> (encoding: ChunkEncoding, bytes: [UInt8]) {
        let seq = Int(ref >> 32)
        let offset = Int(ref & 0xFFFF_FFFF)
        guard seq < segments.count else {
            let name = String(seq + 1)
            throw DiskFormatError(path: directory + "/" + String(repeating: "0", count: max(0, 6 - name.count)) + name, offset: offset,
                                  reason: "chunk segment file missing for chunk reference \(ref)")
        }
        let f = segments[seq]
        let p = f.path
        return try f.withBytes { (b) throws(DiskFormatError) -> (ChunkEncoding, [UInt8]) in
            var r = ByteReader(b)
            do {
                guard offset >= Self.headerSize else { throw DiskFormatError(path: p, offset: offset, reason: "chunk reference \(ref) points into the segment header") }
                try r.seek(to: offset)
                let n = try r.uvarintInt(limit: r.remaining)
                let encStart = r.offset
                let e = try r.byte()
                let data = try r.bytes(n)
                let want = try r.be32()
                let got = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: b[encStart..<(encStart + 1 + n)]))
                guard want == got else { throw DiskFormatError(path: p, offset: offset, reason: "checksum mismatch expected:\(String(want, radix: 16)), actual:\(String(got, radix: 16))") }
                guard let enc = ChunkEncoding(rawValue: e) else { throw DiskFormatError(path: p, offset: encStart, reason: "unknown chunk encoding \(e)") }
                return (enc, Array(data))
            } catch let e as DiskFormatError {
                throw e
            } catch let e as ByteReader.Error {
                throw DiskFormatError(path: p, offset: e.offset, reason: "read chunk: \(e.reason)")
            } catch {
                throw DiskFormatError(path: p, offset: offset, reason: "read chunk: \(error)")
            }
        }
    }

    /// A chunk that could not be decoded, as an error naming its segment file and offset.
    func decodeError(_ error: ChunkDecodeError, ref: UInt64, encoding: ChunkEncoding) -> DiskFormatError {
        let seq = Int(ref >> 32)
        return DiskFormatError(path: directory + "/" + (seq < segmentNames.count ? segmentNames[seq] : "?"),
                               offset: Int(ref & 0xFFFF_FFFF), reason: "decode \(encoding) chunk: \(error)")
    }
}
