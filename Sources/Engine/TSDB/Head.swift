import Locking

/// Head statistics.
public struct HeadStats: Sendable, Equatable {
    /// Live series.
    public var numSeries: Int
    /// Stored samples (floats and histograms).
    public var numSamples: Int
    /// Chunks, open ones included.
    public var numChunks: Int
    /// Encoded chunk payload bytes (float chunks compressed; histogram chunks estimated).
    public var chunkBytes: Int
    /// Oldest and newest sample timestamps (nil when empty).
    public var minTime: Int64?
    /// Newest sample timestamp (nil when empty).
    public var maxTime: Int64?
}

/// In-memory time-series store with Prometheus head-block semantics. Thread-safe: every operation takes one lock.
///
/// - Series are identified by their labels (FNV-1a `stableHash` buckets, byte-exact label comparison) and get
///   dense, never reused `SeriesRef`s.
/// - Appends are in order per series: an older timestamp fails with `out of order sample`; the newest timestamp
///   again is accepted (and ignored) only with a bit-identical value (histograms: `Equals`), otherwise
///   `duplicate sample for timestamp`. Stale markers (`StaleNaN`) are stored bit-exactly.
/// - Floats live in Gorilla-style compressed chunks of 120 samples; histograms in chunks cut as Prometheus cuts
///   them (see `HistogramChunk`), which decides the counter-reset hints read back.
/// - `select` resolves matchers like Prometheus's `PostingsForMatchers` and returns snapshots sorted by labels.
// @unchecked: the mutable stored properties below are only read or written inside `lock.withLock`.
public final class Head: @unchecked Sendable {
    private let lock = SanitizedMutex(())
    private var series = SeriesTable()
    private var byHash: [UInt64: [MemSeries]] = [:]
    private var index = PostingsIndex()
    private var nextRef: SeriesRef = 1
    /// Last `Appender` batch token handed out (0 is never one).
    private var appenderTokens: UInt64 = 0
    private var numSamples = 0
    private var minTime: Int64?
    private var maxTime: Int64?
    /// Whether every live series' `labelRank` is its position in label order (false after a series came or went).
    private var labelRanksValid = false

    /// Hash used to bucket series by labels (replaceable in tests to force collisions).
    private let labelHash: @Sendable (Labels) -> UInt64

    /// An empty head.
    public init() { labelHash = { $0.stableHash } }

    /// A head with a custom label hash (tests use a constant one to exercise collision handling).
    init(labelHash: @escaping @Sendable (Labels) -> UInt64) { self.labelHash = labelHash }

    /// A batching appender: samples become visible on `commit()`.
    public func appender() -> Appender { Appender(head: self) }

    // MARK: Immediate appends

    /// Appends one float sample and commits it at once; returns the series' ref.
    @discardableResult
    public func append(_ labels: Labels, t: Int64, v: Double) throws(TSDBError) -> SeriesRef {
        return try withLock { () throws(TSDBError) -> SeriesRef in
            let (s, created) = try getOrCreateLocked(labels)
            do throws(TSDBError) {
                if try s.checkFloat(t: t, v: v) == .append { appendFloatLocked(s, t: t, v: v) }
            } catch {
                if created { removeIfEmptyLocked(s.ref) }
                throw error
            }
            return s.ref
        }
    }

    /// Appends one float sample to an existing series by ref and commits it at once.
    public func append(ref: SeriesRef, t: Int64, v: Double) throws(TSDBError) {
        try withLock { () throws(TSDBError) -> Void in
            guard let s = series[ref] else { throw .unknownSeriesRef(ref) }
            if try s.checkFloat(t: t, v: v) == .append { appendFloatLocked(s, t: t, v: v) }
        }
    }

    /// Appends one histogram sample and commits it at once; returns the series' ref.
    @discardableResult
    public func appendHistogram(_ labels: Labels, t: Int64, h: FloatHistogram) throws(TSDBError) -> SeriesRef {
        if let problem = h.validationError { throw .invalidHistogram(problem) }
        return try withLock { () throws(TSDBError) -> SeriesRef in
            let (s, created) = try getOrCreateLocked(labels)
            do throws(TSDBError) {
                if try s.checkHistogram(t: t, h: h) == .append { appendHistogramLocked(s, t: t, h: h) }
            } catch {
                if created { removeIfEmptyLocked(s.ref) }
                throw error
            }
            return s.ref
        }
    }

