import GoCompat
/// The experimental `anchored` and `smoothed` selector modifiers (`promql-extended-range-selectors`).
extension Evaluator {
    static let anchoredSafeFunctions: [RangeFunction] = [.changes, .delta, .increase, .rate, .resets]
    static let smoothedSafeFunctions: [RangeFunction] = [.delta, .increase, .rate]

    /// `metric[range] anchored|smoothed` evaluated on its own: the window's points with values pinned at both edges.
    func extendedRangeSelector(_ vs: VectorSelector, rangeMillis range: Int64) throws(PromQLEvalError) -> [EvalSeries] {
        let offset = try offsetMillis(vs.modifiers)
        let ref = atTime(vs.modifiers, start) - offset
        let lookback = lookbackMillis
        let maxt = vs.smoothed ? ref + lookback : ref
        let loaded = load(vs, mint: ref - range - lookback + 1, maxt: maxt)
        var out: [EvalSeries] = []
        for ls in loaded {
            var floats: [FPoint] = []
            for i in ls.times.indices where ls.times[i] > ref - range - lookback && ls.times[i] <= maxt {
                if ls.histogram(at: i) != nil { throw PromQLEvalError("anchored modifier is not supported with histograms") }
                if isStaleNaN(ls.values[i]) { continue }
                floats.append(FPoint(t: ls.times[i], f: ls.values[i]))
            }
            let ext = Self.extendFloats(floats, mint: ref - range, maxt: ref, smoothed: vs.smoothed)
            if !ext.isEmpty { out.append(EvalSeries(labels: ls.labels, floats: ext)) }
        }
        return out
    }

    /// `metric smoothed`: per step, the value interpolated between the samples around the step.
    func smoothedVectorSelector(_ vs: VectorSelector) throws(PromQLEvalError) -> [EvalSeries] {
        let offset = try offsetMillis(vs.modifiers)
        let st = steps
        let refs = st.map { atTime(vs.modifiers, $0) - offset }
        guard let minRef = refs.min(), let maxRef = refs.max() else { return [] }
        let lb = lookbackMillis
        let loaded = load(vs, mint: minRef - lb + 1, maxt: maxRef + lb)
        var out: [EvalSeries] = []
        for ls in loaded {
            var floats: [FPoint] = []
            var hists: [HPoint] = []
            for i in ls.times.indices where !ls.isStale(at: i) {
                if let h = ls.histogram(at: i) { hists.append(HPoint(t: ls.times[i], h: h)) }
                else { floats.append(FPoint(t: ls.times[i], f: ls.values[i])) }
            }
            var s = EvalSeries(labels: ls.labels)
            for (i, ts) in st.enumerated() {
                let ref = refs[i]
                let win = Array(floats[WindowCursor.range(floats, after: ref - lb, upTo: ref + lb)])
                let hw = Array(hists[WindowCursor.range(hists, after: ref - lb, upTo: ref + lb)])
                if win.isEmpty && hw.isEmpty { continue }
                if !win.isEmpty && !hw.isEmpty {
                    ctx.annotations.warn("encountered a mix of histograms and floats for metric name \(quoteLabelValue(ls.labels.metricName ?? ""))")
                    continue
                }
                if !hw.isEmpty {
                    var k = 0
                    while k < hw.count && hw[k].t < ref { k += 1 }
                    if k < hw.count && hw[k].t == ref {
                        s.histograms.append(HPoint(t: ts, h: hw[k].h))
                    } else if k > 0 && k < hw.count {
                        let isCounter = hw[k - 1].h.counterResetHint != .gauge && hw[k].h.counterResetHint != .gauge
                        do {
                            let h = try Self.interpolate(hw[k - 1], hw[k], at: ref, isCounter: isCounter)
                            s.histograms.append(HPoint(t: ts, h: h.compacted()))
                        } catch {
                            ctx.annotations.warn("vector contains a mix of histograms with exponential and custom buckets schemas for metric name \(quoteLabelValue(ls.labels.metricName ?? ""))")
                        }
                    } else if k > 0 {
                        s.histograms.append(HPoint(t: ts, h: hw[k - 1].h))
                    }
                    continue
                }
                var k = 0
                while k < win.count && win[k].t < ref { k += 1 }
                if k < win.count && win[k].t == ref {
                    s.floats.append(FPoint(t: ts, f: win[k].f))
                } else if k > 0 && k < win.count {
                    s.floats.append(FPoint(t: ts, f: Self.interpolate(win[k - 1], win[k], at: ref, isCounter: false)))
                } else if k > 0 {
                    s.floats.append(FPoint(t: ts, f: win[k - 1].f))
                }
            }
            if !s.floats.isEmpty || !s.histograms.isEmpty { out.append(s) }
        }
        return out
    }

