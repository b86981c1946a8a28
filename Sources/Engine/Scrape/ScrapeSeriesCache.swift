/// What each series a target exposes became in its recent scrapes (Prometheus's `scrapeCache`): the labels
/// after `honor_labels` and `metric_relabel_configs` (or that relabelling dropped it) and its ref in the
/// head. A series seen again skips label parsing, relabelling, the limit checks and the head's label
/// lookup — the bulk of a scrape's cost when a target exposes the same series every time, as targets do.
///
/// Keyed, as Prometheus keys it, by the series' bytes as written in the exposition (`recognizes(series:)`
/// of the text parser), so a hit costs one hash of those bytes and one comparison, with no strings built.
/// Series a parser hands over without their bytes are keyed by their parsed labels instead (`labelKey`).
/// The table is open-addressed over an arena of key bytes: nothing is allocated per lookup.
///
/// Entries not seen in the last two scrapes are dropped, so the cache stays about as large as the
/// target's exposition (a failed scrape's partial series go with the next scrape but one).
struct ScrapeSeriesCache: Sendable {
    struct Entry: Sendable {
        /// The series' final labels; nil when `metric_relabel_configs` dropped it.
        var labels: Labels?
        /// Whether `metric_relabel_configs` dropped it (`labels` is nil).
        var dropped: Bool { metricName.isEmpty }
        /// `__name__` of `labels` ("" when dropped; a kept series always has one), for the per-metric series counts.
        var metricName: String
        /// Its head ref, once appended.
        var ref: SeriesRef?
        /// The scrape (`iteration`) that last saw it.
        var seenIn: UInt64
        fileprivate var hash: UInt64
        fileprivate var keyStart: Int
        fileprivate var keyCount: Int
    }

    private(set) var entries: [Entry] = []
    /// Key bytes of every entry, back to back.
    private var keys: [UInt8] = []
    /// Open-addressed slots holding an index into `entries` (-1: empty); a power of two in size.
    private var slots: [Int32] = []
    /// Per-cache hash seed, so a target cannot aim collisions at the table.
    private let seed: UInt64
    /// The current scrape's number.
    private(set) var iteration: UInt64 = 1

    init(seed: UInt64 = UInt64.random(in: .min ... .max)) { self.seed = seed }

    var count: Int { entries.count }

    /// The hash of key bytes (8 bytes a step, multiply-mixed).
    func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = seed ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
        guard let base = bytes.baseAddress else { return Self.mix(h) }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i &+ 8 <= bytes.count {
            h = Self.mix(h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i &+= 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count {
            tail |= UInt64(bytes[i]) << shift
            shift &+= 8
            i &+= 1
        }
        return Self.mix(h ^ tail)
    }

    @inline(__always) private static func mix(_ x: UInt64) -> UInt64 {
        let m = x.multipliedFullWidth(by: 0xBF58_476D_1CE4_E5B9)
        return m.high ^ m.low
    }

    /// The index of the entry with these key bytes.
    func find(_ bytes: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Int? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count &- 1
        var i = Int(truncatingIfNeeded: h) & mask
        return keys.withUnsafeBufferPointer { arena -> Int? in
            entries.withUnsafeBufferPointer { all -> Int? in
                slots.withUnsafeBufferPointer { table -> Int? in
                    while true {
                        let e = Int(table[i])
                        if e < 0 || e >= all.count { return nil }
                        if all[e].hash == h, all[e].keyCount == bytes.count,
                           Self.equal(arena, all[e].keyStart, bytes) { return e }
                        i = (i &+ 1) & mask
                    }
                }
            }
        }
    }

    private static func equal(_ arena: UnsafeBufferPointer<UInt8>, _ start: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let a = arena.baseAddress, let b = bytes.baseAddress else { return bytes.isEmpty }
        return memcmpBytes(a + start, b, bytes.count)
    }

    /// Adds an entry for key bytes not in the table; returns its index.
    @discardableResult
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, hash h: UInt64, labels: Labels?, metricName: String) -> Int {
        if (entries.count &+ 1) &* 2 > slots.count { grow() }
        let index = entries.count
        entries.append(Entry(labels: labels, metricName: metricName, ref: nil, seenIn: iteration,
                             hash: h, keyStart: keys.count, keyCount: bytes.count))
        keys.append(contentsOf: bytes)
        place(index, hash: h)
        return index
    }

    /// Marks an entry as seen in this scrape.
    mutating func markSeen(_ index: Int) { entries[index].seenIn = iteration }

    mutating func setRef(_ index: Int, _ ref: SeriesRef) { entries[index].ref = ref }

    /// Ends a scrape: forgets entries seen in neither this scrape nor the one before, and starts the next.
    mutating func endScrape() {
        let oldest = iteration &- 1
        if entries.contains(where: { $0.seenIn < oldest }) {
            var kept: [Entry] = []
            var keptKeys: [UInt8] = []
            kept.reserveCapacity(entries.count)
            keptKeys.reserveCapacity(keys.count)
            for var e in entries where e.seenIn >= oldest {
                keptKeys.append(contentsOf: keys[e.keyStart ..< e.keyStart &+ e.keyCount])
                e.keyStart = keptKeys.count &- e.keyCount
                kept.append(e)
            }
            entries = kept
            keys = keptKeys
            rebuildSlots(count: max(16, Self.slotCount(for: entries.count)))
        }
        iteration &+= 1
    }

    private static func slotCount(for entries: Int) -> Int {
        var n = 16
        while n < entries &* 2 { n &*= 2 }
        return n
    }

    private mutating func grow() {
        rebuildSlots(count: max(16, slots.count &* 2))
    }

    private mutating func rebuildSlots(count: Int) {
        slots = [Int32](repeating: -1, count: count)
        for (i, e) in entries.enumerated() { place(i, hash: e.hash) }
    }

    private mutating func place(_ index: Int, hash h: UInt64) {
        let mask = slots.count &- 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] >= 0 { i = (i &+ 1) & mask }
        slots[i] = Int32(truncatingIfNeeded: index)
    }

    /// Writes the key of a series known only by its parsed labels into `buffer`: a 0xFF byte (which no
    /// exposition line starts with, so it never equals written bytes), then each name and value, each ended by 0xFF.
    static func labelKey(_ labels: [ExpositionLabel], into buffer: inout [UInt8]) {
        buffer.removeAll(keepingCapacity: true)
        buffer.append(0xFF)
        for l in labels {
            buffer.append(contentsOf: l.name.utf8)
            buffer.append(0xFF)
            buffer.append(contentsOf: l.value.utf8)
            buffer.append(0xFF)
        }
    }
}

/// Byte equality of two buffers of `count` bytes.
@inline(__always) private func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    var i = 0
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    while i &+ 8 <= count {
        if ra.loadUnaligned(fromByteOffset: i, as: UInt64.self) != rb.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
        i &+= 8
    }
    while i < count {
        if a[i] != b[i] { return false }
        i &+= 1
    }
    return true
}
