import Engine
import FuzzSupport

/// Arbitrary bytes as a WAL segment (strict and with the torn-tail rule, and from an offset as a chunk snapshot's
/// WAL position is read), every record it yields through the record decoder and the chunk snapshot decoder, the
/// bytes themselves as one record of either kind, and the bytes as a `chunks_head/` file whose chunks go
/// through the chunk decoders: none may crash. A segment read with the torn-tail rule yields the records the
/// strict read yielded before its error, in the same order.
func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    _ = try? WALRecordDecoder.decode(bytes)
    if case .series(_, _, let chunk?)? = try? ChunkSnapshot.decode(bytes), let encoding = ChunkEncoding(rawValue: chunk.encoding) {
        _ = try? ChunkSamples.decode(encoding: encoding, bytes: chunk.data)
    }
    var strict: [[UInt8]] = []
    var lenient: [[UInt8]] = []
    bytes.withUnsafeBytes { raw in
        _ = try? WALSegmentReader.forEachRecord(in: raw, file: "fuzz", tornTailIsEnd: false) { (record, _) throws(WALError) in
            strict.append(record)
            _ = try? WALRecordDecoder.decode(record)
            _ = try? ChunkSnapshot.decode(record)
        }
        _ = try? WALSegmentReader.forEachRecord(in: raw, file: "fuzz", tornTailIsEnd: true, from: size / 2) { (_, _) throws(WALError) in }
        _ = try? WALSegmentReader.forEachRecord(in: raw, file: "fuzz", tornTailIsEnd: true) { (record, _) throws(WALError) in
            lenient.append(record)
        }
        try? HeadChunkFile.forEachChunk(in: raw, file: "fuzz") { (chunk) throws(WALError) in
            if let encoding = ChunkEncoding(rawValue: chunk.encoding) {
                _ = try? ChunkSamples.decode(encoding: encoding, bytes: chunk.data)
            }
        }
    }
    if Array(lenient.prefix(strict.count)) != strict { fuzzInvariantFailed("torn-tail reading changed the records before the tail") }
    return 0
}

exit(runLibFuzzer(fuzzOne))
