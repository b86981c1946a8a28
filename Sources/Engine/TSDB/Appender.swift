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
    /// This batch's mark on the series it queued for (`MemSeries.pendingToken`), which then also hold the
    /// index of their newest queued sample: in-batch checks need no dictionary. Renewed with every batch.
    private var token: UInt64
    /// The series of the last queued sample and that sample's index: a series' samples in a row (how files
    /// are loaded) are checked and queued without the lock. Its mark is written when the run ends.
    private var runSeries: MemSeries?
    private var runIndex = 0
    private var created: [SeriesRef] = []

    init(head: Head) {
        self.head = head
        token = head.withLock { head.newAppenderTokenLocked() }
    }

    /// Number of samples waiting for `commit()`.
    public var pendingCount: Int { pending.count }

    /// Queues a float sample for the series with these labels (created if new); returns its ref.
    @discardableResult
    public mutating func append(_ labels: Labels, t: Int64, v: Double) throws(TSDBError) -> SeriesRef {
        try head.withLock { () throws(TSDBError) -> SeriesRef in
            let (s, isNew) = try head.getOrCreateLocked(labels)
            if isNew { created.append(s.ref) }
            do throws(TSDBError) {
                try queueFloatLocked(s, t: t, v: v)
            } catch {
                if isNew { head.removeIfEmptyLocked(s.ref) }
                throw error
            }
            return s.ref
        }
    }

    /// Queues a float sample for an existing series by ref (one lock, no label work: the scraper's path
    /// for series it has seen before).
    public mutating func append(ref: SeriesRef, t: Int64, v: Double) throws(TSDBError) {
        if let run = runSeries, run.ref == ref {
            try queueFloat(run, after: pending[runIndex], t: t, v: v)
            return
        }
        try head.withLock { () throws(TSDBError) -> Void in
            guard let s = head.seriesLocked(ref) else { throw .unknownSeriesRef(ref) }
            try queueFloatLocked(s, t: t, v: v)
        }
    }

    /// Queues a native-histogram sample for the series with these labels; returns its ref.
    @discardableResult
    public mutating func appendHistogram(_ labels: Labels, t: Int64, h: FloatHistogram) throws(TSDBError) -> SeriesRef {
        if let problem = h.validationError { throw .invalidHistogram(problem) }
        return try head.withLock { () throws(TSDBError) -> SeriesRef in
            let (s, isNew) = try head.getOrCreateLocked(labels)
            if isNew { created.append(s.ref) }
            do throws(TSDBError) {
                let check: MemSeries.Check
                if let i = newestIndexLocked(s) {
                    let p = pending[i]
                    check = try MemSeries.checkHistogram(t: t, h: h, lastTime: p.t, lastHistogram: p.histogram >= 0 ? histograms[p.histogram] : nil)
                } else {
                    check = try s.checkHistogram(t: t, h: h)
                }
                if check == .append {
                    histograms.append(h)
                    queueLocked(s, Pending(ref: s.ref, t: t, v: 0, histogram: histograms.count - 1))
                }
            } catch {
                if isNew { head.removeIfEmptyLocked(s.ref) }
                throw error
            }
            return s.ref
        }
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
            token = head.newAppenderTokenLocked()
        }
        reset()
    }

    /// Discards queued samples; series this appender created that never got a sample are removed again.
    public mutating func rollback() {
        let made = created
        head.withLock {
            for r in made { head.removeIfEmptyLocked(r) }
            token = head.newAppenderTokenLocked()
        }
        reset()
    }

    private mutating func reset() {
        pending.removeAll(keepingCapacity: true)
        histograms.removeAll()
        created.removeAll()
        runSeries = nil
    }

    /// Index in `pending` of the newest sample this batch queued for `s` (lock held).
    private func newestIndexLocked(_ s: MemSeries) -> Int? {
        if let run = runSeries, run === s { return runIndex }
        guard s.pendingToken == token, s.pendingIndex < pending.count, pending[s.pendingIndex].ref == s.ref else { return nil }
        return s.pendingIndex
    }

    private mutating func queueLocked(_ s: MemSeries, _ p: Pending) {
        if let run = runSeries, run !== s {
            run.pendingToken = token
            run.pendingIndex = runIndex
        }
        runSeries = s
        runIndex = pending.count
        pending.append(p)
    }

    /// Checks a float sample against the series' newest queued or committed sample and queues it (lock held).
    private mutating func queueFloatLocked(_ s: MemSeries, t: Int64, v: Double) throws(TSDBError) {
        if let i = newestIndexLocked(s) {
            try queueFloat(s, after: pending[i], t: t, v: v)
        } else if try s.checkFloat(t: t, v: v) == .append {
            queueLocked(s, Pending(ref: s.ref, t: t, v: v, histogram: -1))
        }
    }

    /// Checks a float sample against `p`, the newest one this batch queued for `s`, and queues it. Needs no
    /// lock when `s` is the run's series (the queue then only moves the run on).
    private mutating func queueFloat(_ s: MemSeries, after p: Pending, t: Int64, v: Double) throws(TSDBError) {
        let check = try MemSeries.checkFloat(
            t: t, v: v, lastTime: p.t, lastFloatBits: p.histogram < 0 ? p.v.bitPattern : nil, lastIsHistogram: p.histogram >= 0)
        guard check == .append else { return }
        let queued = Pending(ref: s.ref, t: t, v: v, histogram: -1)
        if let run = runSeries, run === s {
            runIndex = pending.count
            pending.append(queued)
        } else {
            queueLocked(s, queued)
        }
    }
}
