import ConfigModel

/// A block's `tombstones` file: per series ref, the time intervals deleted (both ends inclusive). Samples inside
/// them are removed from every read. A missing file means no deletions, as in Prometheus.
public struct Tombstones: Sendable {
    /// Deleted intervals by series ref, each list sorted and merged.
    public private(set) var intervals: [UInt64: [ClosedRange<Int64>]]

    static let magic: UInt32 = 0x0130_BA30

    public init(intervals: [UInt64: [ClosedRange<Int64>]] = [:]) { self.intervals = intervals }

    /// Reads `<dir>/tombstones` (empty when the file does not exist).
    public static func read(directory dir: String) throws(DiskFormatError) -> Tombstones {
        let path = dir + "/tombstones"
        guard FileSystem.exists(path) else { return Tombstones() }
        guard let bytes = FileSystem.contents(ofFile: path) else { throw DiskFormatError(path: path, offset: nil, reason: "cannot read file") }
        return try parse(bytes, path: path)
    }

    /// Parses tombstones file bytes (`path` names the file in errors).
    public static func parse(_ bytes: [UInt8], path: String) throws(DiskFormatError) -> Tombstones {
        guard bytes.count >= 9 else { throw DiskFormatError(path: path, offset: 0, reason: "tombstones header: invalid size") }
        let result = bytes.withUnsafeBytes { (b) -> Result<Tombstones, DiskFormatError> in
            do throws(DiskFormatError) { return .success(try parseBuffer(b, path: path)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    private static func parseBuffer(_ b: UnsafeRawBufferPointer, path: String) throws(DiskFormatError) -> Tombstones {
        var t = Tombstones()
            var r = ByteReader(UnsafeRawBufferPointer(rebasing: b[0..<(b.count - 4)]))
            do {
                let m = try r.be32()
                guard m == magic else { throw DiskFormatError(path: path, offset: 0, reason: "invalid magic number \(String(m, radix: 16))") }
                var crc = ByteReader(UnsafeRawBufferPointer(rebasing: b[(b.count - 4)...]))
                let want = try crc.be32()
                guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: b[5..<(b.count - 4)])) == want else {
                    throw DiskFormatError(path: path, offset: b.count - 4, reason: "checksum did not match")
                }
                let v = try r.byte()
                guard v == 1 else { throw DiskFormatError(path: path, offset: 4, reason: "invalid tombstones version \(v)") }
                while r.remaining > 0 {
                    let ref = try r.uvarint()
                    let mint = try r.varint()
                    let maxt = try r.varint()
                    guard mint <= maxt else { continue }
                    t.add(ref, mint...maxt)
                }
            } catch let e as DiskFormatError {
                throw e
            } catch let e as ByteReader.Error {
                throw DiskFormatError(path: path, offset: e.offset, reason: "read tombstones: \(e.reason)")
            } catch {
                throw DiskFormatError(path: path, offset: nil, reason: "\(error)")
            }
        return t
    }

    /// Adds a deleted interval, merging overlapping and adjacent ones (`Intervals.Add`).
    public mutating func add(_ ref: UInt64, _ range: ClosedRange<Int64>) {
        var list = intervals[ref, default: []]
        list.append(range)
        list.sort { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<Int64>] = []
        for r in list {
            if let last = merged.last, r.lowerBound <= last.upperBound &+ 1 || last.upperBound == .max {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                merged.append(r)
            }
        }
        intervals[ref] = merged
    }

    /// Whether sample time `t` of series `ref` was deleted.
    public func isDeleted(_ ref: UInt64, _ t: Int64) -> Bool {
        guard let list = intervals[ref] else { return false }
        return list.contains { $0.contains(t) }
    }

    /// Number of deleted intervals (what meta.json's numTombstones counts).
    public var count: Int { intervals.values.reduce(0) { $0 + $1.count } }
}
