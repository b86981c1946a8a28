/// Builds an operator's output series: points for the same labels (and name-removal flag) join one series, and
/// two points for one series at the same time are Prometheus's duplicate-labelset error.
struct SeriesCollector {
    private struct Key: Hashable {
        var labels: Labels
        var drop: Bool
    }

    private(set) var series: [EvalSeries] = []
    private var index: [Key: Int] = [:]
    /// Per output series, the time of its last point (points arrive in time order per series).
    private var lastT: [Int64] = []
    /// Output series that received whole input series out of time order (merged and checked in `finish`).
    private var merged: Set<Int> = []

    /// The output series for these labels, created on first use.
    mutating func slot(_ labels: Labels, drop: Bool) -> Int {
        let key = Key(labels: labels, drop: drop)
        if let i = index[key] { return i }
        let i = series.count
        index[key] = i
        series.append(EvalSeries(labels: labels, dropName: drop))
        lastT.append(Int64.min)
        return i
    }

    /// Appends a point at `t`, which must not precede the series' last point.
    mutating func append(_ slot: Int, t: Int64, float f: Double) throws(PromQLEvalError) {
        try advance(slot, to: t)
        series[slot].floats.append(FPoint(t: t, f: f))
    }

    mutating func append(_ slot: Int, t: Int64, histogram h: FloatHistogram) throws(PromQLEvalError) {
        try advance(slot, to: t)
        series[slot].histograms.append(HPoint(t: t, h: h))
    }

    private mutating func advance(_ slot: Int, to t: Int64) throws(PromQLEvalError) {
        if t == lastT[slot] { throw Self.duplicateError }
        // Out of time order (only after `add` joined a whole series): sorted and checked in `finish`.
        if t < lastT[slot] { merged.insert(slot) }
        lastT[slot] = max(lastT[slot], t)
    }

    /// Adds a whole series (points sorted by time); joins an existing series with the same labels.
    mutating func add(_ s: EvalSeries) {
        guard !s.floats.isEmpty || !s.histograms.isEmpty else { return }
        let before = series.count
        let i = slot(s.labels, drop: s.dropName)
        if i == before {
            series[i].floats = s.floats
            series[i].histograms = s.histograms
        } else {
            series[i].floats += s.floats
            series[i].histograms += s.histograms
            merged.insert(i)
        }
        lastT[i] = max(lastT[i], s.floats.last?.t ?? Int64.min, s.histograms.last?.t ?? Int64.min)
    }

    /// The collected series; joined series are put in time order, and two points at one time are an error.
    func finish() throws(PromQLEvalError) -> [EvalSeries] {
        var out = series
        for i in merged.sorted() {
            out[i].floats.sort { $0.t < $1.t }
            out[i].histograms.sort { $0.t < $1.t }
            var times = Set<Int64>()
            for p in out[i].floats where !times.insert(p.t).inserted { throw Self.duplicateError }
            for p in out[i].histograms where !times.insert(p.t).inserted { throw Self.duplicateError }
        }
        return out.filter { !$0.floats.isEmpty || !$0.histograms.isEmpty }
    }

    static let duplicateError = PromQLEvalError("vector cannot contain metrics with the same labelset")
}
