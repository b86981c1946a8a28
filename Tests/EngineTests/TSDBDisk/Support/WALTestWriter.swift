import CSnappy
import CZstd
import Foundation
@testable import Engine

/// Builds WAL segments, records and head chunk files the way Prometheus lays them out, for the reader tests:
/// records are split into full/first/middle/last fragments over 32 KiB pages, a page too full for another header
/// is zero-padded, and a closed segment is padded to a whole page.
struct WALTestWriter {
    enum Compression { case none, snappy, zstd }

    var compression: Compression = .none
    private(set) var bytes: [UInt8] = []

    init(compression: Compression = .none) { self.compression = compression }

    mutating func log(_ record: [UInt8]) {
        let payload: [UInt8]
        var flag: UInt8 = 0
        switch compression {
        case .none: payload = record
        case .snappy: payload = Self.snappy(record); flag = 0x08
        case .zstd: payload = Self.zstd(record); flag = 0x10
        }
        var rest = payload[...]
        var first = true
        repeat {
            let pageLeft = WALSegmentReader.pageSize - bytes.count % WALSegmentReader.pageSize
            if pageLeft < WALSegmentReader.headerSize {
                bytes.append(contentsOf: [UInt8](repeating: 0, count: pageLeft))
                continue
            }
            let n = min(rest.count, pageLeft - WALSegmentReader.headerSize)
            let last = n == rest.count
            let type: UInt8 = first ? (last ? 1 : 2) : (last ? 4 : 3)
            let part = Array(rest.prefix(n))
            rest = rest.dropFirst(n)
            var w = ByteWriter()
            w.byte(type | flag)
            w.be16(UInt16(n))
            w.be32(CRC32C.checksum(part))
            w.append(part)
            bytes.append(contentsOf: w.bytes)
            first = false
            if last { break }
        } while true
    }

    /// Pads the last page, as Prometheus does when it closes a segment.
    mutating func close() {
        let rem = bytes.count % WALSegmentReader.pageSize
        if rem != 0 { bytes.append(contentsOf: [UInt8](repeating: 0, count: WALSegmentReader.pageSize - rem)) }
    }

    static func snappy(_ input: [UInt8]) -> [UInt8] {
        var outLen = snappy_max_compressed_length(input.count)
        var out = [UInt8](repeating: 0, count: outLen)
        _ = input.withUnsafeBufferPointer { i in
            out.withUnsafeMutableBufferPointer { o in
                i.withMemoryRebound(to: CChar.self) { ic in
                    o.withMemoryRebound(to: CChar.self) { oc in snappy_compress(ic.baseAddress, ic.count, oc.baseAddress, &outLen) }
                }
            }
        }
        return Array(out.prefix(outLen))
    }