    // MARK: Replay

    /// Rewrites one series' samples: `transform` gets all of them in time order and returns the new list, which
    /// must be in strictly increasing time order. WAL replay uses it once per series at the end, to merge in
    /// out-of-order samples (`wbl/`, out-of-order head chunks) and to drop samples under deletion tombstones, which
    /// the in-order append path refuses or cannot express; that path itself is untouched. The series keeps its
    /// ref and labels. False when there is no such series.
    @discardableResult
    func rewriteSamples(of ref: SeriesRef, _ transform: ([Sample]) -> [Sample]) -> Bool {
        withLock {
            guard let old = series[ref] else { return false }
            let current = Series(ref: ref, labels: old.labels, chunks: old.chunks(mint: .min, maxt: .max), mint: .min, maxt: .max)
            let fresh = MemSeries(ref: ref, labels: old.labels)
            fresh.labelRank = old.labelRank
            for sample in transform(current.samples) {
                if let last = fresh.lastTime, sample.t <= last { continue }
                switch sample.value {
                case .float(let v): appendFloatLocked(fresh, t: sample.t, v: v)
                case .histogram(let h): appendHistogramLocked(fresh, t: sample.t, h: h)
                }
            }
            numSamples &-= old.sampleCount
            series[ref] = fresh
            let h = labelHash(old.labels)
            if let i = byHash[h]?.firstIndex(where: { $0 === old }) { byHash[h]?[i] = fresh }
            return true
        }
    }

    // MARK: Queries

