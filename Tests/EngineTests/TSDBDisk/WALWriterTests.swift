import Foundation
import Testing
import TestSupport
@testable import Engine

/// `WALWriter` and `WALRecordEncoder`, read back with our reader (`WALDirectory`, `WALSegmentReader`,
/// `WALRecordDecoder`); Prometheus reading them is `WALWriterProcessTests`.
@Suite struct WALWriterTests {
    static func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "walwriter-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Every record of every segment of `dir`, in order, and the segments' sizes.
    static func readAll(_ dir: String) throws -> (records: [[UInt8]], sizes: [Int]) {
        let listing = try WALDirectory(path: dir)
        var out: [[UInt8]] = []
        var sizes: [Int] = []
        for s in listing.segments {
            try WALSegmentReader.forEachRecord(path: s.path, tornTailIsEnd: false) { (r, _) throws(WALError) in out.append(r) }
            sizes.append(try FileManager.default.attributesOfItem(atPath: s.path)[.size] as? Int ?? -1)
        }
        return (out, sizes)
    }

    /// Records of every shape: empty, tiny, exactly one page's payload, spanning pages, compressible or not.
    static func records(seed: UInt64) -> [[UInt8]] {
        var rng = TestRNG(seed: seed)
        var out: [[UInt8]] = [[], [2, 1, 2, 3], [UInt8](repeating: 7, count: WALSegmentReader.pageSize - WALSegmentReader.headerSize)]
        for _ in 0..<40 {
            let n = Int(rng.next() % 3 == 0 ? rng.next() % 90_000 : rng.next() % 3_000)
            let compressible = rng.next() % 2 == 0
            out.append((0..<n).map { i in compressible ? UInt8(truncatingIfNeeded: i / 64) : UInt8(truncatingIfNeeded: rng.next()) })
        }
        return out
    }

    @Test(arguments: WALWriteCompression.allCases)
    func recordsRoundTripOverPagesAndSegments(compression: WALWriteCompression) throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let records = Self.records(seed: 7)
        // Four pages a segment: records are cut into segments, never across them.
        let w = try WALWriter(directory: dir, compression: compression, segmentSize: 4 * WALSegmentReader.pageSize)
        var i = 0
        while i < records.count {
            let batch = Array(records[i..<min(records.count, i + 3)])
            try w.log(batch)
            i += 3
        }
        try w.close()
        let (read, sizes) = try Self.readAll(dir)
        #expect(read == records)
        #expect(sizes.count > 3)
        #expect(sizes.allSatisfy { $0 > 0 && $0 % WALSegmentReader.pageSize == 0 })
        // Every record (at most 90,000 bytes) fits a segment, so none is longer than the segment size.
        #expect(sizes.allSatisfy { $0 <= 4 * WALSegmentReader.pageSize })
    }

    @Test func segmentsHoldWholeRecordsAndRespectTheSize() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let segment = 2 * WALSegmentReader.pageSize
        let w = try WALWriter(directory: dir, compression: .none, segmentSize: segment)
        var records: [[UInt8]] = []
        for k in 0..<30 { records.append([UInt8](repeating: UInt8(k), count: 10_000 + k * 100)) }
        for r in records { try w.log([r]) }
        try w.close()
        let listing = try WALDirectory(path: dir)
        var read: [[UInt8]] = []
        for s in listing.segments {
            // Each segment alone holds whole records (a torn one would throw here).
            let end = try WALSegmentReader.forEachRecord(path: s.path, tornTailIsEnd: false) { (r, _) throws(WALError) in read.append(r) }
            #expect(!end.tornTail)
            let size = try FileManager.default.attributesOfItem(atPath: s.path)[.size] as? Int ?? -1
            #expect(size > 0 && size <= segment)
        }
        #expect(read == records)
        #expect(listing.segments.map(\.index) == Array(0..<listing.segments.count))
        #expect(listing.segments.first.map { $0.path.hasSuffix("/00000000") } == true)
    }

    /// Uncompressed output is byte for byte the layout the reader tests build by hand (Prometheus's).
    @Test func uncompressedBytesEqualTheReferenceLayout() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let records = Self.records(seed: 11)
        let w = try WALWriter(directory: dir, compression: .none)
        for r in records { try w.log([r]) }
        try w.close()
        var reference = WALTestWriter(compression: .none)
        for r in records { reference.log(r) }
        reference.close()
        let ours = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/00000000")))
        #expect(ours == reference.bytes)
    }

    @Test func compressionIsSkippedWhenItDoesNotHelp() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = TestRNG(seed: 3)
        let random = (0..<500).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let zeros = [UInt8](repeating: 0, count: 5_000)
        let w = try WALWriter(directory: dir, compression: .snappy)
        try w.log([random, zeros])
        try w.close()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/00000000")))
        // The random record is stored as is (no flag), the zeros snappy-compressed (flag 0x08), far shorter.
        #expect(bytes[0] == 1)
        let second = WALSegmentReader.headerSize + random.count
        #expect(bytes[second] == 1 | 0x08)
        let length = Int(bytes[second + 1]) << 8 | Int(bytes[second + 2])
        #expect(length < 1_000)
        #expect(try Self.readAll(dir).records == [random, zeros])
    }

    @Test func reopeningStartsANewSegment() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try WALWriter(directory: dir + "/wal")
        try first.log([[1, 2, 3]])
        try first.close()
        let second = try WALWriter(directory: dir + "/wal")
        #expect(second.segmentIndex == 1)
        try second.log([[4, 5]])
        try second.close()
        #expect(try Self.readAll(dir + "/wal").records == [[1, 2, 3], [4, 5]])
        #expect(throws: BlockWriteError.self) { try second.log([[6]]) }
    }

    @Test func invalidSegmentSizeIsAnError() throws {
        #expect(throws: BlockWriteError.self) { _ = try WALWriter(directory: "/nonexistent-wal", segmentSize: 1000) }
        #expect(throws: BlockWriteError.self) { _ = try WALWriter(directory: "/proc/none/wal") }
    }

    @Test func seriesAndSamplesRecordsDecodeToWhatWasEncoded() throws {
        var rng = TestRNG(seed: 5)
        let series = (0..<50).map { i in
            WALSeries(ref: UInt64(i * 3 + 1), labels: Labels([("__name__", "metric_\(i % 7)"), ("job", "j\"ö\\b"), ("i", "\(i)")]))
        }
        var w = ByteWriter()
        WALRecordEncoder.series(series, into: &w)
        guard case .series(let decoded) = try WALRecordDecoder.decode(w.bytes) else { Issue.record("not a series record"); return }
        #expect(decoded == series)

        // Refs and times both up and down from the first sample; odd values (NaN payloads, -0, infinities).
        let values: [Double] = [0, -0.0, 1.5, .infinity, -.infinity, Double(bitPattern: 0x7FF0_0000_0000_0002), 1e300]
        let samples = (0..<500).map { i in
            WALSample(ref: rng.next() % 1_000, startTime: 0, t: 1_700_000_000_000 + Int64(rng.next() % 100_000) - 50_000,
                      v: values[i % values.count])
        }
        w.reset()
        WALRecordEncoder.samples(samples, into: &w)
        guard case .samples(let decodedSamples) = try WALRecordDecoder.decode(w.bytes) else { Issue.record("not a samples record"); return }
        #expect(decodedSamples == samples)
        w.reset()
        WALRecordEncoder.samples([], into: &w)
        #expect(w.bytes == [WALRecordType.samples.rawValue])
    }
}