    static func zstd(_ input: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: ZSTD_compressBound(input.count))
        let n = input.withUnsafeBytes { i in
            out.withUnsafeMutableBytes { o in ZSTD_compress(o.baseAddress, o.count, i.baseAddress, i.count, 3) }
        }
        return Array(out.prefix(n))
    }

    // MARK: Records (Prometheus's encodings)

    static func series(_ list: [(UInt64, [(String, String)])]) -> [UInt8] {
        var w = ByteWriter()
        w.byte(1)
        for (ref, labels) in list {
            w.be64(ref)
            w.uvarint(UInt64(labels.count))
            for (n, v) in labels {
                w.uvarintString(n)
                w.uvarintString(v)
            }
        }
        return w.bytes
    }

    /// A V1 record of per-sample entries: the type, the first ref and time, then each entry's deltas and body.
    static func deltaRecord<S>(_ type: UInt8, _ list: [S], ref: (S) -> UInt64, t: (S) -> Int64,
                               body: (inout ByteWriter, S) -> Void) -> [UInt8] {
        var w = ByteWriter()
        w.byte(type)
        guard let first = list.first else { return w.bytes }
        w.be64(ref(first))
        w.be64(UInt64(bitPattern: t(first)))
        for s in list {
            w.varint(Int64(bitPattern: ref(s)) &- Int64(bitPattern: ref(first)))
            w.varint(t(s) &- t(first))
            body(&w, s)
        }
        return w.bytes
    }

    static func samples(_ list: [(ref: UInt64, t: Int64, v: Double)]) -> [UInt8] {
        deltaRecord(2, list, ref: \.ref, t: \.t) { w, s in w.be64(s.v.bitPattern) }
    }

    static func tombstones(_ list: [(ref: UInt64, mint: Int64, maxt: Int64)]) -> [UInt8] {
        var w = ByteWriter()
        w.byte(3)
        for s in list {
            w.be64(s.ref)
            w.varint(s.mint)
            w.varint(s.maxt)
        }
        return w.bytes
    }

    static func mmapMarkers(_ list: [(ref: UInt64, mmapRef: UInt64)]) -> [UInt8] {
        var w = ByteWriter()
        w.byte(5)
        for m in list {
            w.be64(m.ref)
            w.be64(m.mmapRef)
        }
        return w.bytes
    }

    /// A one-sample XOR chunk (sample count, varint timestamp, the value's 64 bits).
    static func xorChunk(t: Int64, v: Double) -> [UInt8] {
        var w = ByteWriter()
        w.be16(1)
        w.varint(t)
        w.be64(v.bitPattern)
        return w.bytes
    }

    /// A chunk snapshot series record (`encodeToSnapshotRecord`) holding a one-sample XOR head chunk.
    static func snapshotSeries(ref: UInt64, _ labels: [(String, String)], sample: (t: Int64, v: Double)?) -> [UInt8] {
        var w = ByteWriter()
        w.byte(1)
        w.append(series([(ref, labels)]).dropFirst())  // ref and labels, as a series record encodes them
        w.be64(0)
        guard let sample else {
            w.uvarint(0)
            return w.bytes
        }
        w.uvarint(1)
        w.be64(UInt64(bitPattern: sample.t))
        w.be64(UInt64(bitPattern: sample.t))
        w.byte(1)
        let chunk = xorChunk(t: sample.t, v: sample.v)
        w.uvarint(UInt64(chunk.count))
        w.append(chunk)
        for _ in 0..<3 { w.be64(0); w.be64(0) }
        w.be64(0)
        w.be64(sample.v.bitPattern)
        return w.bytes
    }

    /// A chunk snapshot tombstones record: the tombstones encoding (format byte, then entries) as uvarint bytes.
    static func snapshotTombstones(_ list: [(ref: UInt64, mint: Int64, maxt: Int64)]) -> [UInt8] {
        var body = ByteWriter()
        body.byte(1)
        for t in list {
            body.uvarint(t.ref)
            body.varint(t.mint)
            body.varint(t.maxt)
        }
        var w = ByteWriter()
        w.byte(2)
        w.uvarint(UInt64(body.bytes.count))
        w.append(body.bytes)
        return w.bytes
    }

    /// An integer histogram record (type 7, or 9 with custom values): buckets as deltas.
    static func intHistograms(_ list: [(ref: UInt64, t: Int64)], schema: Int64, count: UInt64, buckets: [Int64],
                              customValues: [Double] = []) -> [UInt8] {
        deltaRecord(customValues.isEmpty ? 7 : 9, list, ref: \.ref, t: \.t) { w, _ in
            w.byte(0)  // hint: unknown
            w.varint(schema)
            w.be64(Double(0.001).bitPattern)  // zero threshold
            w.uvarint(0)  // zero count
            w.uvarint(count)
            w.be64(Double(12.5).bitPattern)  // sum
            w.uvarint(1)  // one positive span
            w.varint(0)
            w.uvarint(UInt64(buckets.count))
            w.uvarint(0)  // no negative spans
            w.uvarint(UInt64(buckets.count))
            var prev: Int64 = 0
            for b in buckets {
                w.varint(b - prev)
                prev = b
            }
            w.uvarint(0)
            if !customValues.isEmpty {
                w.uvarint(UInt64(customValues.count))
                for c in customValues { w.be64(c.bitPattern) }
            }
        }
    }

    // MARK: Files

    static func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("walreader-\(UInt64.random(in: 0...UInt64.max))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func segmentName(_ i: Int) -> String {
        let s = String(i)
        return String(repeating: "0", count: max(0, 8 - s.count)) + s
    }

    /// A `chunks_head/` file: header, then each chunk record with its CRC32C.
    static func headChunkFile(_ chunks: [(ref: UInt64, mint: Int64, maxt: Int64, encoding: UInt8, data: [UInt8])]) -> [UInt8] {
        var w = ByteWriter()
        w.be32(HeadChunkFile.magic)
        w.byte(1)
        w.append([0, 0, 0])
        for c in chunks {
            let start = w.count
            w.be64(c.ref)
            w.be64(UInt64(bitPattern: c.mint))
            w.be64(UInt64(bitPattern: c.maxt))
            w.byte(c.encoding)
            w.uvarint(UInt64(c.data.count))
            w.append(c.data)
            w.be32(w.crc32c(from: start))
        }
        return w.bytes
    }
}
