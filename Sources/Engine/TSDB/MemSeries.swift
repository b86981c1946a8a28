/// One stored chunk, closed or open.
enum HeadChunk: Sendable {
    case float(XORChunk)
    case histogram(HistogramChunk)

    var minTime: Int64 {
        switch self {
        case .float(let c): return c.minTime
        case .histogram(let c): return c.minTime
        }
    }

    var maxTime: Int64 {
        switch self {
        case .float(let c): return c.maxTime
        case .histogram(let c): return c.maxTime
        }
    }

    var count: Int {
        switch self {
        case .float(let c): return c.count
        case .histogram(let c): return c.count
        }
    }

    var byteCount: Int {
        switch self {
        case .float(let c): return c.byteCount
        case .histogram(let c): return c.byteCount
        }
    }
}

/// A series in the head. Only ever touched while holding the head's lock.
// @unchecked: `ref` and `labels` are immutable; everything else is only touched inside `Head.withLock`.
final class MemSeries: @unchecked Sendable {
    let ref: SeriesRef
    let labels: Labels
    /// Full chunks, oldest first.
    private(set) var closed: [HeadChunk] = []
    /// The chunk being appended to (at most one of the two is set); kept apart so appends mutate in place.
    private var openFloat: XORChunk?
    private var openHistogram: HistogramChunk?
    private(set) var sampleCount = 0
    /// Timestamp and value of the newest sample.
    private(set) var lastTime: Int64?
    private(set) var lastFloatBits: UInt64?
    private(set) var lastHistogram: FloatHistogram?
    /// Position in label order among the head's series, kept by the head (valid while it says so).
    var labelRank = 0
    /// The appender batch that last queued a sample for this series, and that sample's index in its
    /// batch (`Appender`'s in-batch checks; meaningful only while the token matches the batch's).
    var pendingToken: UInt64 = 0
    var pendingIndex = 0

    static let samplesPerChunk = 120

    init(ref: SeriesRef, labels: Labels) {
        self.ref = ref
        self.labels = labels
    }

    /// Outcome of checking a sample against the newest one.
    enum Check {
        case append
        case duplicateIgnored
    }

    /// Prometheus's in-order `appendable` check for a float sample.
    static func checkFloat(t: Int64, v: Double, lastTime: Int64?, lastFloatBits: UInt64?, lastIsHistogram: Bool) throws(TSDBError) -> Check {
        guard let lt = lastTime else { return .append }
        if t > lt { return .append }
        if t < lt { throw .outOfOrderSample(timestamp: t) }
        if lastIsHistogram { throw .duplicateSampleExistingHistogram(timestamp: t, new: v) }
        if let lb = lastFloatBits, lb != v.bitPattern {
            throw .duplicateSample(timestamp: t, existing: Double(bitPattern: lb), new: v)
        }
        return .duplicateIgnored
    }

    /// The same check for a histogram sample.
    static func checkHistogram(t: Int64, h: FloatHistogram, lastTime: Int64?, lastHistogram: FloatHistogram?) throws(TSDBError) -> Check {
        guard let lt = lastTime else { return .append }
        if t > lt { return .append }
        if t < lt { throw .outOfOrderSample(timestamp: t) }
        if let last = lastHistogram, last == h { return .duplicateIgnored }
        throw .duplicateHistogramSample(timestamp: t)
    }

    func checkFloat(t: Int64, v: Double) throws(TSDBError) -> Check {
        // The newest sample is a histogram exactly when there is one and it left no float bits (cheaper to test
        // than the optional histogram: this runs for every appended sample).
        try Self.checkFloat(t: t, v: v, lastTime: lastTime, lastFloatBits: lastFloatBits, lastIsHistogram: lastTime != nil && lastFloatBits == nil)
    }

    func checkHistogram(t: Int64, h: FloatHistogram) throws(TSDBError) -> Check {
        try Self.checkHistogram(t: t, h: h, lastTime: lastTime, lastHistogram: lastHistogram)
    }

