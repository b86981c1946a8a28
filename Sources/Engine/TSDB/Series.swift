/// The kind of the sample an iterator stands on.
public enum SampleValueType: Sendable, Hashable {
    case float
    case histogram
}

/// A sample value: a float or a native histogram.
public enum SampleValue: Sendable {
    case float(Double)
    case histogram(FloatHistogram)
}

/// One sample of a series.
public struct Sample: Sendable {
    /// Milliseconds since the epoch.
    public var t: Int64
    /// Float or histogram value.
    public var value: SampleValue

    /// Builds a sample.
    public init(t: Int64, value: SampleValue) {
        self.t = t
        self.value = value
    }

    /// The float value, or nil for a histogram sample.
    public var float: Double? {
        if case .float(let v) = value { return v }
        return nil
    }

    /// The histogram value, or nil for a float sample.
    public var histogram: FloatHistogram? {
        if case .histogram(let h) = value { return h }
        return nil
    }
}

/// A series returned by `Head.select`: its labels and a snapshot of its samples within the selected range; or one
/// a `TSDBDirectory` selected, whose samples are read in place from the block files (`disk`).
public struct Series: Sendable {
    /// The series' ref in its head.
    public let ref: SeriesRef
    /// The series' label set.
    public let labels: Labels
    let chunks: [HeadChunk]
    /// The selected time range; iterators never yield samples outside it.
    public let mint: Int64
    /// Upper end of the selected range (inclusive).
    public let maxt: Int64
    /// The series' newest sample when it is a float, as stored when the snapshot was taken (time, value bits):
    /// lets `lastSample` answer without decoding when the window reaches the newest sample, which is what rule
    /// evaluation asks at every step.
    let newestFloat: (t: Int64, bits: UInt64)?
    /// Set for a series of an on-disk directory: its chunks are decoded from the mapped files as it is iterated
    /// (then `chunks` is empty).
    let disk: DiskSeries?

    init(ref: SeriesRef, labels: Labels, chunks: [HeadChunk], mint: Int64, maxt: Int64,
         newestFloat: (t: Int64, bits: UInt64)? = nil) {
        self.ref = ref
        self.labels = labels
        self.chunks = chunks
        self.mint = mint
        self.maxt = maxt
        self.newestFloat = newestFloat
        self.disk = nil
    }

    /// A series of an on-disk directory (`ref` is 0: it has no head ref).
    init(labels: Labels, disk: DiskSeries, mint: Int64, maxt: Int64) {
        self.ref = 0
        self.labels = labels
        self.chunks = []
        self.mint = mint
        self.maxt = maxt
        self.newestFloat = nil
        self.disk = disk
    }

    /// Whether any sample lies in [mint, maxt]; decodes only a chunk that straddles the whole range.
    var hasSamples: Bool {
        if let disk { return disk.hasSamples(in: mint...maxt) }
        for c in chunks {
            let (lo, hi) = (c.minTime, c.maxTime)
            if (lo >= mint && lo <= maxt) || (hi >= mint && hi <= maxt) { return true }
            if lo < mint && hi > maxt {
                var it = SeriesIterator(chunks: [c], mint: mint, maxt: maxt)
                if it.seek(to: mint) { return true }
            }
        }
        return false
    }

    /// A fresh iterator positioned before the first sample.
    public func makeIterator() -> SeriesIterator {
        if let disk { return SeriesIterator(disk: disk.makeIterator(window: mint...maxt)) }
        return SeriesIterator(chunks: chunks, mint: mint, maxt: maxt)
    }

    /// All samples with `range.lowerBound ≤ t ≤ range.upperBound` (and within the selected range).
    public func samples(in range: ClosedRange<Int64>) -> [Sample] {
        var it = makeIterator()
        var out: [Sample] = []
        guard it.seek(to: range.lowerBound) else { return out }
        repeat {
            let t = it.atT()
            if t > range.upperBound { break }
            switch it.valueType {
            case .float: out.append(Sample(t: t, value: .float(it.at().v)))
            case .histogram: out.append(Sample(t: t, value: .histogram(it.atHistogram().h)))
            }
        } while it.next()
        return out
    }

