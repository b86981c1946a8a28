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
                // 3.14 reads version 3 exactly as version 2; only version 1 differs (tsdb/index/index.go).
                guard (1...3).contains(v) else { throw DiskFormatError(path: p, offset: 4, reason: "unknown index version \(v)") }
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
        guard let id = Self.symbolIndex(ref, v1: version == 1, offsets: symbolOffsets, count: symbols.count) else {
            throw DiskFormatError(path: path, offset: offset, reason: "unknown symbol reference \(ref)")
        }
        return symbols[id]
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
        guard let offset = postingsOffset(name, value) else { return [] }
        return try postingsList(at: offset)
    }

    /// Every series ref of the block (the `"", ""` postings list), sorted.
    public func allPostings() throws(DiskFormatError) -> [UInt64] { try postings("", "") }

    /// Calls `body` with each series ref of the postings list `name`=`value` in order, read from the mapping
    /// without building an array (the list's CRC32C is checked first).
    public func forEachPosting(_ name: String, _ value: String, _ body: (UInt64) throws(DiskFormatError) -> Void) throws(DiskFormatError) {
        guard let offset = postingsOffset(name, value) else { return }
        try forEachPosting(at: offset, body)
    }

    /// The file offset of the postings list of `name`=`value`, nil when the pair is not in the index.
    private func postingsOffset(_ name: String, _ value: String) -> Int? {
        guard let values = postingsTable[name] else { return nil }
        var lo = 0, hi = values.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if values[mid].value < value { lo = mid + 1 } else { hi = mid }
        }
        return lo < values.count && values[lo].value == value ? values[lo].offset : nil
    }

    /// The postings list stored at `offset`.
    func postingsList(at offset: Int) throws(DiskFormatError) -> [UInt64] {
        var out: [UInt64] = []
        try forEachPosting(at: offset) { (ref) throws(DiskFormatError) in out.append(ref) }
        return out
    }

    /// Calls `body` with each series ref of the postings list stored at `offset`, after checking its CRC32C.
    private func forEachPosting(at offset: Int, _ body: (UInt64) throws(DiskFormatError) -> Void) throws(DiskFormatError) {
        let p = path
        try file.withBytes { (b) throws(DiskFormatError) in
            let range = try Self.section(b, at: offset, path: p, what: "read postings")
            var r = ByteReader(UnsafeRawBufferPointer(rebasing: b[range]))
            do {
                let n = Int(try r.be32())
                guard n <= r.remaining / 4 else { throw DiskFormatError(path: p, offset: offset, reason: "read postings: count \(n) exceeds the section") }
                for _ in 0..<n { try body(UInt64(try r.be32())) }
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
        let (refs, chunks, offset) = try withSeriesEntry(ref) { (s, offset) throws(ByteReader.Error) -> ([(UInt64, UInt64)], [ChunkMeta], Int) in
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
            return (refs, chunks, offset)
        }
        var labels: [Labels.Label] = []
        labels.reserveCapacity(refs.count)
        for (n, v) in refs {
            labels.append(Labels.Label(try symbol(n, at: offset), try symbol(v, at: offset)))
        }
        return (Labels(sorted: labels), chunks)
    }

    /// Finds the series entry `ref`, checks its length and CRC32C, and hands `body` a reader over its content
    /// (and the entry's file offset); a read past the content becomes an error naming the file and the entry.
    private func withSeriesEntry<R>(_ ref: UInt64, _ body: (inout ByteReader, Int) throws(ByteReader.Error) -> R) throws(DiskFormatError) -> R {
        let (mul, overflow) = ref.multipliedReportingOverflow(by: version == 1 ? 1 : 16)
        guard !overflow, mul < UInt64(file.count) else { throw DiskFormatError(path: path, offset: nil, reason: "series reference \(ref) out of range") }
        let offset = Int(mul)
        let p = path
        return try file.withBytes { (b) throws(DiskFormatError) -> R in
            var r = ByteReader(b, offset: offset)
            do {
                let n = try r.uvarintInt(limit: r.remaining)
                guard n + 4 <= r.remaining else { throw DiskFormatError(path: p, offset: offset, reason: "read series: length \(n) exceeds the file") }
                let content = try r.bytes(n)
                let want = try r.be32()
                guard CRC32C.checksum(content) == want else { throw DiskFormatError(path: p, offset: offset, reason: "read series: checksum mismatch") }
                var s = ByteReader(content)
                return try body(&s, offset)
            } catch let e as DiskFormatError {
                throw e
            } catch let e as ByteReader.Error {
                throw DiskFormatError(path: p, offset: offset, reason: "read series: \(e.reason)")
            } catch {
                throw DiskFormatError(path: p, offset: offset, reason: "read series: \(error)")
            }
        }
    }

    // MARK: - Symbol IDs (no strings)

    /// The time a series' chunks span and how many there are, as `seriesSymbols` reads them.
    public struct ChunkSpan: Sendable, Equatable {
        public var count: Int
        /// The first chunk's min time and the last chunk's max time (0 when there is no chunk).
        public var minTime: Int64
        public var maxTime: Int64
    }

    /// How many symbols the index holds. A symbol ID is a position in the sorted symbol table, `0..<symbolCount`,
    /// so comparing IDs compares the symbols.
    public var symbolCount: Int { symbols.count }

    /// The symbol with ID `id`, or nil when out of range.
    public func symbol(id: Int) -> String? { id >= 0 && id < symbols.count ? symbols[id] : nil }

    /// The ID of `symbol`, or nil when the index does not hold it.
    public func symbolID(_ symbol: String) -> Int? {
        var lo = 0, hi = symbols.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if symbols[mid] < symbol { lo = mid + 1 } else { hi = mid }
        }
        return lo < symbols.count && symbols[lo] == symbol ? lo : nil
    }

    /// The series `ref` as symbol IDs, decoded without building strings or chunk metas: `labels` is replaced by
    /// `name0, value0, name1, value1, …`, and the chunks' span returned. What `tsdb analyze` needs per series.
    public func seriesSymbols(_ ref: UInt64, into labels: inout [Int32]) throws(DiskFormatError) -> ChunkSpan {
        labels.removeAll(keepingCapacity: true)
        let v1 = version == 1
        let offs = symbolOffsets
        let count = symbols.count
        var unknown: UInt64? = nil
        let (span, offset) = try withSeriesEntry(ref) { (s, offset) throws(ByteReader.Error) -> (ChunkSpan, Int) in
            let k = try s.uvarintInt(limit: s.remaining)
            for _ in 0..<(2 * k) {
                let r = try s.uvarint()
                if let id = Self.symbolIndex(r, v1: v1, offsets: offs, count: count), let id32 = Int32(exactly: id) {
                    labels.append(id32)
                } else if unknown == nil {
                    unknown = r
                }
            }
            let c = try s.uvarintInt(limit: s.remaining)
            guard c > 0 else { return (ChunkSpan(count: 0, minTime: 0, maxTime: 0), offset) }
            let mint = try s.varint()
            var maxt = mint &+ Int64(bitPattern: try s.uvarint())
            _ = try s.uvarint()
            for _ in 1..<c {
                let mi = maxt &+ Int64(bitPattern: try s.uvarint())
                maxt = mi &+ Int64(bitPattern: try s.uvarint())
                _ = try s.varint()
            }
            return (ChunkSpan(count: c, minTime: mint, maxTime: maxt), offset)
        }
        if let unknown { throw DiskFormatError(path: path, offset: offset, reason: "unknown symbol reference \(unknown)") }
        return span
    }

    /// The ID of a series entry's symbol reference (v2: the ID itself; v1: a file offset), nil when unknown.
    private static func symbolIndex(_ ref: UInt64, v1: Bool, offsets: [Int], count: Int) -> Int? {
        guard v1 else { return ref < UInt64(count) ? Int(ref) : nil }
        var lo = 0, hi = offsets.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if UInt64(offsets[mid]) < ref { lo = mid + 1 } else { hi = mid }
        }
        return lo < offsets.count && UInt64(offsets[lo]) == ref ? lo : nil
    }
}
