/// Reads a block's `index` file (Prometheus index format v2, and v1): the table of contents, symbol table,
/// postings offset table, postings lists and series entries. The file is memory-mapped; symbols and the
/// postings offset table are loaded once (they are what every lookup needs), series and postings are decoded on
/// demand with their CRC32C checked, so a corrupt or truncated index gives an error naming the file and offset.
public final class IndexReader: Sendable {
    public let path: String
    /// 1 or 2.
    public let version: Int
    private let file: MappedFile
    private let symbols: [String]
    /// v1 symbol references are file offsets: the offset of each symbol, ascending, parallel to `symbols`.
    private let symbolOffsets: [Int]
    /// Label name → its values, sorted, each with the file offset of its postings list.
    private let postingsTable: [String: [(value: String, offset: Int)]]
    private let sortedNames: [String]

    static let magic: UInt32 = 0xBAAA_D700
    static let tocSize = 6 * 8 + 4

    struct TOC {
        var symbols: Int, series: Int, labelIndices: Int, labelIndicesTable: Int, postings: Int, postingsTable: Int
    }

    /// Opens and validates `path` (magic, version, TOC, symbol table and postings offset table checksums).
    public init(path: String) throws(DiskFormatError) {
        self.path = path
        do {
            file = try MappedFile(path: path)
        } catch {
            throw DiskFormatError(path: path, offset: nil, reason: error.message)
        }
        let f = file
        let p = path
        let parsed = try f.withBytes { (b) throws(DiskFormatError) -> (Int, [String], [Int], [String: [(value: String, offset: Int)]]) in
            guard b.count >= 5 + Self.tocSize else { throw DiskFormatError(path: p, offset: 0, reason: "index too short (\(b.count) bytes)") }
            var r = ByteReader(b)
            do {
                let m = try r.be32()
                guard m == Self.magic else { throw DiskFormatError(path: p, offset: 0, reason: "invalid magic number \(String(m, radix: 16))") }
                let v = Int(try r.byte())
                guard v == 1 || v == 2 else { throw DiskFormatError(path: p, offset: 4, reason: "unknown index version \(v)") }
                let toc = try Self.readTOC(b, path: p)
                let (syms, offs) = try Self.readSymbols(b, at: toc.symbols, path: p)
                let table = try Self.readPostingsTable(b, at: toc.postingsTable, path: p)
                return (v, syms, offs, table)
            } catch let e as DiskFormatError {
                throw e
            } catch let e as ByteReader.Error {
                throw DiskFormatError(path: p, base: 0, e)
            } catch {
                throw DiskFormatError(path: p, offset: nil, reason: "\(error)")
            }
        }
        version = parsed.0
        symbols = parsed.1
        symbolOffsets = parsed.2
        postingsTable = parsed.3
        sortedNames = parsed.3.keys.filter { !$0.isEmpty }.sorted()
    }