    /// Series matching all matchers (Prometheus `PostingsForMatchers` semantics) that have at least one sample in
    /// [mint, maxt], sorted by labels (byte-wise, as Prometheus's `labels.Compare`). Each carries a snapshot of
    /// its samples in that range.
    public func select(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [Series] {
        guard mint <= maxt else { return [] }
        // Sorted by the series' cached rank in label order: integer comparisons instead of comparing label
        // strings on every query (rule evaluation selects the same large sets at every step).
        // Ranking all series pays off for selections that are a good part of the head.
        var ranked: [(rank: Int, series: Series)] = []
        let byRank = withLock { () -> Bool in
            let refs = index.resolve(matchers)
            if !labelRanksValid && refs.count > 1 && refs.count &* 8 >= series.count { rankByLabelsLocked() }
            ranked.reserveCapacity(refs.count)
            for r in refs {
                guard let s = series[r] else { continue }
                let chunks = s.chunks(mint: mint, maxt: maxt)
                if chunks.isEmpty { continue }
                let newest = s.lastTime.flatMap { t in s.lastFloatBits.map { (t, $0) } }
                ranked.append((s.labelRank, Series(ref: r, labels: s.labels, chunks: chunks, mint: mint, maxt: maxt,
                                                   newestFloat: newest)))
            }
            return labelRanksValid
        }
        ranked.removeAll { !$0.series.hasSamples }
        if byRank {
            ranked.sort { $0.rank < $1.rank }
        } else {
            ranked.sort { tsdbLabelsLess($0.series.labels, $1.series.labels) }
        }
        return ranked.map(\.series)
    }

    /// Refs of the series matching the matchers (any time range), sorted by ref.
    public func postings(_ matchers: [LabelMatcher]) -> [SeriesRef] {
        withLock { index.resolve(matchers) }
    }

    /// Sorted label names; with matchers, only names of series matching them.
    public func labelNames(matchers: [LabelMatcher] = []) -> [String] {
        return withLock {
            if matchers.isEmpty { return index.labelNames() }
            var names = Set<String>()
            for r in index.resolve(matchers) {
                guard let s = series[r] else { continue }
                for l in s.labels.labels where !l.value.isEmpty { names.insert(l.name) }
            }
            return names.sorted(by: tsdbUTF8Less)
        }
    }

    /// Sorted values of a label; with matchers, only values on series matching them.
    public func labelValues(_ name: String, matchers: [LabelMatcher] = []) -> [String] {
        return withLock {
            if matchers.isEmpty { return index.sortedValues(name) }
            var ms = matchers
            if let requireSet = try? LabelMatcher(.notEqual, name, "") { ms.append(requireSet) }
            var values = Set<String>()
            for r in index.resolve(ms) {
                guard let v = series[r]?.labels[name], !v.isEmpty else { continue }
                values.insert(v)
            }
            return values.sorted(by: tsdbUTF8Less)
        }
    }

    /// Labels of a series by ref.
    public func labels(of ref: SeriesRef) -> Labels? {
        withLock { series[ref]?.labels }
    }

    /// The ref of the series with exactly these labels, if it exists.
    public func ref(for labels: Labels) -> SeriesRef? {
        withLock { byHash[labelHash(labels)]?.first { $0.labels.isIdentical(to: labels) }?.ref }
    }

    /// Drops every series and sample. Refs handed out before are never reused.
    public func clear() {
        withLock {
            series.reset(base: nextRef)
            byHash = [:]
            index.removeAll()
            labelRanksValid = false
            numSamples = 0
            minTime = nil
            maxTime = nil
        }
    }

    /// Counts of series, samples, chunks and chunk bytes.
    public var stats: HeadStats {
        return withLock {
            var bytes = 0
            var chunks = 0
            for s in series.values {
                bytes &+= s.chunkBytes
                chunks &+= s.chunkCount
            }
            return HeadStats(numSeries: series.count, numSamples: numSamples, numChunks: chunks, chunkBytes: bytes, minTime: minTime, maxTime: maxTime)
        }
    }

    // MARK: Internals (lock held)

    func getOrCreateLocked(_ labels: Labels) throws(TSDBError) -> (MemSeries, created: Bool) {
        if labels.isEmpty { throw .emptyLabelSet }
        let h = labelHash(labels)
        if let bucket = byHash[h] {
            for s in bucket where s.labels.isIdentical(to: labels) { return (s, false) }
        }
        let ref = nextRef
        nextRef &+= 1
        let s = MemSeries(ref: ref, labels: labels)
        byHash[h, default: []].append(s)
        series[ref] = s
        index.add(ref, labels)
        labelRanksValid = false
        return (s, true)
    }

    func seriesLocked(_ ref: SeriesRef) -> MemSeries? { series[ref] }

    /// A token no appender batch of this head had before.
    func newAppenderTokenLocked() -> UInt64 {
        appenderTokens &+= 1
        return appenderTokens
    }

    /// Numbers every live series by its position in label order (`labels.Compare`).
    private func rankByLabelsLocked() {
        for (i, s) in series.values.sorted(by: { tsdbLabelsLess($0.labels, $1.labels) }).enumerated() { s.labelRank = i }
        labelRanksValid = true
    }

    func removeIfEmptyLocked(_ ref: SeriesRef) {
        guard let s = series[ref], s.sampleCount == 0 else { return }
        series[ref] = nil
        let h = labelHash(s.labels)
        byHash[h]?.removeAll { $0 === s }
        if byHash[h]?.isEmpty ?? false { byHash[h] = nil }
        index.remove(ref, s.labels)
        labelRanksValid = false
    }

    func appendFloatLocked(_ s: MemSeries, t: Int64, v: Double) {
        s.appendFloat(t: t, v: v)
        noteSampleLocked(t)
    }

    func appendHistogramLocked(_ s: MemSeries, t: Int64, h: FloatHistogram) {
        s.appendHistogram(t: t, h: h)
        noteSampleLocked(t)
    }

    private func noteSampleLocked(_ t: Int64) {
        numSamples &+= 1
        if minTime.map({ t < $0 }) ?? true { minTime = t }
        if maxTime.map({ t > $0 }) ?? true { maxTime = t }
    }

    /// Runs `body` holding the head's lock; every `…Locked` member may only be called from inside it.
    func withLock<R: Sendable, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        try lock.withLock { _ throws(E) -> R in try body() }
    }
}
