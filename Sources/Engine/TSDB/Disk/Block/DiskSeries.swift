import Locking

/// Where the read errors of a directory's series go: a `SeriesSource` cannot throw, and disk series decode their
/// chunks lazily while the evaluator iterates them, so the first error is kept for the caller to check after the
/// query (`TSDBDirectory.readError`).
final class DiskReadFailure: Sendable {
    private let first = SanitizedMutex<DiskFormatError?>(nil)

    func record(_ error: DiskFormatError) { first.withLock { if $0 == nil { $0 = error } } }

    var error: DiskFormatError? { first.withLock { $0 } }
}

/// One source of a series' samples: the chunks a block lists for it that overlap the query window (with the
/// intervals its tombstones delete), or the series as the replayed head holds it.
struct DiskSeriesPart: Sendable {
    enum Source: Sendable {
        case block(ChunkSegmentReader, [ChunkMeta], deleted: [ClosedRange<Int64>])
        case head(Series)
    }

    let source: Source
    /// Bounds of the part's chunks (inclusive).
    let minTime: Int64
    let maxTime: Int64

    /// A block's chunks overlapping the window; nil when none does.
    init?(chunks reader: ChunkSegmentReader, metas: [ChunkMeta], deleted: [ClosedRange<Int64>], window: ClosedRange<Int64>) {
        let inWindow = metas.filter { $0.maxTime >= window.lowerBound && $0.minTime <= window.upperBound }
        guard let first = inWindow.first else { return nil }
        source = .block(reader, inWindow, deleted: deleted)
        minTime = inWindow.reduce(first.minTime) { min($0, $1.minTime) }
        maxTime = inWindow.reduce(first.maxTime) { max($0, $1.maxTime) }
    }

    /// A head series (already limited to the window by `Head.select`).
    init?(head s: Series) {
        guard let first = s.chunks.first, let last = s.chunks.last else { return nil }
        source = .head(s)
        minTime = first.minTime
        maxTime = last.maxTime
    }
}

/// A series of a data directory read in place: its chunks stay in the memory-mapped segment files and are decoded
/// one at a time while the evaluator iterates, only those overlapping the window. Blocks (and the head) that
/// overlap in time are merged in time order keeping one sample per timestamp — the first source in block order
/// (min time, ULID), head last — as Prometheus's chained merge keeps one of duplicates; tombstoned samples are
/// skipped.
final class DiskSeries: Sendable {
    let parts: [DiskSeriesPart]
    /// Whether the parts follow each other in time without overlapping, so they can be read one after another
    /// instead of merged sample by sample.
    let disjoint: Bool
    let failure: DiskReadFailure

    init(parts: [DiskSeriesPart], failure: DiskReadFailure) {
        self.parts = parts
        self.failure = failure
        var ok = true
        for i in parts.indices.dropFirst() where parts[i - 1].maxTime >= parts[i].minTime { ok = false }
        disjoint = ok
    }

    /// Whether any sample lies in `window`; decodes only when a chunk's bounds do not answer it.
    func hasSamples(in window: ClosedRange<Int64>) -> Bool {
        for part in parts {
            switch part.source {
            case .head(let s):
                if s.hasSamples { return true }
            case .block(_, let metas, let deleted):
                if deleted.isEmpty && metas.contains(where: { window.contains($0.minTime) || window.contains($0.maxTime) }) {
                    return true
                }
                var c = DiskPartCursor(part: part, window: window, failure: failure)
                if c.next() { return true }
            }
        }
        return false
    }

    /// A fresh iterator over the samples in `window`.
    func makeIterator(window: ClosedRange<Int64>) -> DiskSeriesIterator {
        DiskSeriesIterator(series: self, window: window)
    }