    /// Appends a float sample already validated by `checkFloat`.
    func appendFloat(t: Int64, v: Double) {
        // After a histogram sample (a time but no float bits): close its chunk and forget it.
        let afterHistogram = lastTime != nil && lastFloatBits == nil
        if afterHistogram { cutOpen() }
        // Tested without copying the open chunk out of its optional (this runs for every appended sample).
        if (openFloat?.count ?? 0) >= Self.samplesPerChunk { cutOpen() }
        if openFloat == nil { openFloat = XORChunk() }
        openFloat?.append(t: t, v: v)
        lastTime = t
        lastFloatBits = v.bitPattern
        if afterHistogram { lastHistogram = nil }
        sampleCount += 1
    }

    /// Appends a histogram sample already validated by `checkHistogram`, cutting a new chunk where Prometheus's
    /// histogram appender would (which decides the counter-reset hints read back; see `HistogramChunk`).
    func appendHistogram(t: Int64, h: FloatHistogram) {
        if openFloat != nil { cutOpen() }
        if let c = openHistogram, c.count >= Self.samplesPerChunk || !c.canAppend(h) { cutOpen() }
        if openHistogram == nil { openHistogram = HistogramChunk(gauge: h.counterResetHint == .gauge) }
        openHistogram?.append(t: t, h: h)
        lastTime = t
        lastFloatBits = nil
        lastHistogram = h
        sampleCount += 1
    }

    private func cutOpen() {
        if let c = openFloat { closed.append(.float(c)) }
        if let c = openHistogram { closed.append(.histogram(c)) }
        openFloat = nil
        openHistogram = nil
    }

    /// Snapshot of the chunks overlapping [mint, maxt], oldest first.
    func chunks(mint: Int64, maxt: Int64) -> [HeadChunk] {
        var out: [HeadChunk] = []
        // Closed chunks are time-ordered: skip those ending before mint by binary search.
        var lo = 0, hi = closed.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if closed[mid].maxTime < mint { lo = mid + 1 } else { hi = mid }
        }
        var i = lo
        while i < closed.count, closed[i].minTime <= maxt {
            out.append(closed[i])
            i += 1
        }
        if let c = openFloat, c.count > 0, c.maxTime >= mint, c.minTime <= maxt { out.append(.float(c)) }
        if let c = openHistogram, c.count > 0, c.maxTime >= mint, c.minTime <= maxt { out.append(.histogram(c)) }
        return out
    }

    var chunkBytes: Int {
        var n = 0
        for c in closed { n &+= c.byteCount }
        if let c = openFloat { n &+= c.byteCount }
        if let c = openHistogram { n &+= c.byteCount }
        return n
    }

    var chunkCount: Int { closed.count + (openFloat != nil ? 1 : 0) + (openHistogram != nil ? 1 : 0) }
}

/// Series by ref: refs are handed out densely from `base`, so a flat array indexed by `ref - base` suffices.
struct SeriesTable {
    private var base: SeriesRef = 1
    private var slots: [MemSeries?] = []
    private(set) var count = 0

    subscript(ref: SeriesRef) -> MemSeries? {
        get {
            guard ref >= base else { return nil }
            let i = ref - base
            return i < UInt64(slots.count) ? slots[Int(i)] : nil
        }
        set {
            guard ref >= base else { return }
            let d = ref - base
            guard d <= UInt64(Int.max - 1) else { return }
            let i = Int(d)
            if i >= slots.count {
                guard newValue != nil else { return }
                slots.append(contentsOf: repeatElement(nil, count: i - slots.count + 1))
            }
            if slots[i] == nil && newValue != nil { count += 1 }
            if slots[i] != nil && newValue == nil { count -= 1 }
            slots[i] = newValue
        }
    }

    /// Live series.
    var values: [MemSeries] { slots.compactMap { $0 } }

    /// Drops everything; refs from `newBase` on will be stored next.
    mutating func reset(base newBase: SeriesRef) {
        base = newBase
        slots = []
        count = 0
    }
}
