/// The samples of one block's time range during a backfill, held as Prometheus's `BlockWriter` holds them in
/// its head: appended through an appender that checks each sample against what is committed (an older
/// sample is "out of order", the same time with another value a "duplicate"), committed every 5000 samples,
/// and at commit a sample not after its series' newest is dropped silently — so the same input gives the
/// same chunks, the same errors and the same silently dropped samples as promtool.
public struct BackfillWindow: Sendable {
    /// promtool's `maxSamplesInAppender`.
    static let samplesPerCommit = 5000

    let start: Int64
    let chunkRange: Int64
    private(set) var series: [BackfillSeries] = []
    private var lookup: [SeriesKey: Int32] = [:]
    private var pending: [(series: Int32, t: Int64, v: Double)] = []
    /// The first error appending to this range; nothing more is appended once set.
    public private(set) var failure: String?
    public private(set) var minTime: Int64 = .max
    public private(set) var maxTime: Int64 = .min

    /// A range starting at `start`; chunks are cut at multiples of `chunkRange` (promtool: twice the block duration).
    public init(start: Int64, chunkRange: Int64) {
        self.start = start
        self.chunkRange = chunkRange
    }

    /// The series of `key` (its sorted labels' bytes), created if new.
    mutating func seriesIndex(key: SeriesKey, labels: [(name: String, value: String)]) -> Int32 {
        if let i = lookup[key] { return i }
        let i = Int32(truncatingIfNeeded: series.count)
        series.append(BackfillSeries(labels: labels))
        lookup[key] = i
        return i
    }

    /// Appends a sample of series `index`; records the error (as promtool words it) if there is one.
    mutating func append(series index: Int32, t: Int64, v: Double) {
        guard failure == nil, series.indices.contains(Int(index)) else { return }
        let s = series[Int(index)]
        if !s.isEmpty {
            if t < s.maxTime {
                failure = "out of order sample"
                return
            }
            if t == s.maxTime && s.lastValue.bitPattern != v.bitPattern {
                failure = t == 0 ? "duplicate sample for timestamp"
                    : "duplicate sample for timestamp \(t); overrides not allowed: existing \(TemplateFormat.formatFloat(s.lastValue, "g", -1)), new value \(TemplateFormat.formatFloat(v, "g", -1))"
                return
            }
        }
        pending.append((index, t, v))
        if pending.count >= Self.samplesPerCommit { commit() }
    }

    /// Appends a sample of the series `labels` (sorted by name, no empty values).
    public mutating func append(labels: [(name: String, value: String)], t: Int64, v: Double) {
        let i = seriesIndex(key: SeriesKey(labels), labels: labels)
        append(series: i, t: t, v: v)
    }

    /// Moves the pending samples into their series' chunks.
    public mutating func commit() {
        for p in pending where series.indices.contains(Int(p.series)) {
            if series[Int(p.series)].append(t: p.t, v: p.v, chunkRange: chunkRange) {
                minTime = min(minTime, p.t)
                maxTime = max(maxTime, p.t)
            }
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// The block's series, sorted by labels, with their chunks; the window is emptied.
    public mutating func takeBlockSeries() -> [BlockSeries] {
        commit()
        var out: [BlockSeries] = []
        out.reserveCapacity(series.count)
        for i in series.indices {
            let chunks = series[i].finish()
            if !chunks.isEmpty { out.append(BlockSeries(labels: series[i].labels, chunks: chunks)) }
        }
        series = []
        lookup = [:]
        out.sort { Self.labelsPrecede($0.labels, $1.labels) }
        return out
    }

    /// Prometheus's `labels.Compare` < 0: pairwise by name then value (bytewise), a prefix first.
    static func labelsPrecede(_ a: [(name: String, value: String)], _ b: [(name: String, value: String)]) -> Bool {
        for (x, y) in zip(a, b) {
            if !x.name.utf8.elementsEqual(y.name.utf8) { return x.name.utf8.lexicographicallyPrecedes(y.name.utf8) }
            if !x.value.utf8.elementsEqual(y.value.utf8) { return x.value.utf8.lexicographicallyPrecedes(y.value.utf8) }
        }
        return a.count < b.count
    }
}

/// A label set as a dictionary key: the sorted labels' UTF-8 bytes, each length-prefixed, compared and hashed
/// as bytes (Prometheus tells label values apart by their bytes; Swift's `String` equality would merge
/// canonically equivalent ones).
struct SeriesKey: Hashable, Sendable {
    var bytes: [UInt8]

    init(_ labels: [(name: String, value: String)]) {
        bytes = []
        for l in labels {
            Self.add(l.name, to: &bytes)
            Self.add(l.value, to: &bytes)
        }
    }

    private static func add(_ s: String, to bytes: inout [UInt8]) {
        var n = s.utf8.count
        while n >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: n) | 0x80)
            n >>= 7
        }
        bytes.append(UInt8(n))
        bytes.append(contentsOf: s.utf8)
    }

    static func == (a: SeriesKey, b: SeriesKey) -> Bool { a.bytes == b.bytes }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
