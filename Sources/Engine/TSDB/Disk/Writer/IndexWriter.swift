/// Writes a block's `index` file in Prometheus's format version 2, laid out as Prometheus 3.x lays it out:
/// header (magic 0xBAAAD700, version 2); the symbol table (every label name and value, sorted bytewise, with
/// the empty string); the series, each 16-byte aligned (so a 4-byte series reference is offset / 16) with its
/// label symbol references and delta-encoded chunk metas; no label indices (3.x writes none; the TOC points
/// both of their entries at the postings); the postings lists (the all-series list under `"" ""` first, then
/// by label name and value), each 4-byte aligned; the postings offset table; the TOC. Every section carries
/// a CRC32C.
///
/// Use: `init`, `addSymbols` once with the sorted symbols, `addSeries` in label order, `finish`.
struct IndexWriter {
    static let magic: UInt32 = 0xBAAA_D700

    private var file: OutputFile
    private var symbolIndex: [ByteString: UInt32] = [:]
    private var seriesStart = 0
    private var symbols: [String] = []
    /// Every series' reference, in order (the all-series postings list).
    private var allSeries: [UInt32] = []
    /// Label name symbol → value symbol → series references.
    private var postings: [UInt32: [UInt32: [UInt32]]] = [:]
    private var entry = ByteWriter(capacity: 256)
    private var prefix = ByteWriter(capacity: 16)

    init(path: String) throws(BlockWriteError) {
        file = try OutputFile(path: path)
        var header = ByteWriter(capacity: 5)
        header.be32(Self.magic)
        header.byte(2)
        try file.write(header.bytes)
    }

    /// Bytes written so far (the block's size as `tsdb list` reports it, once finished).
    var size: Int { file.position }

    /// Writes the symbol table; `symbols` must be sorted bytewise and unique.
    mutating func addSymbols(_ symbols: [String]) throws(BlockWriteError) {
        var table = ByteWriter(capacity: 8 + symbols.count * 8)
        table.be32(0) // length, patched below
        table.be32(UInt32(truncatingIfNeeded: symbols.count))
        self.symbols = symbols
        symbolIndex.reserveCapacity(symbols.count)
        for (i, s) in symbols.enumerated() {
            symbolIndex[ByteString(s)] = UInt32(truncatingIfNeeded: i)
            table.uvarintString(s)
        }
        let length = table.count - 4
        guard length <= Int(UInt32.max) else { throw BlockWriteError("symbol table size exceeds 4 bytes: \(length)") }
        var bytes = table.bytes
        bytes[0] = UInt8(truncatingIfNeeded: length >> 24)
        bytes[1] = UInt8(truncatingIfNeeded: length >> 16)
        bytes[2] = UInt8(truncatingIfNeeded: length >> 8)
        bytes[3] = UInt8(truncatingIfNeeded: length)
        var crc = ByteWriter(capacity: 4)
        crc.be32(CRC32C.checksum(bytes[4...]))
        try file.write(bytes)
        try file.write(crc.bytes)
        seriesStart = file.position
    }

    /// Adds a series (label pairs sorted by name, after every earlier series in label order) with its chunks,
    /// which must be written already (their references set) and in time order.
    mutating func addSeries(_ labels: [(name: String, value: String)], chunks: [BlockChunk]) throws(BlockWriteError) {
        try file.pad(to: 16)
        let offset = file.position
        guard offset / 16 <= Int(UInt32.max) else { throw BlockWriteError("index: series offset \(offset) exceeds 4 bytes") }
        let ref = UInt32(offset / 16)
        entry.reset()
        entry.uvarint(UInt64(labels.count))
        for label in labels {
            guard let n = symbolIndex[ByteString(label.name)], let v = symbolIndex[ByteString(label.value)] else {
                throw BlockWriteError("symbol entry for \(label.name)=\(label.value) does not exist")
            }
            entry.uvarint(UInt64(n))
            entry.uvarint(UInt64(v))
            postings[n, default: [:]][v, default: []].append(ref)
        }
        entry.uvarint(UInt64(chunks.count))
        if let first = chunks.first {
            entry.varint(first.minTime)
            entry.uvarint(UInt64(bitPattern: first.maxTime &- first.minTime))
            entry.uvarint(first.ref)
            var previousMax = first.maxTime
            var previousRef = first.ref
            for c in chunks.dropFirst() {
                entry.uvarint(UInt64(bitPattern: c.minTime &- previousMax))
                entry.uvarint(UInt64(bitPattern: c.maxTime &- c.minTime))
                entry.varint(Int64(bitPattern: c.ref &- previousRef))
                previousMax = c.maxTime
                previousRef = c.ref
            }
        }
        prefix.reset()
        prefix.uvarint(UInt64(entry.count))
        try file.write(prefix.bytes)
        try file.write(entry.bytes)
        prefix.reset()
        prefix.be32(entry.crc32c(from: 0))
        try file.write(prefix.bytes)
        allSeries.append(ref)
    }

    /// Writes the postings, the postings offset table and the TOC, and closes the file.
    mutating func finish() throws(BlockWriteError) {
        do {
            try writeRest()
            try file.finish()
        } catch {
            file.abandon()
            throw error
        }
    }

    mutating func abandon() { file.abandon() }

    private mutating func writeRest() throws(BlockWriteError) {
        let postingsStart = file.position
        var table = ByteWriter(capacity: 1024)
        var tableCount: UInt32 = 0
        // The all-series list first: every series reference, in order.
        try writePostings(name: "", value: "", allSeries, table: &table, count: &tableCount)
        for name in postings.keys.sorted() {
            guard let values = postings[name] else { continue }
            for value in values.keys.sorted() {
                guard let refs = values[value], Int(name) < symbols.count, Int(value) < symbols.count else { continue }
                try writePostings(name: symbols[Int(name)], value: symbols[Int(value)], refs, table: &table, count: &tableCount)
            }
        }
        let tableStart = file.position
        var tableHead = ByteWriter(capacity: 8)
        let length = 4 + table.count
        guard length <= Int(UInt32.max) else { throw BlockWriteError("postings offset table size exceeds 4 bytes: \(length)") }
        tableHead.be32(UInt32(length))
        tableHead.be32(tableCount)
        var crc = CRC32C()
        crc.update(tableHead.bytes[4...])
        crc.update(table.bytes)
        try file.write(tableHead.bytes)
        try file.write(table.bytes)
        var tail = ByteWriter(capacity: 56)
        tail.be32(crc.value)
        try file.write(tail.bytes)
        tail.reset()
        tail.be64(5) // symbols
        tail.be64(UInt64(seriesStart))
        tail.be64(UInt64(postingsStart)) // label indices: none
        tail.be64(UInt64(tableStart)) // label indices table: none
        tail.be64(UInt64(postingsStart))
        tail.be64(UInt64(tableStart))
        tail.be32(tail.crc32c(from: 0))
        try file.write(tail.bytes)
    }

    private mutating func writePostings(name: String, value: String, _ refs: [UInt32], table: inout ByteWriter,
                                        count: inout UInt32) throws(BlockWriteError) {
        try file.pad(to: 4)
        table.uvarint(2)
        table.uvarintString(name)
        table.uvarintString(value)
        table.uvarint(UInt64(file.position))
        count += 1
        var list = ByteWriter(capacity: 8 + refs.count * 4)
        list.be32(UInt32(truncatingIfNeeded: 4 + refs.count * 4))
        list.be32(UInt32(truncatingIfNeeded: refs.count))
        for r in refs { list.be32(r) }
        list.be32(list.crc32c(from: 4))
        try file.write(list.bytes)
    }
}