    /// Calls `float` or `histogram` for each sample in `range`, in time order. Disjoint parts are decoded straight
    /// from their chunks; overlapping ones go through the merging iterator.
    func forEachSample<E: Error>(in range: ClosedRange<Int64>, float: (Int64, Double) throws(E) -> Void,
                                 histogram: (Int64, FloatHistogram) throws(E) -> Void) throws(E) {
        guard disjoint else {
            var it = makeIterator(window: range)
            while it.next() {
                switch it.value {
                case .float(let v): try float(it.t, v)
                case .histogram(let h): try histogram(it.t, h)
                }
            }
            return
        }
        for part in parts where part.maxTime >= range.lowerBound && part.minTime <= range.upperBound {
            switch part.source {
            case .head(let s):
                try s.forEachSample(in: range, float: float, histogram: histogram)
            case .block(let reader, let metas, let deleted):
                for m in metas where m.maxTime >= range.lowerBound && m.minTime <= range.upperBound {
                    guard try DiskChunkDecoder.forEachSample(of: m, reader, in: range, deleted: deleted, failure: failure,
                                                             float: float, histogram: histogram)
                    else { return }
                }
            }
        }
    }

    /// The newest sample in `range`, decoding only the chunks that can hold it when the parts are disjoint.
    func lastSample(in range: ClosedRange<Int64>) -> Sample? {
        guard disjoint else {
            var it = makeIterator(window: range)
            var last: Sample?
            while it.next() { last = Sample(t: it.t, value: it.value) }
            return last
        }
        for part in parts.reversed() where part.minTime <= range.upperBound {
            if part.maxTime < range.lowerBound { return nil }
            switch part.source {
            case .head(let s):
                if let found = s.lastSample(in: range) { return found }
            case .block(let reader, let metas, let deleted):
                for m in metas.reversed() where m.minTime <= range.upperBound {
                    if m.maxTime < range.lowerBound { break }
                    guard var d = DiskChunkDecoder(reader, m, failure) else { return nil }
                    var found: Sample?
                    while true {
                        let s: (t: Int64, value: SampleValue)?
                        do throws(ChunkDecodeError) { s = try d.next() } catch {
                            failure.record(d.error(error))
                            return nil
                        }
                        guard let s, s.t <= range.upperBound else { break }
                        if s.t < range.lowerBound { continue }
                        if !deleted.isEmpty && deleted.contains(where: { $0.contains(s.t) }) { continue }
                        found = Sample(t: s.t, value: s.value)
                    }
                    if let found { return found }
                }
            }
        }
        return nil
    }
}

/// Decodes one chunk of a block, of any decodable encoding, sample by sample. One optional per encoding (not an
/// enum with payloads) so `next()` advances the decoder in place; start timestamps of encodings 4–6 are read and
/// dropped (PromQL has no use for them).
struct DiskChunkDecoder: Sendable {
    private var xor: DiskXORChunkIterator?
    private var histogram: DiskHistogramChunkIterator?
    private var floatHistogram: DiskFloatHistogramChunkIterator?
    private var xor2: DiskXOR2ChunkIterator?
    private var histogramST: HistogramSTChunkIterator<DiskHistogramChunkIterator>?
    private var floatHistogramST: HistogramSTChunkIterator<DiskFloatHistogramChunkIterator>?
    private let reader: ChunkSegmentReader
    private let ref: UInt64
    private let encoding: ChunkEncoding

    /// Reads the chunk `meta` refers to; nil (the error recorded in `failure`) when it cannot be read.
    init?(_ reader: ChunkSegmentReader, _ meta: ChunkMeta, _ failure: DiskReadFailure) {
        let c: (encoding: ChunkEncoding, bytes: [UInt8])
        do throws(DiskFormatError) { c = try reader.chunk(meta.ref) } catch {
            failure.record(error)
            return nil
        }
        self.init(reader, ref: meta.ref, chunk: c, failure)
    }