    /// Linear interpolation at `t`; for counters a drop between the points counts from zero.
    static func interpolate(_ p1: FPoint, _ p2: FPoint, at t: Int64, isCounter: Bool) -> Double {
        var y1 = p1.f
        let y2 = p2.f
        if isCounter && y2 < y1 { y1 = 0 }
        return y1 + (y2 - y1) * Double(t - p1.t) / Double(p2.t - p1.t)
    }

    /// Go's `sort.Search(n, pred)`.
    static func search(_ n: Int, _ pred: (Int) -> Bool) -> Int {
        var lo = 0, hi = n
        while lo < hi {
            let m = (lo + hi) / 2
            if pred(m) { hi = m } else { lo = m + 1 }
        }
        return lo
    }

    /// The window `(mint, maxt]` with values at `mint` and `maxt` taken from (or interpolated between) the samples
    /// around the edges.
    static func extendFloats(_ floats: [FPoint], mint: Int64, maxt: Int64, smoothed: Bool) -> [FPoint] {
        guard !floats.isEmpty else { return [] }
        var last = floats.count - 1
        var first = max(0, search(last) { floats[$0].t > mint } - 1)
        if smoothed { last = search(last) { floats[$0].t >= maxt } }
        if floats[last].t <= mint { return [] }
        let left = pickLeft(floats, first, mint, smoothed: smoothed, isCounter: false)
        let right = pickRight(floats, last, maxt, smoothed: smoothed, isCounter: false)
        if floats[first].t <= mint { first += 1 }
        if floats[last].t >= maxt { last -= 1 }
        var out = [FPoint(t: mint, f: left)]
        if first <= last { out.append(contentsOf: floats[first...last]) }
        out.append(FPoint(t: maxt, f: right))
        return out
    }

    static func pickLeft(_ f: [FPoint], _ first: Int, _ rangeStart: Int64, smoothed: Bool, isCounter: Bool) -> Double {
        if smoothed && f[first].t < rangeStart && first + 1 < f.count {
            return interpolate(f[first], f[first + 1], at: rangeStart, isCounter: isCounter)
        }
        return f[first].f
    }

    static func pickRight(_ f: [FPoint], _ last: Int, _ rangeEnd: Int64, smoothed: Bool, isCounter: Bool) -> Double {
        if smoothed && last > 0 && f[last].t > rangeEnd {
            return interpolate(f[last - 1], f[last], at: rangeEnd, isCounter: isCounter)
        }
        return f[last].f
    }

    /// rate/increase/delta over an anchored or smoothed window (no extrapolation).
    static func extendedRate(_ f: [FPoint], rangeStart: Int64, rangeEnd: Int64, rangeMillis: Int64,
                             smoothed: Bool, isCounter: Bool, isRate: Bool) -> Double? {
        guard !f.isEmpty else { return nil }
        var last = f.count - 1
        var first = max(0, search(last) { f[$0].t > rangeStart } - 1)
        if smoothed { last = search(last) { f[$0].t >= rangeEnd } }
        if f[last].t <= rangeStart || f[first].t > rangeEnd { return nil }
        let left = pickLeft(f, first, rangeStart, smoothed: smoothed, isCounter: isCounter)
        let right = pickRight(f, last, rangeEnd, smoothed: smoothed, isCounter: isCounter)
        var result = right - left
        if isCounter {
            if f[first].t <= rangeStart { first += 1 }
            if f[last].t >= rangeEnd { last -= 1 }
            var correction = 0.0
            var prev = left
            if first <= last {
                for p in f[first...last] {
                    if p.f < prev { correction += prev }
                    prev = p.f
                }
            }
            if right < prev { correction += prev }
            result += correction
        }
        if isRate { result /= GoTime.durationSeconds(millis: rangeMillis) }
        return result
    }
}