    /// All samples in the selected range.
    public var samples: [Sample] { samples(in: mint...maxt) }

    /// The float samples within `range` (histogram samples skipped), as PromQL's `FPoint`s.
    public func floatSamples(in range: ClosedRange<Int64>) -> [(t: Int64, v: Double)] {
        var it = makeIterator()
        var out: [(t: Int64, v: Double)] = []
        guard it.seek(to: range.lowerBound) else { return out }
        repeat {
            let t = it.atT()
            if t > range.upperBound { break }
            if it.valueType == .float { out.append(it.at()) }
        } while it.next()
        return out
    }

    /// The histogram samples within `range` (float samples skipped), as PromQL's `HPoint`s.
    public func histogramSamples(in range: ClosedRange<Int64>) -> [(t: Int64, h: FloatHistogram)] {
        var it = makeIterator()
        var out: [(t: Int64, h: FloatHistogram)] = []
        guard it.seek(to: range.lowerBound) else { return out }
        repeat {
            let t = it.atT()
            if t > range.upperBound { break }
            if it.valueType == .histogram { out.append(it.atHistogram()) }
        } while it.next()
        return out
    }

    /// The newest sample with `range.lowerBound ≤ t ≤ range.upperBound` (e.g. an instant-vector lookback window),
    /// decoding only the chunks that can hold it.
    public func lastSample(in range: ClosedRange<Int64>) -> Sample? {
        let lo = max(range.lowerBound, mint), hi = min(range.upperBound, maxt)
        guard lo <= hi else { return nil }
        if let disk { return disk.lastSample(in: lo...hi) }
        if let n = newestFloat, n.t <= hi {
            // No sample is newer: the newest one is the answer if the window reaches it, else there is none.
            return n.t >= lo ? Sample(t: n.t, value: .float(Double(bitPattern: n.bits))) : nil
        }
        // Newest chunk starting at or before `hi`; if it has nothing ≤ hi within range, older chunks cannot either
        // unless this chunk starts after `lo`, so walk backwards.
        var i = chunks.count - 1
        while i >= 0 && chunks[i].minTime > hi { i -= 1 }
        while i >= 0 {
            if chunks[i].maxTime < lo { return nil }
            var it = SeriesIterator(chunks: [chunks[i]], mint: lo, maxt: hi)
            var found: Sample?
            if it.seek(to: lo) {
                repeat {
                    switch it.valueType {
                    case .float: found = Sample(t: it.atT(), value: .float(it.at().v))
                    case .histogram: found = Sample(t: it.atT(), value: .histogram(it.atHistogram().h))
                    }
                } while it.next()
            }
            if let found { return found }
            i -= 1
        }
        return nil
    }
}

/// Forward iterator over a series' samples with Prometheus `chunkenc.Iterator` semantics.
///
/// Call `next()` or `seek(to:)` before reading; `seek` never moves backwards.
public struct SeriesIterator: Sendable {
    private let chunks: [HeadChunk]
    private let mint: Int64
    private let maxt: Int64
    private var chunkIndex = -1
    /// The float chunk being decoded, when `inFloatChunk` (not optional, so decoding mutates it in place).
    private var floatIt = XORChunkIterator(XORChunk())
    private var inFloatChunk = false
    private var histIndex = 0
    private var histChunk: HistogramChunk?
    private var done = false
    private var positioned = false
    private var t: Int64 = 0
    private var floatValue: Double = 0
    private var histValue: FloatHistogram?
    /// Set by `seek` until the next chunk is opened: the chunk's samples before it need not be decoded.
    private var seekGoal: Int64?
    /// Set when iterating a disk series: it does the decoding, this iterator mirrors its current sample.
    private var disk: DiskSeriesIterator?

    /// Kind of the current sample.
    public private(set) var valueType: SampleValueType = .float

    init(chunks: [HeadChunk], mint: Int64, maxt: Int64) {
        self.chunks = chunks
        self.mint = mint
        self.maxt = maxt
    }

