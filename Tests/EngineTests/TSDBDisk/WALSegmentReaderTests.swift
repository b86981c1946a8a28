import Testing
@testable import Engine

@Suite struct WALSegmentReaderTests {
    /// Records of several sizes: small, exactly a page's payload, and large ones spanning pages (first/middle/last).
    static let records: [[UInt8]] = [
        [2, 1, 2, 3],
        [UInt8](repeating: 7, count: WALSegmentReader.pageSize - WALSegmentReader.headerSize),
        (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) },
        [6],
        (0..<70_000).map { UInt8(truncatingIfNeeded: $0 % 251) },
    ]

    static func read(_ bytes: [UInt8], tornTailIsEnd: Bool = false) throws -> ([[UInt8]], WALSegmentReader.End) {
        var out: [[UInt8]] = []
        let end = try bytes.withUnsafeBytes { (raw) throws in
            try WALSegmentReader.forEachRecord(in: raw, file: "wal/00000000", tornTailIsEnd: tornTailIsEnd) { (r, _) throws(WALError) in out.append(r) }
        }
        return (out, end)
    }

    @Test(arguments: [WALTestWriter.Compression.none, .snappy, .zstd])
    func recordsRoundTripOverPages(compression: WALTestWriter.Compression) throws {
        var w = WALTestWriter(compression: compression)
        for r in Self.records { w.log(r) }
        let (open, _) = try Self.read(w.bytes)
        #expect(open == Self.records)
        w.close()
        let (closed, end) = try Self.read(w.bytes)
        #expect(closed == Self.records)
        #expect(end == .init(records: Self.records.count, validBytes: w.bytes.count, tornTail: false))
    }

    @Test func tornTailIsTheEndOnlyWhenAllowed() throws {
        var w = WALTestWriter()
        for r in Self.records { w.log(r) }
        let whole = w.bytes
        // Cut inside the last record's first fragment (its data), inside its header, and between its fragments.
        let lastStart = whole.count - (70_000 + 3 * WALSegmentReader.headerSize)
        for cut in [whole.count - 10, whole.count - 70_000 + 5, lastStart + 3] {
            let torn = Array(whole.prefix(cut))
            let (records, end) = try Self.read(torn, tornTailIsEnd: true)
            #expect(records == Array(Self.records.prefix(4)), "cut at \(cut)")
            #expect(end.tornTail)
            #expect(throws: WALError.self) { try Self.read(torn) }
        }
        // The strict reader names where the torn record starts.
        do {
            _ = try Self.read(Array(whole.prefix(whole.count - 10)))
            Issue.record("no error")
        } catch let error as WALError {
            #expect(error.file == "wal/00000000")
            #expect(error.message == "unexpected EOF in record data")
            #expect(error.description.hasPrefix("corruption in segment wal/00000000 at "))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func badChecksumIsAnErrorWithTheOffset() throws {
        var w = WALTestWriter()
        w.log([2, 1, 2, 3])
        w.log([2, 4, 5, 6])
        var bytes = w.bytes
        bytes[11 + WALSegmentReader.headerSize + 2] ^= 0xff  // second record's data (first record is 7 + 4 bytes)
        for torn in [false, true] {
            #expect(throws: WALError(file: "wal/00000000", offset: 11, message: "unexpected checksum b1b4f69c, expected 1257d21f")) {
                try Self.read(bytes, tornTailIsEnd: torn)
            }
        }
    }

    @Test func malformedFragmentsAreErrors() throws {
        // A middle fragment with nothing before it; a record type 5; a length beyond a page; junk in padding.
        func fragment(_ type: UInt8, _ data: [UInt8], length: Int? = nil) -> [UInt8] {
            var w = ByteWriter()
            w.byte(type)
            w.be16(UInt16(length ?? data.count))
            w.be32(CRC32C.checksum(data))
            w.append(data)
            return w.bytes
        }
        #expect(throws: WALError(file: "wal/00000000", offset: 0, message: "unexpected middle record")) { try Self.read(fragment(3, [1])) }
        #expect(throws: WALError(file: "wal/00000000", offset: 0, message: "unexpected record type 5")) { try Self.read(fragment(5, [1])) }
        #expect(throws: WALError(file: "wal/00000000", offset: 0, message: "invalid record size 32762")) {
            try Self.read(fragment(1, [1], length: 32762))
        }
        var padded = fragment(1, [2]) + [UInt8](repeating: 0, count: 100)
        padded[50] = 1
        #expect(throws: WALError(file: "wal/00000000", offset: 50, message: "unexpected non-zero byte in padded page")) { try Self.read(padded) }
        // A corrupt snappy payload is an error at the record, not a crash.
        #expect(throws: WALError(file: "wal/00000000", offset: 0, message: "snappy: corrupt input")) {
            try Self.read(fragment(1 | 0x08, [0xff, 0xff, 0xff, 0xff, 0xff]))
        }
        #expect(throws: WALError.self) { try Self.read(fragment(1 | 0x10, [1, 2, 3, 4])) }
    }

    @Test func emptyAndZeroFilledSegmentsHoldNoRecords() throws {
        #expect(try Self.read([]).0.isEmpty)
        #expect(try Self.read([UInt8](repeating: 0, count: WALSegmentReader.pageSize)).0.isEmpty)
        // A page of zeros cut short is a torn write: the end in the newest segment, an error elsewhere.
        #expect(try Self.read([0, 0, 0], tornTailIsEnd: true).0.isEmpty)
        #expect(throws: WALError.self) { try Self.read([0, 0, 0]) }
    }
}