    /// A decoder of chunk `c`, read from `ref`; nil (the error recorded in `failure`) when its header is invalid.
    private init?(_ reader: ChunkSegmentReader, ref: UInt64, chunk c: (encoding: ChunkEncoding, bytes: [UInt8]), _ failure: DiskReadFailure) {
        encoding = c.encoding
        self.reader = reader
        self.ref = ref
        do throws(ChunkDecodeError) {
            switch c.encoding {
            case .xor: xor = try DiskXORChunkIterator(bytes: c.bytes)
            case .histogram: histogram = try DiskHistogramChunkIterator(bytes: c.bytes)
            case .floatHistogram: floatHistogram = try DiskFloatHistogramChunkIterator(bytes: c.bytes)
            case .xor2: xor2 = try DiskXOR2ChunkIterator(bytes: c.bytes)
            case .histogramST: histogramST = try HistogramSTChunkIterator(bytes: c.bytes)
            case .floatHistogramST: floatHistogramST = try HistogramSTChunkIterator(bytes: c.bytes)
            case .none: throw ChunkDecodeError(bitOffset: 0, reason: "unsupported chunk encoding \(c.encoding)")
            }
        } catch {
            failure.record(reader.decodeError(error, ref: ref, encoding: c.encoding))
            return nil
        }
    }

    /// The next sample of the chunk, nil after the last.
    @inline(__always)
    mutating func next() throws(ChunkDecodeError) -> (t: Int64, value: SampleValue)? {
        if xor != nil {
            guard let s = try xor?.next() else { return nil }
            return (s.t, .float(s.v))
        }
        if histogram != nil {
            guard let s = try histogram?.next() else { return nil }
            return (s.t, .histogram(s.h))
        }
        if floatHistogram != nil {
            guard let s = try floatHistogram?.next() else { return nil }
            return (s.t, .histogram(s.h))
        }
        if xor2 != nil {
            guard let s = try xor2?.next() else { return nil }
            return (s.t, .float(s.v))
        }
        if histogramST != nil {
            guard let s = try histogramST?.next() else { return nil }
            return (s.t, .histogram(s.h))
        }
        guard let s = try floatHistogramST?.next() else { return nil }
        return (s.t, .histogram(s.h))
    }

    /// Calls `float` or `histogram` for each sample of the chunk in `range` outside the `deleted` intervals, in
    /// order; false when the chunk fails to decode (the error recorded in `failure`). XOR chunks, the common case,
    /// hand their floats over directly rather than wrapped in a `SampleValue` each.
    mutating func forEachSample<E: Error>(
        in range: ClosedRange<Int64>, deleted: [ClosedRange<Int64>], failure: DiskReadFailure,
        float: (Int64, Double) throws(E) -> Void, histogram: (Int64, FloatHistogram) throws(E) -> Void
    ) throws(E) -> Bool {
        if var it = xor {
            xor = nil
            return try Self.forEachFloat(&it, in: range, deleted: deleted, float) { failure.record(self.error($0)) }
        }
        while true {
            let s: (t: Int64, value: SampleValue)?
            do throws(ChunkDecodeError) { s = try next() } catch {
                failure.record(self.error(error))
                return false
            }
            guard let s, s.t <= range.upperBound else { return true }
            if s.t < range.lowerBound || (!deleted.isEmpty && deleted.contains(where: { $0.contains(s.t) })) { continue }
            switch s.value {
            case .float(let v): try float(s.t, v)
            case .histogram(let h): try histogram(s.t, h)
            }
        }
    }