    init(disk: DiskSeriesIterator) {
        self.init(chunks: [], mint: .min, maxt: .max)
        self.disk = disk
    }

    /// An iterator over nothing.
    public static let empty = SeriesIterator(chunks: [], mint: 0, maxt: -1)

    /// Timestamp of the current sample.
    public func atT() -> Int64 { t }

    /// The current float sample (value is 0 when the current sample is a histogram).
    public func at() -> (t: Int64, v: Double) { (t, floatValue) }

    /// The current histogram sample (an empty histogram when the current sample is a float).
    public func atHistogram() -> (t: Int64, h: FloatHistogram) {
        (t, valueType == .histogram ? histValue ?? FloatHistogram() : FloatHistogram())
    }

    /// Advances to the next sample; false when exhausted.
    @discardableResult
    public mutating func next() -> Bool {
        if done { return false }
        if disk != nil { return mirrorDisk(disk?.next()) }
        // Fast path: the next sample of the float chunk being decoded.
        while inFloatChunk && floatIt.next() {
            t = floatIt.t
            floatValue = floatIt.value
            valueType = .float
            if let inRange = settle() { return inRange }
        }
        while true {
            guard rawNext() else {
                done = true
                return false
            }
            if let inRange = settle() { return inRange }
        }
    }

    /// Places the sample just decoded: nil to skip it (before `mint`), false past `maxt` (iteration ends), else true.
    @inline(__always)
    private mutating func settle() -> Bool? {
        if t < mint { return nil }
        if t > maxt {
            done = true
            return false
        }
        positioned = true
        return true
    }

    /// Advances to the first sample with timestamp ≥ `target` (staying put if already there); false when exhausted.
    @discardableResult
    public mutating func seek(to target: Int64) -> Bool {
        if done { return false }
        if positioned && t >= target { return true }
        if disk != nil { return mirrorDisk(disk?.seek(to: target)) }
        // Skip whole chunks that end before the target.
        let goal = max(target, mint)
        let inChunk = inFloatChunk || histChunk != nil
        if !(inChunk && chunkIndex >= 0 && chunkIndex < chunks.count && chunks[chunkIndex].maxTime >= goal) {
            var j = chunkIndex + 1
            while j < chunks.count && chunks[j].maxTime < goal { j += 1 }
            chunkIndex = j - 1
            inFloatChunk = false
            histChunk = nil
            seekGoal = goal
        }
        while true {
            guard next() else { return false }
            if t >= target { return true }
        }
    }

    /// Copies the disk iterator's current sample after it moved (`moved`), or ends the iteration.
    private mutating func mirrorDisk(_ moved: Bool?) -> Bool {
        guard moved == true, let dt = disk?.t, let dv = disk?.value else {
            done = true
            return false
        }
        t = dt
        positioned = true
        switch dv {
        case .float(let v):
            floatValue = v
            valueType = .float
        case .histogram(let h):
            histValue = h
            floatValue = 0
            valueType = .histogram
        }
        return true
    }

    /// Decodes the next raw sample regardless of the time range.
    private mutating func rawNext() -> Bool {
        while true {
            if inFloatChunk {
                if floatIt.next() {
                    t = floatIt.t
                    floatValue = floatIt.value
                    valueType = .float
                    return true
                }
                inFloatChunk = false
            } else if let hc = histChunk {
                if histIndex < hc.count {
                    t = hc.times[histIndex]
                    histValue = hc.histogram(at: histIndex)
                    floatValue = 0
                    valueType = .histogram
                    histIndex += 1
                    return true
                }
                histChunk = nil
            }
            chunkIndex += 1
            let goal = seekGoal
            seekGoal = nil
            guard chunkIndex < chunks.count else { return false }
            if chunks[chunkIndex].minTime > maxt { return false }
            switch chunks[chunkIndex] {
            case .float(let c):
                floatIt = if let g = goal { c.makeIterator(seekingTo: g) } else { c.makeIterator() }
                inFloatChunk = true
            case .histogram(let c):
                histChunk = c
                histIndex = 0
            }
        }
    }
}