// MARK: - Native histograms

extension Evaluator {
    /// Interpolation between two histograms at `t`; a counter reset between them counts up from zero.
    static func interpolate(_ p1: HPoint, _ p2: HPoint, at t: Int64, isCounter: Bool) throws(FloatHistogram.ArithmeticError) -> FloatHistogram {
        if p1.h.usesCustomBuckets != p2.h.usesCustomBuckets { throw .incompatibleSchema }
        let fraction = Double(t - p1.t) / Double(p2.t - p1.t)
        if isCounter && p2.h.detectReset(previous: p1.h) {
            var r = p2.h.multiplied(by: fraction)
            r.counterResetHint = .counterReset
            return r
        }
        var diff = try p2.h.subtracting(p1.h, reconcileCustomBounds: true)
        diff.mul(fraction)
        var r = try p1.h.adding(diff, reconcileCustomBounds: true)
        r.counterResetHint = .notCounterReset
        return r
    }

    /// rate/increase/delta of histograms over an anchored or smoothed window.
    func extendedHistogramRate(_ w: RangeWindow, isCounter: Bool, isRate: Bool) -> SampleValue? {
        let hs = Array(w.histograms)
        guard !hs.isEmpty else { return nil }
        let metric = quoteLabelValue(w.metricName)
        var last = hs.count - 1
        var first = max(0, Self.search(last) { hs[$0].t > w.rangeStart } - 1)
        if w.smoothed { last = Self.search(last) { hs[$0].t >= w.rangeEnd } }
        if hs[last].t <= w.rangeStart || hs[first].t > w.rangeEnd { return nil }
        let used = hs[first...last]
        if used.contains(where: { $0.h.usesCustomBuckets != hs[first].h.usesCustomBuckets }) {
            ctx.annotations.warn("vector contains a mix of histograms with exponential and custom buckets schemas for metric name \(metric)")
            return nil
        }
        if isCounter && used.contains(where: { $0.h.counterResetHint == .gauge }) {
            ctx.annotations.warn("this native histogram metric is not a counter: \(metric)")
        }
        if !isCounter && (hs[first].h.counterResetHint != .gauge || hs[last].h.counterResetHint != .gauge) {
            ctx.annotations.warn("this native histogram metric is not a gauge: \(metric)")
        }
        do {
            let leftInterpolated = w.smoothed && hs[first].t < w.rangeStart && first + 1 < hs.count
            let left = leftInterpolated
                ? try Self.interpolate(hs[first], hs[first + 1], at: w.rangeStart, isCounter: isCounter) : hs[first].h
            let rightInterpolated = w.smoothed && last > 0 && hs[last].t > w.rangeEnd
            let right = rightInterpolated
                ? try Self.interpolate(hs[last - 1], hs[last], at: w.rangeEnd, isCounter: isCounter) : hs[last].h
            var result = try right.subtracting(left, reconcileCustomBounds: true)
            if isCounter {
                if hs[first].t <= w.rangeStart { first += 1 }
                let lastExcluded = hs[last].t >= w.rangeEnd
                if lastExcluded { last -= 1 }
                var prev = left
                var start = first
                if leftInterpolated {
                    // The left edge already follows the sample after it; only later samples can reset.
                    if first <= last {
                        prev = hs[first].h
                        start = first + 1
                    } else {
                        start = Int.max
                    }
                }
                if start != Int.max {
                    if start <= last {
                        for p in hs[start...last] {
                            if p.h.detectReset(previous: prev) { try result.add(prev, reconcileCustomBounds: true) }
                            prev = p.h
                        }
                    }
                    if lastExcluded && right.detectReset(previous: prev) { try result.add(prev, reconcileCustomBounds: true) }
                }
            }
            if isRate { result.div(GoTime.durationSeconds(millis: w.rangeMillis)) }
            result.counterResetHint = .gauge
            return .histogram(result.compacted())
        } catch {
            ctx.annotations.warn("vector contains a mix of histograms with exponential and custom buckets schemas for metric name \(metric)")
            return nil
        }
    }
}