    /// `forEachSample` over the chunk `meta` refers to, read from `reader`; false when it cannot be read or decoded
    /// (the error recorded in `failure`). XOR chunks, the common case, are decoded without setting up a whole
    /// decoder (whose state for the other encodings makes it large to build and move for every chunk).
    static func forEachSample<E: Error>(
        of meta: ChunkMeta, _ reader: ChunkSegmentReader, in range: ClosedRange<Int64>, deleted: [ClosedRange<Int64>],
        failure: DiskReadFailure, float: (Int64, Double) throws(E) -> Void, histogram: (Int64, FloatHistogram) throws(E) -> Void
    ) throws(E) -> Bool {
        let c: (encoding: ChunkEncoding, bytes: [UInt8])
        do throws(DiskFormatError) { c = try reader.chunk(meta.ref) } catch {
            failure.record(error)
            return false
        }
        guard c.encoding == .xor else {
            guard var d = DiskChunkDecoder(reader, ref: meta.ref, chunk: c, failure) else { return false }
            return try d.forEachSample(in: range, deleted: deleted, failure: failure, float: float, histogram: histogram)
        }
        var it: DiskXORChunkIterator
        do throws(ChunkDecodeError) { it = try DiskXORChunkIterator(bytes: c.bytes) } catch {
            failure.record(reader.decodeError(error, ref: meta.ref, encoding: .xor))
            return false
        }
        return try forEachFloat(&it, in: range, deleted: deleted, float) {
            failure.record(reader.decodeError($0, ref: meta.ref, encoding: .xor))
        }
    }

    /// Calls `float` for each sample of the XOR chunk `it` decodes in `range` outside `deleted`; false (after
    /// `failed`) when the chunk fails to decode.
    private static func forEachFloat<E: Error>(
        _ it: inout DiskXORChunkIterator, in range: ClosedRange<Int64>, deleted: [ClosedRange<Int64>],
        _ float: (Int64, Double) throws(E) -> Void, failed: (ChunkDecodeError) -> Void
    ) throws(E) -> Bool {
        while true {
            let s: (t: Int64, v: Double)?
            do throws(ChunkDecodeError) { s = try it.next() } catch {
                failed(error)
                return false
            }
            guard let s, s.t <= range.upperBound else { return true }
            if s.t < range.lowerBound || (!deleted.isEmpty && deleted.contains(where: { $0.contains(s.t) })) { continue }
            try float(s.t, s.v)
        }
    }

    /// A decode error as a read error naming the segment file and the chunk's offset.
    func error(_ e: ChunkDecodeError) -> DiskFormatError { reader.decodeError(e, ref: ref, encoding: encoding) }
}

/// Forward iterator over one part of a disk series within a window: tombstoned samples skipped.
struct DiskPartCursor: Sendable {
    private let part: DiskSeriesPart
    private let window: ClosedRange<Int64>
    private let failure: DiskReadFailure
    private var chunkIndex = -1
    private var decoder: DiskChunkDecoder?
    private var head: SeriesIterator?
    private var headStarted = false
    private var done = false
    private(set) var t: Int64 = .min
    private(set) var value: SampleValue = .float(0)

    init(part: DiskSeriesPart, window: ClosedRange<Int64>, failure: DiskReadFailure) {
        self.part = part
        self.window = window
        self.failure = failure
        if case .head(let s) = part.source { head = s.makeIterator() }
    }

    /// Advances to the next sample; false when exhausted.
    mutating func next() -> Bool {
        if done { return false }
        if head != nil {
            let moved = headStarted ? head?.next() : head?.seek(to: window.lowerBound)
            headStarted = true
            return moved == true ? takeHead() : finish()
        }
        guard case .block(let reader, let metas, let deleted) = part.source else { return finish() }
        while true {
            if decoder != nil {
                let s: (t: Int64, value: SampleValue)??
                do throws(ChunkDecodeError) { s = try decoder?.next() } catch {
                    if let d = decoder { failure.record(d.error(error)) }
                    return finish()
                }
                if let s = s ?? nil {
                    if s.t < window.lowerBound { continue }
                    if s.t > window.upperBound { return finish() }
                    if !deleted.isEmpty && deleted.contains(where: { $0.contains(s.t) }) { continue }
                    t = s.t
                    value = s.value
                    return true
                }
                decoder = nil
            }
            chunkIndex += 1
            guard chunkIndex < metas.count, metas[chunkIndex].minTime <= window.upperBound else { return finish() }
            guard let d = DiskChunkDecoder(reader, metas[chunkIndex], failure) else { return finish() }
            decoder = d
        }
    }