    private static func readTOC(_ b: UnsafeRawBufferPointer, path: String) throws(DiskFormatError) -> TOC {
        let start = b.count - tocSize
        var r = ByteReader(b, offset: start)
        do {
            var o: [Int] = []
            for _ in 0..<6 {
                let v = try r.be64()
                guard v <= UInt64(b.count) else { throw DiskFormatError(path: path, offset: r.offset - 8, reason: "table of contents points past the end of the file (\(v))") }
                o.append(Int(v))
            }
            let want = try r.be32()
            let got = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: b[start..<(start + 48)]))
            guard want == got else { throw DiskFormatError(path: path, offset: start, reason: "read TOC: checksum mismatch") }
            return TOC(symbols: o[0], series: o[1], labelIndices: o[2], labelIndicesTable: o[3], postings: o[4], postingsTable: o[5])
        } catch let e as DiskFormatError {
            throw e
        } catch {
            throw DiskFormatError(path: path, offset: start, reason: "read TOC: \(error)")
        }
    }

    /// A `len(4) | content | CRC32C(4)` section at `offset`: the content's range after checking the checksum.
    static func section(_ b: UnsafeRawBufferPointer, at offset: Int, path: String, what: String) throws(DiskFormatError) -> Range<Int> {
        var r = ByteReader(b, offset: 0)
        do {
            try r.seek(to: offset)
            let n = Int(try r.be32())
            let start = r.offset
            guard n + 4 <= r.remaining else {
                throw DiskFormatError(path: path, offset: offset, reason: "\(what): section length \(n) exceeds the file")
            }
            try r.skip(n)
            let want = try r.be32()
            let got = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: b[start..<(start + n)]))
            guard want == got else { throw DiskFormatError(path: path, offset: offset, reason: "\(what): checksum mismatch") }
            return start..<(start + n)
        } catch let e as DiskFormatError {
            throw e
        } catch let e as ByteReader.Error {
            throw DiskFormatError(path: path, offset: e.offset, reason: "\(what): \(e.reason)")
        } catch {
            throw DiskFormatError(path: path, offset: offset, reason: "\(what): \(error)")
        }
    }

    private static func readSymbols(_ b: UnsafeRawBufferPointer, at offset: Int, path: String) throws(DiskFormatError) -> ([String], [Int]) {
        let range = try section(b, at: offset, path: path, what: "read symbols")
        var r = ByteReader(UnsafeRawBufferPointer(rebasing: b[range]))
        do {
            let n = Int(try r.be32())
            // Each symbol takes at least one byte.
            guard n <= r.remaining else { throw DiskFormatError(path: path, offset: range.lowerBound, reason: "read symbols: count \(n) exceeds the section") }
            var syms: [String] = []
            var offs: [Int] = []
            syms.reserveCapacity(n)
            offs.reserveCapacity(n)
            for _ in 0..<n {
                offs.append(range.lowerBound + r.offset)
                syms.append(try r.uvarintString())
            }
            return (syms, offs)
        } catch let e as DiskFormatError {
            throw e
        } catch let e as ByteReader.Error {
            throw DiskFormatError(path: path, offset: range.lowerBound + e.offset, reason: "read symbols: \(e.reason)")
        } catch {
            throw DiskFormatError(path: path, offset: range.lowerBound, reason: "read symbols: \(error)")
        }
    }

    private static func readPostingsTable(_ b: UnsafeRawBufferPointer, at offset: Int, path: String) throws(DiskFormatError) -> [String: [(value: String, offset: Int)]] {
        let range = try section(b, at: offset, path: path, what: "read postings offset table")
        var r = ByteReader(UnsafeRawBufferPointer(rebasing: b[range]))
        var table: [String: [(value: String, offset: Int)]] = [:]
        do {
            let n = Int(try r.be32())
            guard n <= r.remaining else { throw DiskFormatError(path: path, offset: range.lowerBound, reason: "read postings offset table: count \(n) exceeds the section") }
            for _ in 0..<n {
                let at = range.lowerBound + r.offset
                let keys = try r.uvarint()
                guard keys == 2 else { throw DiskFormatError(path: path, offset: at, reason: "read postings offset table: unexpected key length \(keys)") }
                let name = try r.uvarintString()
                let value = try r.uvarintString()
                let off = try r.uvarintInt(limit: b.count)
                table[name, default: []].append((value, off))
            }
        } catch let e as DiskFormatError {
            throw e
        } catch let e as ByteReader.Error {
            throw DiskFormatError(path: path, offset: range.lowerBound + e.offset, reason: "read postings offset table: \(e.reason)")
        } catch {
            throw DiskFormatError(path: path, offset: range.lowerBound, reason: "read postings offset table: \(error)")
        }
        return table
    }

    // MARK: - Lookups

    /// The symbol a series entry refers to (v2: its index; v1: its file offset).
    func symbol(_ ref: UInt64, at offset: Int) throws(DiskFormatError) -> String {
        if version == 2 {
            guard ref < UInt64(symbols.count) else { throw DiskFormatError(path: path, offset: offset, reason: "unknown symbol reference \(ref)") }
            return symbols[Int(ref)]
        }
        var lo = 0, hi = symbolOffsets.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if UInt64(symbolOffsets[mid]) < ref { lo = mid + 1 } else { hi = mid }
        }
        guard lo < symbolOffsets.count, UInt64(symbolOffsets[lo]) == ref else {
            throw DiskFormatError(path: path, offset: offset, reason: "unknown symbol reference \(ref)")
        }
        return symbols[lo]
    }

    /// Size of the index file in bytes.
    public var fileSize: Int { file.count }

    /// Every symbol of the index, sorted.
    public var allSymbols: [String] { symbols }

    /// Label names present in the block, sorted.
    public func labelNames() -> [String] { sortedNames }

    /// The values of `name`, sorted.
    public func labelValues(_ name: String) -> [String] { postingsTable[name]?.map(\.value) ?? [] }

    /// Series refs whose label `name` equals `value`, sorted.
    public func postings(_ name: String, _ value: String) throws(DiskFormatError) -> [UInt64] {
        guard let values = postingsTable[name] else { return [] }
        var lo = 0, hi = values.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if values[mid].value < value { lo = mid + 1 } else { hi = mid }
        }
        guard lo < values.count, values[lo].value == value else { return [] }
        return try postingsList(at: values[lo].offset)
    }

    /// Every series ref of the block (the `"", ""` postings list), sorted.
    public func allPostings() throws(DiskFormatError) -> [UInt64] { try postings("", "") }

    /// The postings list stored at `offset`.
    func postingsList(at offset: Int) throws(DiskFormatError) -> [UInt64] {
        let p = path
        return try file.withBytes { (b) throws(DiskFormatError) -> [UInt64] in
            let range = try Self.section(b, at: offset, path: p, what: "read postings")
            var r = ByteReader(UnsafeRawBufferPointer(rebasing: b[range]))
            do {
                let n = Int(try r.be32())
                guard n <= r.remaining / 4 else { throw DiskFormatError(path: p, offset: offset, reason: "read postings: count \(n) exceeds the section") }
                var out: [UInt64] = []
                out.reserveCapacity(n)
                for _ in 0..<n { out.append(UInt64(try r.be32())) }
                return out
            } catch let e as DiskFormatError {
                throw e
            } catch let e as ByteReader.Error {
                throw DiskFormatError(path: p, offset: range.lowerBound + e.offset, reason: "read postings: \(e.reason)")
            } catch {
                throw DiskFormatError(path: p, offset: offset, reason: "read postings: \(error)")
            }
        }
    }

    /// Series refs matching every matcher, sorted. Matchers that match the empty string also select series
    /// without the label, as in Prometheus.
    public func postings(matching matchers: [LabelMatcher]) throws(DiskFormatError) -> [UInt64] {
        var result: [UInt64]? = nil
        var subtract: [[UInt64]] = []
        for m in matchers {
            if m.matchesEmpty {
                // Series that have the label with a value the matcher rejects are excluded.
                var lists: [[UInt64]] = []
                for (value, off) in postingsTable[m.name] ?? [] where !m.matches(value) { lists.append(try postingsList(at: off)) }
                subtract.append(Self.union(lists))
            } else {
                var out: [UInt64] = []
                if m.type == .equal {
                    out = try postings(m.name, m.value)
                } else {
                    var lists: [[UInt64]] = []
                    for (value, off) in postingsTable[m.name] ?? [] where m.matches(value) { lists.append(try postingsList(at: off)) }
                    out = Self.union(lists)
                }
                result = result.map { Self.intersect($0, out) } ?? out
            }
        }
        var base: [UInt64]
        if let result { base = result } else { base = try allPostings() }
        for s in subtract { base = Self.without(base, s) }
        return base
    }

    /// The sorted union of many sorted lists (one sort instead of pairwise merges, which grow quadratically).
    static func union(_ lists: [[UInt64]]) -> [UInt64] {
        if lists.count <= 1 { return lists.first ?? [] }
        if lists.count == 2 { return union(lists[0], lists[1]) }
        var all = lists.flatMap { $0 }
        all.sort()
        var out: [UInt64] = []
        out.reserveCapacity(all.count)
        for x in all where out.last != x { out.append(x) }
        return out
    }

    static func union(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        if a.isEmpty { return b }
        if b.isEmpty { return a }
        var out: [UInt64] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count, j < b.count {
            if a[i] < b[j] { out.append(a[i]); i += 1 } else if a[i] > b[j] { out.append(b[j]); j += 1 } else { out.append(a[i]); i += 1; j += 1 }
        }
        out.append(contentsOf: a[i...])
        out.append(contentsOf: b[j...])
        return out
    }

    static func intersect(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        var out: [UInt64] = []
        var i = 0, j = 0
        while i < a.count, j < b.count {
            if a[i] < b[j] { i += 1 } else if a[i] > b[j] { j += 1 } else { out.append(a[i]); i += 1; j += 1 }
        }
        return out
    }

    static func without(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        if b.isEmpty { return a }
        var out: [UInt64] = []
        var j = 0
        for x in a {
            while j < b.count, b[j] < x { j += 1 }
            if j < b.count, b[j] == x { continue }
            out.append(x)
        }
        return out
    }

    /// The labels and chunk metas of the series `ref` (v2: the entry at ref×16; v1: at ref), CRC-checked.
    public func series(_ ref: UInt64) throws(DiskFormatError) -> (labels: Labels, chunks: [ChunkMeta]) {
        let (mul, overflow) = ref.multipliedReportingOverflow(by: version == 2 ? 16 : 1)
        guard !overflow, mul < UInt64(file.count) else { throw DiskFormatError(path: path, offset: nil, reason: "series reference \(ref) out of range") }
        let offset = Int(mul)
        let p = path
        let raw = try file.withBytes { (b) throws(DiskFormatError) -> ([(UInt64, UInt64)], [ChunkMeta]) in
            var r = ByteReader(b, offset: offset)
            do {
                let n = try r.uvarintInt(limit: r.remaining)
                guard n + 4 <= r.remaining else { throw DiskFormatError(path: p, offset: offset, reason: "read series: length \(n) exceeds the file") }
                let content = try r.bytes(n)
                let want = try r.be32()
                guard CRC32C.checksum(content) == want else { throw DiskFormatError(path: p, offset: offset, reason: "read series: checksum mismatch") }
                var s = ByteReader(content)
                let k = try s.uvarintInt(limit: s.remaining)
                var refs: [(UInt64, UInt64)] = []
                refs.reserveCapacity(k)
                for _ in 0..<k { refs.append((try s.uvarint(), try s.uvarint())) }
                let c = try s.uvarintInt(limit: s.remaining)
                var chunks: [ChunkMeta] = []
                chunks.reserveCapacity(c)
                if c > 0 {
                    let mint = try s.varint()
                    let maxt = mint &+ Int64(bitPattern: try s.uvarint())
                    var ref = try s.uvarint()
                    chunks.append(ChunkMeta(ref: ref, minTime: mint, maxTime: maxt))
                    var prevMax = maxt
                    for _ in 1..<c {
                        let mi = prevMax &+ Int64(bitPattern: try s.uvarint())
                        let ma = mi &+ Int64(bitPattern: try s.uvarint())
                        ref = UInt64(bitPattern: Int64(bitPattern: ref) &+ (try s.varint()))
                        chunks.append(ChunkMeta(ref: ref, minTime: mi, maxTime: ma))
                        prevMax = ma
                    }
                }
                return (refs, chunks)
            } catch let e as DiskFormatError {
                throw e
            } catch let e as ByteReader.Error {
                throw DiskFormatError(path: p, offset: offset, reason: "read series: \(e.reason)")
            } catch {
                throw DiskFormatError(path: p, offset: offset, reason: "read series: \(error)")
            }
        }
        var labels: [Labels.Label] = []
        labels.reserveCapacity(raw.0.count)
        for (n, v) in raw.0 {
            labels.append(Labels.Label(try symbol(n, at: offset), try symbol(v, at: offset)))
        }
        return (Labels(sorted: labels), raw.1)
    }
}
