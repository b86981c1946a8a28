/// Batches samples for a `Head`; nothing is visible to queries until `commit()`.
///
/// Series are created (and refs assigned) at append time, as in Prometheus. Each sample is checked against the
/// series' newest committed sample and against samples pending in this appender, so out-of-order and duplicate
/// errors surface from `append` (Prometheus drops in-batch disorder silently at commit instead).
public struct Appender: Sendable {
    private enum Pending: Sendable {
        case float(SeriesRef, Int64, Double)
        case histogram(SeriesRef, Int64, FloatHistogram)
    }

    private struct Last: Sendable {
        var t: Int64
        var floatBits: UInt64?
        var histogram: FloatHistogram?
    }

    private let head: Head
    private var pending: [Pending] = []
    private var last: [SeriesRef: Last] = [:]
    private var created: [SeriesRef] = []

    init(head: Head) { self.head = head }

    /// Number of samples waiting for `commit()`.
    public var pendingCount: Int { pending.count }

    /// Queues a float sample for the series with these labels (created if new); returns its ref.
    @discardableResult
    public mutating func append(_ labels: Labels, t: Int64, v: Double) throws(TSDBError) -> SeriesRef {
        let lastSnapshot = self.last
        let (ref, isNew, check) = try head.withLock { () throws(TSDBError) -> (SeriesRef, Bool, MemSeries.Check) in
            let (s, isNew) = try head.getOrCreateLocked(labels)
            do throws(TSDBError) {
                let check = try Self.checkFloat(s, lastSnapshot[s.ref], t: t, v: v)
                return (s.ref, isNew, check)
            } catch {
                if isNew { head.removeIfEmptyLocked(s.ref) }
                throw error
            }
        }
        if isNew { created.append(ref) }
        if check == .append { queueFloat(ref, t: t, v: v) }
        return ref
    }

    /// Queues a float sample for an existing series by ref.
    public mutating func append(ref: SeriesRef, t: Int64, v: Double) throws(TSDBError) {
        let last = self.last[ref]
        let check = try head.withLock { () throws(TSDBError) -> MemSeries.Check in
            guard let s = head.seriesLocked(ref) else { throw .unknownSeriesRef(ref) }
            return try Self.checkFloat(s, last, t: t, v: v)
        }
        if check == .append { queueFloat(ref, t: t, v: v) }
    }

    /// Queues a native-histogram sample for the series with these labels; returns its ref.
    @discardableResult
    public mutating func appendHistogram(_ labels: Labels, t: Int64, h: FloatHistogram) throws(TSDBError) -> SeriesRef {
        if let problem = h.validationError { throw .invalidHistogram(problem) }
        let lastSnapshot = self.last
        let (ref, isNew, check) = try head.withLock { () throws(TSDBError) -> (SeriesRef, Bool, MemSeries.Check) in
            let (s, isNew) = try head.getOrCreateLocked(labels)
            do throws(TSDBError) {
                let check: MemSeries.Check
                if let l = lastSnapshot[s.ref] {
                    check = try MemSeries.checkHistogram(t: t, h: h, lastTime: l.t, lastHistogram: l.histogram)
                } else {
                    check = try s.checkHistogram(t: t, h: h)
                }
                return (s.ref, isNew, check)
            } catch {
                if isNew { head.removeIfEmptyLocked(s.ref) }
                throw error
            }
        }
        if isNew { created.append(ref) }
        if check == .append {
            pending.append(.histogram(ref, t, h))
            last[ref] = Last(t: t, floatBits: nil, histogram: h)
        }
        return ref
    }

    /// Makes all queued samples visible and empties the appender.
    public mutating func commit() {
        let batch = pending
        head.withLock {
            for p in batch {
                switch p {
                case let .float(ref, t, v):
                    guard let s = head.seriesLocked(ref), (try? s.checkFloat(t: t, v: v)) == .append else { continue }
                    head.appendFloatLocked(s, t: t, v: v)
                case let .histogram(ref, t, h):
                    guard let s = head.seriesLocked(ref), (try? s.checkHistogram(t: t, h: h)) == .append else { continue }
                    head.appendHistogramLocked(s, t: t, h: h)
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
        pending = []
        last = [:]
        created = []
    }

    private mutating func queueFloat(_ ref: SeriesRef, t: Int64, v: Double) {
        pending.append(.float(ref, t, v))
        last[ref] = Last(t: t, floatBits: v.bitPattern, histogram: nil)
    }

    private static func checkFloat(_ s: MemSeries, _ l: Last?, t: Int64, v: Double) throws(TSDBError) -> MemSeries.Check {
        if let l {
            return try MemSeries.checkFloat(t: t, v: v, lastTime: l.t, lastFloatBits: l.floatBits, lastIsHistogram: l.histogram != nil)
        }
        return try s.checkFloat(t: t, v: v)
    }
}