    /// Advances to the first sample at or after `target` (never backwards); false when exhausted.
    mutating func seek(to target: Int64) -> Bool {
        if done { return false }
        if head != nil {
            headStarted = true
            return head?.seek(to: max(target, window.lowerBound)) == true ? takeHead() : finish()
        }
        if case .block(_, let metas, _) = part.source {
            // Chunks that end before the target need not be decoded.
            let inChunk = decoder != nil && chunkIndex >= 0 && chunkIndex < metas.count && metas[chunkIndex].maxTime >= target
            if !inChunk {
                var j = chunkIndex + 1
                while j < metas.count && metas[j].maxTime < target { j += 1 }
                if j - 1 > chunkIndex {
                    chunkIndex = j - 1
                    decoder = nil
                }
            }
        }
        while true {
            guard next() else { return false }
            if t >= target { return true }
        }
    }

    /// Takes the head iterator's sample, or ends when it is past the window.
    private mutating func takeHead() -> Bool {
        guard let h = head, h.atT() <= window.upperBound else { return finish() }
        t = h.atT()
        value = h.valueType == .float ? .float(h.at().v) : .histogram(h.atHistogram().h)
        return true
    }

    private mutating func finish() -> Bool {
        done = true
        decoder = nil
        return false
    }
}

/// Forward iterator over a disk series' samples in a window, merging its parts in time order.
struct DiskSeriesIterator: Sendable {
    private var cursors: [DiskPartCursor]
    /// Whether each cursor stands on an unread sample (merge mode).
    private var live: [Bool]
    private let disjoint: Bool
    private var current = 0
    private var started = false
    private var positioned = false
    private(set) var t: Int64 = 0
    private(set) var value: SampleValue = .float(0)

    init(series: DiskSeries, window: ClosedRange<Int64>) {
        cursors = series.parts.map { DiskPartCursor(part: $0, window: window, failure: series.failure) }
        live = Array(repeating: false, count: cursors.count)
        disjoint = series.disjoint
    }

    /// Advances to the next sample; false when exhausted.
    mutating func next() -> Bool {
        if disjoint {
            while current < cursors.count {
                if cursors[current].next() { return take(current) }
                current += 1
            }
            return false
        }
        if !started {
            started = true
            for i in cursors.indices { live[i] = cursors[i].next() }
        } else if positioned, current < cursors.count {
            live[current] = cursors[current].next()
        }
        return pick()
    }

    /// Advances to the first sample at or after `target` (staying put if already there); false when exhausted.
    mutating func seek(to target: Int64) -> Bool {
        if positioned && t >= target { return true }
        if disjoint {
            while current < cursors.count {
                if cursors[current].seek(to: target) { return take(current) }
                current += 1
            }
            return false
        }
        if !started {
            started = true
            for i in cursors.indices { live[i] = cursors[i].seek(to: target) }
        } else {
            if positioned, current < cursors.count { live[current] = cursors[current].next() }
            for i in cursors.indices where live[i] && cursors[i].t < target { live[i] = cursors[i].seek(to: target) }
        }
        return pick()
    }

    /// Takes the earliest sample among the live cursors (the first cursor on ties) and drops the others' samples
    /// at the same time.
    private mutating func pick() -> Bool {
        var best = -1
        for i in cursors.indices where live[i] && (best < 0 || cursors[i].t < cursors[best].t) { best = i }
        guard best >= 0 else {
            positioned = false
            return false
        }
        let bt = cursors[best].t
        for i in cursors.indices where i != best && live[i] && cursors[i].t == bt { live[i] = cursors[i].next() }
        current = best
        return take(best)
    }

    private mutating func take(_ i: Int) -> Bool {
        t = cursors[i].t
        value = cursors[i].value
        positioned = true
        return true
    }
}
