import ConfigModel

/// Prometheus's chunk snapshot (`--enable-feature=memory-snapshot-on-shutdown`): a directory
/// `chunk_snapshot.N.M` in the data directory, written in WAL segment format at shutdown, holding every head series
/// with its newest (open) head chunk, then the head's tombstones, then its exemplars. `N.M` is the WAL segment and
/// the offset in it up to which the snapshot covers the WAL, so a replay continues the WAL from there.
public enum ChunkSnapshot {
    /// The newest snapshot of a data directory.
    public struct Location: Sendable, Equatable {
        public var path: String
        /// The WAL segment the snapshot was taken at.
        public var segment: Int
        /// The byte offset in that segment up to which the snapshot covers the WAL.
        public var offset: Int
    }

    /// A head chunk as the snapshot stores it (the encoded chunk and its time range).
    public struct Chunk: Sendable {
        public var minTime: Int64
        public var maxTime: Int64
        public var encoding: UInt8
        public var data: [UInt8]
    }

    /// One record of a snapshot.
    public enum Record: Sendable {
        /// A head series (WAL ref) and its open head chunk, if it had one.
        case series(ref: UInt64, labels: Labels, chunk: Chunk?)
        /// Deleted intervals by WAL series ref.
        case tombstones([WALTombstone])
        case exemplars([WALExemplar])
    }

    static let prefix = "chunk_snapshot."

    /// The newest `chunk_snapshot.N.M` directory of `dataDirectory` (highest N, then M), or nil when there is none.
    /// Names not of that form are ignored as Prometheus ignores them; such a name that is a file is an error.
    public static func latest(in dataDirectory: String) throws(WALError) -> Location? {
        var best: Location?
        for name in FileSystem.contents(ofDirectory: dataDirectory) where name.hasPrefix(prefix) {
            let path = dataDirectory + "/" + name
            guard FileSystem.isDirectory(path) else {
                throw WALError(file: path, offset: nil, message: "chunk snapshot \(name) is not a directory")
            }
            let parts = name.dropFirst(prefix.count).split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, let segment = Int(parts[0]), let offset = Int(parts[1]) else { continue }
            if let b = best, segment < b.segment || (segment == b.segment && offset <= b.offset) { continue }
            best = Location(path: path, segment: segment, offset: offset)
        }
        return best
    }

    /// Calls `body` with every record of the snapshot at `location`, in order. A record that does not decode, or of
    /// a type Prometheus does not know, is an error naming the segment file and the record's offset (Prometheus then
    /// discards the snapshot and replays the WAL alone).
    public static func forEachRecord(_ location: Location, _ body: (Record) throws(WALError) -> Void) throws(WALError) {
        let segments = FileSystem.contents(ofDirectory: location.path).compactMap { name in Int(name).map { ($0, location.path + "/" + name) } }
            .sorted { $0.0 < $1.0 }
        for (i, (_, path)) in segments.enumerated() {
            try WALSegmentReader.forEachRecord(path: path, tornTailIsEnd: i == segments.count - 1) { (bytes, offset) throws(WALError) in
                let record: Record
                do throws(WALRecordDecoder.Error) {
                    record = try decode(bytes)
                } catch {
                    throw WALError(file: path, offset: offset, message: error.description)
                }
                try body(record)
            }
        }
    }

    /// Decodes one snapshot record (`decodeSeriesFromChunkSnapshot`, the tombstones and exemplars records).
    public static func decode(_ record: [UInt8]) throws(WALRecordDecoder.Error) -> Record {
        guard let type = record.first else { throw WALRecordDecoder.Error(offset: 0, message: "empty record") }
        switch type {
        case 1:
            let result = record.withUnsafeBytes { (raw) -> Result<Record, WALRecordDecoder.Error> in
                var r = ByteReader(raw, offset: 1)
                do {
                    let decoded = try series(&r)
                    guard r.remaining == 0 else {
                        return .failure(.init(offset: r.offset, message: "unexpected \(r.remaining) bytes left in entry"))
                    }
                    return .success(decoded)
                } catch let e as ByteReader.Error {
                    return .failure(.init(offset: e.offset, message: "decode series record: \(e.reason)"))
                } catch let e as WALRecordDecoder.Error {
                    return .failure(e)
                } catch {
                    return .failure(.init(offset: r.offset, message: "\(error)"))
                }
            }
            return try result.get()
        case 2:
            let result = record.withUnsafeBytes { (raw) -> Result<Record, WALRecordDecoder.Error> in
                var r = ByteReader(raw, offset: 1)
                do {
                    let length = try r.uvarintInt(limit: r.remaining)
                    let bodyStart = r.offset
                    // The length is checked against what follows it before the body is cut out of the record.
                    try r.skip(length)
                    // Offsets stay those of the record.
                    var body = ByteReader(UnsafeRawBufferPointer(rebasing: raw[0..<(bodyStart + length)]), offset: bodyStart)
                    guard r.remaining == 0 else {
                        return .failure(.init(offset: r.offset, message: "unexpected \(r.remaining) bytes left in entry"))
                    }
                    let format = try body.byte()
                    guard format == 1 else {
                        return .failure(.init(offset: bodyStart, message: "decode tombstones: invalid tombstone format \(format)"))
                    }
                    var out: [WALTombstone] = []
                    while body.remaining > 0 {
                        let ref = try body.uvarint()
                        out.append(WALTombstone(ref: ref, minTime: try body.varint(), maxTime: try body.varint()))
                    }
                    return .success(.tombstones(out))
                } catch let e as ByteReader.Error {
                    return .failure(.init(offset: e.offset, message: "decode tombstones: \(e.reason)"))
                } catch {
                    return .failure(.init(offset: 1, message: "\(error)"))
                }
            }
            return try result.get()
        case 3:
            // The body is a WAL exemplars record's.
            var asWAL = record
            asWAL[0] = WALRecordType.exemplars.rawValue
            guard case .exemplars(let list) = try WALRecordDecoder.decode(asWAL) else { return .exemplars([]) }
            return .exemplars(list)
        default:
            throw WALRecordDecoder.Error(offset: 0, message: "unsupported snapshot record type 0b\(String(type, radix: 2))")
        }
    }

    private static func series(_ r: inout ByteReader) throws -> Record {
        let ref = try r.be64()
        let labels = try WALRecordDecoder.labels(&r)
        _ = try r.be64()  // the chunk range, unused
        guard try r.uvarint() != 0 else { return .series(ref: ref, labels: labels, chunk: nil) }
        let minTime = Int64(bitPattern: try r.be64())
        let maxTime = Int64(bitPattern: try r.be64())
        let encoding = try r.byte()
        let length = try r.uvarintInt(limit: r.remaining)
        let data = Array(try r.bytes(length))
        // The newest value, kept so Prometheus can append to the chunk; the head rebuilds it from the samples.
        switch ChunkEncoding(rawValue: encoding) {
        case .xor, .xor2:
            try r.skip(4 * 16)
        case .histogram, .histogramST:
            _ = try WALRecordDecoder.histogram(&r, isFloat: false)
        case .floatHistogram, .floatHistogramST:
            _ = try WALRecordDecoder.histogram(&r, isFloat: true)
        case .some(.none), nil:
            throw WALRecordDecoder.Error(offset: r.offset, message: "chunk encoding \(encoding) has no decode case")
        }
        return .series(ref: ref, labels: labels, chunk: Chunk(minTime: minTime, maxTime: maxTime, encoding: encoding, data: data))
    }
}
