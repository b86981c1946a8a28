/// Batches samples for a `Head`; nothing is visible to queries until `commit()`.
///
/// Series are created (and refs assigned) at append time, as in Prometheus. Each sample is checked against the
/// series' newest committed sample and against samples pending in this appender, so out-of-order and duplicate
/// errors surface from `append` (Prometheus drops in-batch disorder silently at commit instead).
public struct Appender: Sendable {
    /// A queued sample; `histogram` indexes `histograms` (-1 for a float sample).
    private struct Pending: Sendable {
        var ref: SeriesRef
        var t: Int64
        var v: Double
        var histogram: Int
    }

    private let head: Head
    private var pending: [Pending] = []
    private var histograms: [FloatHistogram] = []
    /// Index in `pending` of the newest queued sample per series, except for `runRef`'s.
    private var newest: [SeriesRef: Int] = [:]
    /// The series of the last queued sample and its index: a series' samples in a row (how files are
    /// loaded) need no dictionary work.
    private var runRef: SeriesRef?
    private var runIndex = 0
    /// The series last appended to by ref (valid until `reset`; commit looks every ref up again).
    private var cachedSeries: MemSeries?
    private var created: [SeriesRef] = []

    init(head: Head) { self.head = head }

    /// Number of samples waiting for `commit()`.
    public var pendingCount: Int { pending.count }

    /// Queues a float sample for the series with these labels (created if new); returns its ref.
    @discardableResult
    public mutating func append(_ labels: Labels, t: Int64, v: Double) throws(TSDBError) -> SeriesRef {
        let (s, isNew) = try head.withLock { () throws(TSDBError) in try head.getOrCreateLocked(labels) }
        if isNew { created.append(s.ref) }
        do throws(TSDBError) {
            try appendFloat(s, t: t, v: v)
        } catch {
            if isNew { head.withLock { head.removeIfEmptyLocked(s.ref) } }
            throw error
        }
        return s.ref
    }

    /// Queues a float sample for an existing series by ref.
    public mutating func append(ref: SeriesRef, t: Int64, v: Double) throws(TSDBError) {
        let s: MemSeries
        if let c = cachedSeries, c.ref == ref {
            s = c
        } else {
            guard let found = head.withLock({ head.seriesLocked(ref) }) else { throw .unknownSeriesRef(ref) }
            s = found
            cachedSeries = found
        }
        try appendFloat(s, t: t, v: v)
    }

    /// Queues a native-histogram sample for the series with these labels; returns its ref.
    @discardableResult
    public mutating func appendHistogram(_ labels: Labels, t: Int64, h: FloatHistogram) throws(TSDBError) -> SeriesRef {
        if let problem = h.validationError { throw .invalidHistogram(problem) }
        let (s, isNew) = try head.withLock { () throws(TSDBError) in try head.getOrCreateLocked(labels) }
        if isNew { created.append(s.ref) }
        do throws(TSDBError) {
            let check: MemSeries.Check
            if let i = newestIndex(s.ref) {
                let p = pending[i]
                check = try MemSeries.checkHistogram(t: t, h: h, lastTime: p.t, lastHistogram: p.histogram >= 0 ? histograms[p.histogram] : nil)
            } else {
                check = try head.withLock { () throws(TSDBError) in try s.checkHistogram(t: t, h: h) }
            }
            if check == .append {
                histograms.append(h)
                queue(Pending(ref: s.ref, t: t, v: 0, histogram: histograms.count - 1))
            }
        } catch {
            if isNew { head.withLock { head.removeIfEmptyLocked(s.ref) } }
            throw error
        }
        return s.ref
    }

    /// Makes all queued samples visible and empties the appender.
    public mutating func commit() {
        let batch = pending
        let hs = histograms
        head.withLock {
            var s: MemSeries?
            for p in batch {
                if s?.ref != p.ref { s = head.seriesLocked(p.ref) }
                guard let series = s else { continue }
                if p.histogram < 0 {
                    guard (try? series.checkFloat(t: p.t, v: p.v)) == .append else { continue }
                    head.appendFloatLocked(series, t: p.t, v: p.v)
                } else {
                    let h = hs[p.histogram]
                    guard (try? series.checkHistogram(t: p.t, h: h)) == .append else { continue }
                    head.appendHistogramLocked(series, t: p.t, h: h)
                }
            }
        }
        reset()
    }

    /// Discards queued samples; series this appender created that never got a sample are removed again.
    public mutating func rollback() {
        let made = created
        head.withLock {
            for r in made { head.removeIfEmptyLocked(r) }
        }
        reset()
    }

    private mutating func reset() {
        pending.removeAll(keepingCapacity: true)
        histograms.removeAll()
        newest.removeAll(keepingCapacity: true)
        runRef = nil
        cachedSeries = nil
        created.removeAll()
    }

    private func newestIndex(_ ref: SeriesRef) -> Int? {
        ref == runRef ? runIndex : newest[ref]
    }

    private mutating func queue(_ p: Pending) {
        if let r = runRef, r != p.ref { newest[r] = runIndex }
        runRef = p.ref
        runIndex = pending.count
        pending.append(p)
    }

    private mutating func appendFloat(_ s: MemSeries, t: Int64, v: Double) throws(TSDBError) {
        let check: MemSeries.Check
        if let i = newestIndex(s.ref) {
            let p = pending[i]
            check = try MemSeries.checkFloat(
                t: t, v: v, lastTime: p.t, lastFloatBits: p.histogram < 0 ? p.v.bitPattern : nil, lastIsHistogram: p.histogram >= 0)
        } else {
            check = try head.withLock { () throws(TSDBError) in try s.checkFloat(t: t, v: v) }
        }
        if check == .append { queue(Pending(ref: s.ref, t: t, v: v, histogram: -1)) }
    }
}
