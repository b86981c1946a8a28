/// Walks one step-aligned series step by step, so operators can visit the points at each step without building
/// a vector per step.
struct StepCursor {
    /// The next unread float and histogram point of the series (points are sorted by time).
    private(set) var floatPos = 0
    private(set) var histogramPos = 0

    /// Moves to time `t`, skipping earlier points; says whether the series has a float and a histogram point at
    /// `t` (then at `floatPos` / `histogramPos`). Call with non-decreasing times.
    mutating func seek(_ s: EvalSeries, to t: Int64) -> (float: Bool, histogram: Bool) {
        let nFloats = s.floats.count
        while floatPos < nFloats && s.floats[floatPos].t < t { floatPos += 1 }
        let nHists = s.histograms.count
        while histogramPos < nHists && s.histograms[histogramPos].t < t { histogramPos += 1 }
        return (floatPos < nFloats && s.floats[floatPos].t == t, histogramPos < nHists && s.histograms[histogramPos].t == t)
    }

    /// The samples a series has at a step, in the order vectors list them (its float, then its histogram):
    /// `false` for the float, `true` for the histogram. A stride, so the hot loops allocate nothing.
    static func samples(_ at: (float: Bool, histogram: Bool)) -> LazyMapSequence<StrideThrough<Int>, Bool> {
        stride(from: at.float ? 0 : 1, through: at.histogram ? 1 : 0, by: 1).lazy.map { $0 == 1 }
    }
}
