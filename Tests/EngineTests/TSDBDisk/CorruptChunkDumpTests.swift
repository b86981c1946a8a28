#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Engine

/// A block's chunk segment damaged after it was written: `tsdb dump` (`TSDBReport.dump`, what the command runs)
/// fails with an error naming the segment file and the offset of the damaged chunk, never a crash.
@Suite struct CorruptChunkDumpTests {
    /// A one-block directory and the path of its first chunk segment; the first chunk starts at offset 8.
    static func block() throws -> (dir: String, segment: String) {
        let r = try OpenMetricsBackfillTests.run("a{b=\"c\"} 1 100\na{b=\"c\"} 2 115\na{b=\"d\"} 3 100\n# EOF\n")
        #expect(r.error == nil)
        let b = try #require(r.blocks.first)
        return (r.dir + "/out", b.path + "/chunks/000001")
    }

    static func dump(_ dir: String) throws -> String {
        let m = try LabelMatcher(.regexMatch, "__name__", ".+")
        var out = ""
        try TSDBReport.dump(try TSDBDirectory(path: dir), matcherSets: [[m]], mint: .min, maxt: .max, format: .prom) { out += $0 }
        return out
    }

    static func dumpError(_ dir: String) throws -> DiskFormatError {
        do {
            _ = try dump(dir)
        } catch let e as DiskFormatError {
            return e
        }
        throw DumpSucceeded()
    }

    struct DumpSucceeded: Error {}

    static func rewrite(_ path: String, _ change: (inout [UInt8]) -> Void) throws {
        var bytes = OpenMetricsBackfillTests.read(path)
        try #require(bytes.count > 12)
        change(&bytes)
        unlink(path)
        try OutputFile.create(path, contents: bytes)
    }

    /// The first chunk's layout: its length varint (one byte for these small chunks), encoding byte, data, CRC.
    static func firstChunk(_ bytes: [UInt8]) -> (encoding: Int, data: Range<Int>, crc: Int) {
        let length = Int(bytes[8])
        return (9, 10..<(10 + length), 10 + length)
    }

    /// Sets the first chunk's encoding byte and recomputes its checksum, so only the encoding is wrong.
    static func setFirstEncoding(_ encoding: UInt8, in segment: String) throws {
        try rewrite(segment) { b in
            let c = firstChunk(b)
            b[c.encoding] = encoding
            let crc = CRC32C.checksum(b[c.encoding..<c.data.upperBound])
            for i in 0..<4 { b[c.crc + i] = UInt8(truncatingIfNeeded: crc >> UInt32(24 - 8 * i)) }
        }
    }

    @Test func intactBlockDumps() throws {
        let (dir, _) = try Self.block()
        #expect(try Self.dump(dir) == "{__name__=\"a\", b=\"c\"} 1 100000\n{__name__=\"a\", b=\"c\"} 2 115000\n{__name__=\"a\", b=\"d\"} 3 100000\n")
    }

    @Test func truncatedSegmentNamesFileAndOffset() throws {
        let (dir, segment) = try Self.block()
        try Self.rewrite(segment) { $0.removeLast($0.count - 12) }
        let e = try Self.dumpError(dir)
        #expect(e.path == segment)
        #expect(e.offset != nil)
        #expect(e.description.hasPrefix(segment + ": ") && e.description.contains(" at offset "))
    }

    @Test func badChecksumNamesFileAndOffset() throws {
        let (dir, segment) = try Self.block()
        try Self.rewrite(segment) { b in b[Self.firstChunk(b).data.lowerBound] ^= 0x55 }
        let e = try Self.dumpError(dir)
        #expect(e.path == segment && e.offset == 8)
        #expect(e.reason.hasPrefix("checksum mismatch"))
    }

    @Test(arguments: [UInt8(7), 0x7F, 0xFF]) func unknownEncodingNamesFileAndOffset(encoding: UInt8) throws {
        let (dir, segment) = try Self.block()
        try Self.setFirstEncoding(encoding, in: segment)
        let e = try Self.dumpError(dir)
        #expect(e.path == segment && e.offset == 9)
        #expect(e.reason == "unknown chunk encoding \(encoding)")
    }

    /// A known encoding whose data does not decode as it (XOR data read as a histogram chunk, or encoding 0).
    @Test(arguments: [UInt8(0), 2, 5]) func undecodableChunkNamesFileAndOffset(encoding: UInt8) throws {
        let (dir, segment) = try Self.block()
        try Self.setFirstEncoding(encoding, in: segment)
        let e = try Self.dumpError(dir)
        #expect(e.path == segment && e.offset == 8)
        #expect(e.reason.hasPrefix("decode \(ChunkEncoding(rawValue: encoding)?.description ?? "?") chunk: "))
    }
}
