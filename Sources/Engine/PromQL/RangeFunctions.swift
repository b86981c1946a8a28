#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GoCompat

/// What a range function sees at one step.
struct RangeWindow {
    /// All points of the series; the window holds `floatPoints[floatRange]` and `histogramPoints[histogramRange]`,
    /// so moving it from step to step copies nothing.
    var floatPoints: [FPoint]
    var floatRange: Range<Int> = 0..<0
    var histogramPoints: [HPoint]
    var histogramRange: Range<Int> = 0..<0
    var floats: ArraySlice<FPoint> { floatPoints[floatRange] }
    var histograms: ArraySlice<HPoint> { histogramPoints[histogramRange] }
    /// Step time (ms), window start (exclusive) and end (inclusive) in ms.
    var ts: Int64 = 0
    var rangeStart: Int64 = 0
    var rangeEnd: Int64 = 0
    var rangeMillis: Int64
    var metricName: String
    var anchored = false
    var smoothed = false
    /// Start timestamps of the samples (sample time → start time); absent or 0 means unknown.
    var startTimestamps: [Int64: Int64]? = nil
    /// The indices `i` of `floatPoints` whose value is below the point before (counter resets), ascending, when
    /// found once for the whole series: a window then asks whether it holds one by binary search instead of
    /// comparing all its points at every step. Nil: scan the window.
    var counterResets: [Int]? = nil

    /// Whether a counter reset lies between two consecutive float points of the window.
    func windowHasCounterReset() -> Bool {
        let r = floatRange
        guard r.count >= 2 else { return false }
        if let resets = counterResets {
            // The first reset index after the window's first point; a reset there is inside the window when it is
            // before the window's end.
            var lo = 0, hi = resets.count
            while lo < hi {
                let mid = lo + (hi - lo) / 2
                if resets[mid] <= r.lowerBound { lo = mid + 1 } else { hi = mid }
            }
            return lo < resets.count && resets[lo] < r.upperBound
        }
        return floatPoints.withUnsafeBufferPointer { p in
            // An OR-scan with no early exit: no dependency between iterations, so it pipelines.
            var any = false
            for i in (r.lowerBound + 1)..<r.upperBound { any = any || p[i].f < p[i - 1].f }
            return any
        }
    }

    /// The indices of the points whose value is below the point before (see `counterResets`).
    static func counterResetIndices(_ points: [FPoint]) -> [Int] {
        points.withUnsafeBufferPointer { p in
            var out: [Int] = []
            guard p.count >= 2 else { return out }
            for i in 1..<p.count where p[i].f < p[i - 1].f { out.append(i) }
            return out
        }
    }

    func st(_ t: Int64) -> Int64 { startTimestamps?[t] ?? 0 }

    /// A start timestamp inside the previous sample's interval (and not shared with it) overlaps it.
    func startTimestampOverlaps(_ prevT: Int64, _ currT: Int64) -> Bool {
        guard startTimestamps != nil else { return false }
        let cur = st(currT)
        return cur != 0 && cur < prevT && cur != st(prevT)
    }

    /// Whether start timestamps show a counter reset between the samples at `prevT` and `currT`.
    func startTimestampReset(_ prevT: Int64, _ currT: Int64) -> Bool {
        guard startTimestamps != nil else { return false }
        return isStartTimestampReset(prevST: st(prevT), prevT: prevT, currST: st(currT), currT: currT)
    }
}

/// A reset by start timestamps: the current sample started after the previous one was taken, or exactly at it
/// when the previous sample had a proper start of its own (a delta). Unknown (0) or invalid starts are no reset.
func isStartTimestampReset(prevST: Int64, prevT: Int64, currST: Int64, currT: Int64) -> Bool {
    if currST == 0 || currST >= currT { return false }
    if currST < prevT { return false }
    if currST > prevT { return true }
    return prevST != 0 && prevST < prevT
}

extension Evaluator {
    func evalRangeFunction(_ c: Call, _ fn: RangeFunction) throws(PromQLEvalError) -> EvalValue {
        let name = fn.rawValue
        guard let matrixIndex = c.function.argTypes.firstIndex(of: .matrix), matrixIndex < c.args.count else {
            throw PromQLEvalError("expected range vector argument for \(name)")
        }
        // Scalar arguments, evaluated per step.
        var scalarArgs: [Int: [Double]] = [:]
        for (i, a) in c.args.enumerated() where i != matrixIndex && a.type == .scalar {
            scalarArgs[i] = try scalarValues(a)
        }
        let arg = c.args[matrixIndex].unwrappingParens
        var anchored = false, smoothed = false
        if case .matrixSelector(let ms) = arg, let vs = ms.selector, vs.anchored || vs.smoothed {
            anchored = vs.anchored
            smoothed = vs.smoothed
            let allowed = vs.anchored ? Self.anchoredSafeFunctions : Self.smoothedSafeFunctions
            if !allowed.contains(fn) {
                throw PromQLEvalError("\(vs.anchored ? "anchored" : "smoothed") modifier can only be used with: \(allowed.map(\.rawValue).joined(separator: ", ")) - not with \(name)")
            }
        }
        let st = steps
        let absent = fn == .absentOverTime
        var present = [Bool](repeating: false, count: absent ? st.count : 0)
        var out: [EvalSeries] = []
        var samplesInWindows = 0
        let args0 = scalarArgs[0], args1 = scalarArgs[1], args2 = scalarArgs[2]
        let keepsName = fn.keepsMetricName
        let isRateOrIncrease = fn == .rate || fn == .increase
        // rate, increase and delta over float-only windows skip the general dispatch (the common case by far).
        let plainRate = (isRateOrIncrease || fn == .delta) && !anchored && !smoothed
        // The float results of the series being evaluated, reused from series to series.
        var stepFloats: [FPoint] = []
        var extrapolation = ExtrapolationMemo()
        // Evaluates one series at every step, moving its window forward from step to step.
        func evalSeries(_ w: WindowedSeries) throws(PromQLEvalError) {
            var floatCursor = WindowCursor(), histCursor = WindowCursor()
            if absent {
                for i in st.indices where !present[i] {
                    guard let (lo, hi) = w.window(at: i) else { continue }
                    present[i] = !floatCursor.next(w.floats, after: lo, upTo: hi).isEmpty
                        || !histCursor.next(w.histograms, after: lo, upTo: hi).isEmpty
                }
                return
            }
            var s = EvalSeries(labels: w.labels, dropName: w.dropName)
            // The state shared across series is moved into locals for the step loop: every access to a variable
            // this function captures is checked for exclusivity at run time.
            var results: [FPoint] = []
            swap(&results, &stepFloats)
            results.removeAll(keepingCapacity: true)
            var memo = extrapolation
            var seen = 0
            defer {
                samplesInWindows &+= seen
                extrapolation = memo
                swap(&results, &stepFloats)
            }
            if !keepsName { s = dropName(s) }
            let metricName = w.labels.metricName ?? ""
            var annotatedNonCounter = false
            var win = RangeWindow(floatPoints: w.floats, histogramPoints: w.histograms, rangeMillis: w.range,
                                  metricName: metricName, anchored: anchored, smoothed: smoothed,
                                  startTimestamps: w.startTimestamps)
            if plainRate && fn != .delta && w.startTimestamps == nil && w.floats.count > 2 {
                // Windows of successive steps overlap: find the series' counter resets once.
                win.counterResets = RangeWindow.counterResetIndices(w.floats)
            }
            for i in st.indices {
                guard let (lo, hi) = w.window(at: i) else { continue }
                win.floatRange = floatCursor.next(w.floats, after: lo, upTo: hi)
                win.histogramRange = w.histograms.isEmpty ? 0..<0 : histCursor.next(w.histograms, after: lo, upTo: hi)
                let nFloats = win.floatRange.count, nHists = win.histogramRange.count
                if nFloats == 0 && nHists == 0 { continue }
                seen &+= nFloats &+ nHists
                let r = i < w.refs.count ? w.refs[i] : st[i]
                win.ts = st[i]
                win.rangeStart = r - w.range
                win.rangeEnd = r
                if isRateOrIncrease && !annotatedNonCounter && nFloats > 0 && nHists == 0 && !metricName.isEmpty {
                    let counterLike = ["_total", "_sum", "_count", "_bucket"].contains { metricName.hasSuffix($0) }
                    if !counterLike {
                        ctx.annotations.info("metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \(quoteLabelValue(metricName))")
                    }
                    annotatedNonCounter = true
                }
                if plainRate && nHists == 0 {
                    // A plain float, never wrapped in a `SampleValue` (whose destruction costs at every step).
                    if let f = extrapolatedRate(win, isCounter: fn != .delta, isRate: fn == .rate, memo: &memo) {
                        results.append(FPoint(t: st[i], f: f))
                    }
                    continue
                }
                guard let v = try rangeFunction(fn, win, param0: args0?[i], param1: args1?[i], param2: args2?[i]) else { continue }
                switch v {
                case .float(let f): results.append(FPoint(t: st[i], f: f))
                case .histogram(let h): s.histograms.append(HPoint(t: st[i], h: h))
                }
            }
            // One allocation of the exact size (growing the series' own array would reallocate and copy as it
            // doubles, and keep up to twice the memory).
            if !results.isEmpty {
                s.floats = [FPoint](unsafeUninitializedCapacity: results.count) { buf, n in
                    n = buf.initialize(fromContentsOf: results)
                }
            }
            if !s.floats.isEmpty || !s.histograms.isEmpty { out.append(s) }
        }
        switch arg {
        case .matrixSelector(let ms):
            try forEachMatrixWindow(ms) { w throws(PromQLEvalError) in try evalSeries(w) }
        case .subquery(let sq):
            for w in try evalSubqueryWindows(sq) { try evalSeries(w) }
        default:
            throw PromQLEvalError("expected range vector argument for \(name)")
        }
        if absent {
            var out = EvalSeries(labels: absentLabels(c.args[matrixIndex]))
            for i in st.indices where !present[i] { out.floats.append(FPoint(t: st[i], f: 1)) }
            return .vector(out.floats.isEmpty ? [] : [out])
        }
        try ctx.addSamples(samplesInWindows)
        ctx.currentSamples &-= samplesInWindows
        return .vector(out)
    }

    /// One range function at one step; nil when it produces no sample. One case per range function: the
    /// compiler rejects a function without a body.
    func rangeFunction(_ fn: RangeFunction, _ w: RangeWindow, param0: Double?, param1: Double?, param2: Double?) throws(PromQLEvalError) -> SampleValue? {
        let f = w.floats
        let mixed = !f.isEmpty && !w.histograms.isEmpty
        let isCounter = fn != .delta, isRate = fn == .rate
        switch fn {
        case .rate, .increase, .delta:
            if mixed {
                ctx.annotations.warn("encountered a mix of histograms and floats for metric name \(quoteLabelValue(w.metricName))")
                return nil
            }
            if !w.histograms.isEmpty {
                if w.anchored || w.smoothed { return extendedHistogramRate(w, isCounter: isCounter, isRate: isRate) }
                return histogramRate(w, isCounter: isCounter, isRate: isRate)
            }
            if w.anchored || w.smoothed {
                return Self.extendedRate(Array(f), rangeStart: w.rangeStart, rangeEnd: w.rangeEnd, rangeMillis: w.rangeMillis,
                                         smoothed: w.smoothed, isCounter: isCounter, isRate: isRate).map { .float($0) }
            }
            guard let v = extrapolatedRate(w, isCounter: isCounter, isRate: isRate) else { return nil }
            return .float(v)
        case .irate, .idelta:
            return instantValue(w, isRate: fn == .irate)
        case .deriv, .predictLinear:
            if mixed { ctx.annotations.info("ignored histograms in a range containing both floats and histograms for metric name \(quoteLabelValue(w.metricName))") }
            guard f.count >= 2 else { return nil }
            if fn == .deriv {
                let (slope, _) = linearRegression(f, interceptTime: f[f.startIndex].t)
                return .float(slope)
            }
            let (slope, intercept) = linearRegression(f, interceptTime: w.ts)
            return .float(slope * (param1 ?? 0) + intercept)
        case .changes, .resets:
            // One timeline of floats and histograms; anchored windows start at the last sample at or before the
            // window start.
            var timeline: [(t: Int64, f: Double, h: FloatHistogram?)] = f.map { ($0.t, $0.f, nil) }
            timeline += w.histograms.map { ($0.t, 0, $0.h) }
            timeline.sort { $0.t < $1.t }
            guard let lastSample = timeline.last else { return nil }
            var start = 0
            if w.anchored {
                guard lastSample.t > w.rangeStart else { return nil }
                start = max(0, Self.search(timeline.count - 1) { timeline[$0].t > w.rangeStart } - 1)
            }
            return .float(changesOrResets(fn == .changes, Array(timeline[start...]), w))
        case .countOverTime:
            return .float(Double(f.count + w.histograms.count))
        case .presentOverTime:
            return .float(1)
        case .absentOverTime:
            // `evalRangeFunction` decides absence per step itself and never asks for a window's value.
            return nil
        case .lastOverTime:
            let lf = f.last, lh = w.histograms.last
            if let lh, lf == nil || lh.t > (lf?.t ?? Int64.min) { return .histogram(lh.h) }
            return lf.map { .float($0.f) }
        case .firstOverTime:
            let ff = f.first, fh = w.histograms.first
            if let fh, ff == nil || fh.t < (ff?.t ?? Int64.max) { return .histogram(fh.h) }
            return ff.map { .float($0.f) }
        case .tsOfLastOverTime:
            let t = Swift.max(f.last?.t ?? Int64.min, w.histograms.last?.t ?? Int64.min)
            return .float(Double(t) / 1000)
        case .tsOfFirstOverTime:
            let t = Swift.min(f.first?.t ?? Int64.max, w.histograms.first?.t ?? Int64.max)
            return .float(Double(t) / 1000)
        case .sumOverTime, .avgOverTime:
            if !w.histograms.isEmpty {
                if f.isEmpty { return histogramSumAvg(Array(w.histograms), mean: fn == .avgOverTime, metricName: w.metricName) }
                ctx.annotations.warn("encountered a mix of histograms and floats for metric name \(quoteLabelValue(w.metricName))")
                return nil
            }
            guard !f.isEmpty else { return nil }
            if fn == .avgOverTime {
                var m = RunningMean()
                for p in f { m.add(p.f) }
                return .float(m.overTimeValue)
            }
            var sum = 0.0, c = 0.0
            for p in f { (sum, c) = kahanSumInc(p.f, sum, c) }
            return .float(sum + c)
        case .minOverTime, .maxOverTime, .tsOfMinOverTime, .tsOfMaxOverTime, .stddevOverTime, .stdvarOverTime,
             .quantileOverTime, .madOverTime, .doubleExponentialSmoothing:
            // These work on floats only and ignore histograms.
            if !w.histograms.isEmpty {
                if f.isEmpty { return nil }
                ctx.annotations.info("ignored histograms in a range containing both floats and histograms for metric name \(quoteLabelValue(w.metricName))")
            }
            guard !f.isEmpty else { return nil }
            return try floatRangeFunction(fn, f, param0: param0, param1: param1, param2: param2)
        }
    }

    /// The range functions over float samples only (`f` is not empty); nil for the functions handled in
    /// `rangeFunction` itself.
    private func floatRangeFunction(_ fn: RangeFunction, _ f: ArraySlice<FPoint>, param0: Double?, param1: Double?, param2: Double?) throws(PromQLEvalError) -> SampleValue? {
        switch fn {
        case .minOverTime:
            var m = f[f.startIndex].f
            for p in f where p.f < m || m.isNaN { m = p.f }
            return .float(m)
        case .maxOverTime:
            var m = f[f.startIndex].f
            for p in f where p.f > m || m.isNaN { m = p.f }
            return .float(m)
        case .tsOfMinOverTime, .tsOfMaxOverTime:
            var m = f[f.startIndex].f
            var t = f[f.startIndex].t
            for p in f {
                let better = fn == .tsOfMaxOverTime ? (p.f >= m || m.isNaN) : (p.f <= m || m.isNaN)
                if better && !p.f.isNaN || (m.isNaN && p.f.isNaN) {
                    m = p.f
                    t = p.t
                }
            }
            return .float(Double(t) / 1000)
        case .stddevOverTime, .stdvarOverTime:
            var count = 0.0, mean = 0.0, cMean = 0.0, aux = 0.0, cAux = 0.0
            for p in f {
                count += 1
                let delta = p.f - (mean + cMean)
                (mean, cMean) = kahanSumInc(delta / count, mean, cMean)
                (aux, cAux) = kahanSumInc(delta * (p.f - (mean + cMean)), aux, cAux)
            }
            let variance = (aux + cAux) / count
            return .float(fn == .stddevOverTime ? variance.squareRoot() : variance)
        case .quantileOverTime:
            let q = param0 ?? .nan
            if q.isNaN || q < 0 || q > 1 {
                ctx.annotations.warn("quantile value should be between 0 and 1, got \(GoFloat.formatV(q))")
            }
            return .float(quantileOf(q, f.map(\.f)))
        case .madOverTime:
            let values = f.map(\.f)
            if values.contains(where: \.isNaN) { return .float(.nan) }
            let median = quantileOf(0.5, values)
            return .float(quantileOf(0.5, values.map { abs($0 - median) }))
        case .doubleExponentialSmoothing:
            let sf = param1 ?? .nan, tf = param2 ?? .nan
            if !(sf > 0 && sf < 1) {
                throw PromQLEvalError("invalid smoothing factor. Expected: 0 < sf < 1, got: \(goFormatFixed6(sf))")
            }
            if !(tf > 0 && tf < 1) {
                throw PromQLEvalError("invalid trend factor. Expected: 0 < tf < 1, got: \(goFormatFixed6(tf))")
            }
            guard f.count >= 2 else { return nil }
            let f = Array(f)
            var s0 = 0.0, s1 = f[0].f, b = f[1].f - f[0].f
            for i in 1..<f.count {
                let x = sf * f[i].f
                if i > 1 { b = tf * (s1 - s0) + (1 - tf) * b }
                let y = (1 - sf) * (s1 + b)
                s0 = s1
                s1 = x + y
            }
            return .float(s1)
        case .rate, .increase, .delta, .irate, .idelta, .deriv, .predictLinear, .changes, .resets, .countOverTime,
             .presentOverTime, .absentOverTime, .lastOverTime, .firstOverTime, .tsOfLastOverTime, .tsOfFirstOverTime,
             .sumOverTime, .avgOverTime:
            return nil
        }
    }

    /// Prometheus's `instantValue` (irate/idelta): the last two samples of the window.
    func instantValue(_ w: RangeWindow, isRate: Bool) -> SampleValue? {
        guard w.floats.count + w.histograms.count >= 2 else { return nil }
        if w.histogramRange.isEmpty {
            // Floats only (the common case): the last two points, read in place.
            let r = w.floatRange
            return instantFloatValue(w.floatPoints[r.upperBound - 2], w.floatPoints[r.upperBound - 1], w, isRate: isRate)
        }
        var ss: [(t: Int64, f: Double, h: FloatHistogram?)] = w.floats.suffix(2).map { ($0.t, $0.f, nil) }
        for p in w.histograms.suffix(2) {
            let s: (t: Int64, f: Double, h: FloatHistogram?) = (p.t, 0, p.h)
            if ss.count < 2 {
                if let first = ss.first, s.t < first.t { ss.insert(s, at: 0) } else { ss.append(s) }
            } else if s.t < ss[0].t {
                continue
            } else if s.t > ss[1].t {
                ss[0] = ss[1]
                ss[1] = s
            } else {
                ss[0] = s
            }
        }
        guard ss.count == 2 else { return nil }
        let interval = ss[1].t - ss[0].t
        if interval == 0 { return nil }
        let seconds = Double(interval) / 1000
        switch (ss[0].h, ss[1].h) {
        case (nil, nil):
            return instantFloatValue(FPoint(t: ss[0].t, f: ss[0].f), FPoint(t: ss[1].t, f: ss[1].f), w, isRate: isRate)
        case let (h0?, h1?):
            if isRate && (h1.counterResetHint == .gauge || h0.counterResetHint == .gauge) {
                ctx.annotations.warn("this native histogram metric is not a counter: \(quoteLabelValue(w.metricName))")
            }
            if !isRate && (h1.counterResetHint != .gauge || h0.counterResetHint != .gauge) {
                ctx.annotations.warn("this native histogram metric is not a gauge: \(quoteLabelValue(w.metricName))")
            }
            var result = h1
            if !isRate || !(w.startTimestampReset(ss[0].t, ss[1].t) || h1.detectReset(previous: h0)) {
                do {
                    let reconciled = try result.subReporting(h0)
                    if reconciled { ctx.annotations.info("mismatched custom buckets were reconciled during subtraction") }
                } catch {
                    if error == .incompatibleSchema {
                        ctx.annotations.warn("vector contains a mix of histograms with exponential and custom buckets schemas for metric name \(quoteLabelValue(w.metricName))")
                        return nil
                    }
                }
            }
            result.counterResetHint = .gauge
            result.compact()
            if isRate { result.div(seconds) }
            return .histogram(result)
        default:
            ctx.annotations.warn("encountered a mix of histograms and floats for metric name \(quoteLabelValue(w.metricName))")
            return nil
        }
    }

    /// irate/idelta of two float points: the difference (for irate, the last value after a counter reset), per
    /// second for irate; nil when both are at the same time.
    func instantFloatValue(_ p0: FPoint, _ p1: FPoint, _ w: RangeWindow, isRate: Bool) -> SampleValue? {
        let interval = p1.t - p0.t
        if interval == 0 { return nil }
        var result = p1.f
        if !isRate || !(p1.f < p0.f || w.startTimestampReset(p0.t, p1.t)) { result = p1.f - p0.f }
        return .float(isRate ? result / (Double(interval) / 1000) : result)
    }

    /// How the first sample's start timestamp shapes a counter's window: a start inside the window before the
    /// sample stands for a zero-valued sample at that time.
    enum FirstSampleStart {
        case none
        case zeroAt(Int64)
    }

    func firstSampleStart(_ w: RangeWindow, firstT: Int64, isCounter: Bool) -> FirstSampleStart {
        guard isCounter, w.startTimestamps != nil else { return .none }
        let s = w.st(firstT)
        if s == 0 { return .none }
        if s > w.rangeStart && s < firstT { return .zeroAt(s) }
        return .none
    }

    /// The extrapolation factor of `extrapolatedRate` (`startValue` is the first sample's value or count); `memo`
    /// keeps the part that depends only on the samples' times for the next window.
    func extrapolationFactor(_ w: RangeWindow, firstT: Int64, lastT: Int64, count: Int, startValue: Double,
                             result: Double, isCounter: Bool, isRate: Bool, start: FirstSampleStart,
                             memo: inout ExtrapolationMemo) -> Double {
        if case .zeroAt(let s) = start {
            // No extrapolation to the left: the series is known to start from zero at `s`.
            let sampledInterval = Double(lastT - s) / 1000
            var durationToEnd = Double(w.rangeEnd - lastT) / 1000
            if count >= 2 {
                let averageBetween = Double(lastT - firstT) / 1000 / Double(count - 1)
                if durationToEnd >= averageBetween * 1.1 { durationToEnd = averageBetween / 2 }
            } else {
                durationToEnd = 0
            }
            var factor = (sampledInterval + durationToEnd) / sampledInterval
            if isRate { factor /= GoTime.durationSeconds(millis: w.rangeMillis) }
            return factor
        }
        let m = memo.value(for: .init(gapStart: firstT - w.rangeStart, gapEnd: w.rangeEnd - lastT, sampled: lastT - firstT,
                                      count: count, perSecondOf: isRate ? w.rangeMillis : nil))
        // A counter is not extrapolated below zero: the start moves to where the line through the samples hits it.
        if isCounter && result > 0 && startValue >= 0 {
            let durationToZero = m.sampledInterval * (startValue / result)
            if durationToZero < m.durationToStart {
                var factor = (m.sampledInterval + durationToZero + m.durationToEnd) / m.sampledInterval
                if isRate { factor /= GoTime.durationSeconds(millis: w.rangeMillis) }
                return factor
            }
        }
        return m.factor
    }

    /// Prometheus's `extrapolatedRate` for float samples.
    func extrapolatedRate(_ w: RangeWindow, isCounter: Bool, isRate: Bool) -> Double? {
        var memo = ExtrapolationMemo()
        return extrapolatedRate(w, isCounter: isCounter, isRate: isRate, memo: &memo)
    }

    /// `extrapolatedRate` reusing the extrapolation of an earlier window with the same sample times (`memo`).
    func extrapolatedRate(_ w: RangeWindow, isCounter: Bool, isRate: Bool, memo: inout ExtrapolationMemo) -> Double? {
        let r = w.floatRange
        guard !r.isEmpty else { return nil }
        let first = w.floatPoints[r.lowerBound], last = w.floatPoints[r.upperBound - 1]
        let start = firstSampleStart(w, firstT: first.t, isCounter: isCounter)
        var zeroStart = false
        if case .zeroAt = start { zeroStart = true }
        guard r.count >= 2 || zeroStart else { return nil }
        // 3.14's order: the increase from the first sample, resets added, then (series known to start from
        // zero inside the window) the first sample's value; `last.f` alone can differ in the last bit.
        var result = last.f - first.f
        if isCounter {
            var prev = first
            if w.startTimestamps == nil {
                // The heart of every rate() query. Resets are rare: whether the window holds any is asked first
                // (from the series' reset list, or by a scan), before the ordered accumulation, which must keep
                // Prometheus's summation order to give the same bits.
                if w.windowHasCounterReset() {
                    for i in (r.lowerBound + 1)..<r.upperBound {
                        let p = w.floatPoints[i]
                        if p.f < prev.f { result += prev.f }
                        prev = p
                    }
                }
            } else {
                var overlap = false
                for p in w.floats.dropFirst() {
                    if p.f < prev.f || w.startTimestampReset(prev.t, p.t) { result += prev.f }
                    if w.startTimestampOverlaps(prev.t, p.t) { overlap = true }
                    prev = p
                }
                if overlap {
                    ctx.annotations.warn("sample has start time that overlaps with previous sample timestamp for metric \(quoteLabelValue(w.metricName))")
                }
            }
        }
        if zeroStart { result += first.f }
        return result * extrapolationFactor(w, firstT: first.t, lastT: last.t, count: r.count, startValue: first.f,
                                            result: result, isCounter: isCounter, isRate: isRate, start: start, memo: &memo)
    }

    func histogramRate(_ w: RangeWindow, isCounter: Bool, isRate: Bool) -> SampleValue? {
        let hs = Array(w.histograms)
        guard let first = hs.first, let last = hs.last else { return nil }
        let start = firstSampleStart(w, firstT: first.t, isCounter: isCounter)
        var zeroStart = false
        if case .zeroAt = start { zeroStart = true }
        guard hs.count >= 2 || zeroStart else { return nil }
        let metric = quoteLabelValue(w.metricName)
        func mixedSchemas() -> SampleValue? {
            ctx.annotations.warn("vector contains a mix of histograms with exponential and custom buckets schemas for metric name \(metric)")
            return nil
        }
        func reset(_ prev: HPoint, _ cur: HPoint) -> Bool {
            w.startTimestampReset(prev.t, cur.t) || cur.h.detectReset(previous: prev.h)
        }
        var prev = first.h
        var usingCustom = prev.usesCustomBuckets
        if isCounter && (prev.counterResetHint == .gauge || last.h.counterResetHint == .gauge) {
            ctx.annotations.warn("this native histogram metric is not a counter: \(metric)")
        }
        // A zero start, or a reset between the first two samples, makes the first sample's value irrelevant
        // (including its layout).
        var firstNulled = false
        if zeroStart {
            var empty = FloatHistogram(schema: first.h.schema)
            empty.customValues = first.h.customValues
            prev = empty
        } else if isCounter, reset(first, hs[1]) {
            var empty = FloatHistogram(schema: hs[1].h.schema)
            empty.customValues = hs[1].h.customValues
            prev = empty
            usingCustom = hs[1].h.usesCustomBuckets
            firstNulled = true
        }
        if last.h.usesCustomBuckets != usingCustom { return mixedSchemas() }
        var minSchema = min(last.h.schema, prev.schema)
        for p in hs.dropFirst().dropLast() where isCounter {
            if p.h.counterResetHint == .gauge { ctx.annotations.warn("this native histogram metric is not a counter: \(metric)") }
            minSchema = min(minSchema, p.h.schema)
            if p.h.usesCustomBuckets != usingCustom { return mixedSchemas() }
        }
        var result = last.h.reducedResolution(to: minSchema)
        do {
            if try result.subReporting(prev) { ctx.annotations.info("mismatched custom buckets were reconciled during subtraction") }
        } catch {
            return mixedSchemas()
        }
        if isCounter {
            var p0 = firstNulled ? HPoint(t: first.t, h: prev) : first
            for p in hs.dropFirst() {
                if reset(p0, p) {
                    do {
                        if try result.add(p0.h, reconcileCustomBounds: true).customBoundsReconciled {
                            ctx.annotations.info("mismatched custom buckets were reconciled during addition")
                        }
                    } catch {
                        return mixedSchemas()
                    }
                }
                p0 = p
            }
        } else if first.h.counterResetHint != .gauge || last.h.counterResetHint != .gauge {
            ctx.annotations.warn("this native histogram metric is not a gauge: \(metric)")
        }
        var memo = ExtrapolationMemo()
        let factor = extrapolationFactor(w, firstT: first.t, lastT: last.t, count: hs.count, startValue: first.h.count,
                                         result: result.count, isCounter: isCounter, isRate: isRate, start: start, memo: &memo)
        result = result.multiplied(by: factor)
        result.counterResetHint = .gauge
        return .histogram(result.compacted())
    }

    /// Prometheus's `changes`/`resets` over float and histogram samples in time order.
    func changesOrResets(_ changes: Bool, _ timeline: [(t: Int64, f: Double, h: FloatHistogram?)], _ w: RangeWindow) -> Double {
        var n = 0.0
        for i in timeline.indices.dropFirst() {
            let prev = timeline[i - 1], cur = timeline[i]
            if !changes && w.startTimestampReset(prev.t, cur.t) {
                n += 1
                continue
            }
            switch (prev.h, cur.h) {
            case (nil, nil):
                if changes {
                    if cur.f != prev.f && !(cur.f.isNaN && prev.f.isNaN) { n += 1 }
                } else if cur.f < prev.f {
                    n += 1
                }
            case let (p?, c?):
                if changes {
                    if !(c == p) { n += 1 }
                } else if c.detectReset(previous: p) {
                    n += 1
                }
            default:
                n += 1
            }
        }
        return n
    }

    func histogramSumAvg(_ hs: [HPoint], mean: Bool, metricName: String = "") -> SampleValue? {
        do {
            guard let (value, acc) = try histogramSumOrMean(hs.map(\.h), mean: mean) else { return nil }
            reportHistogramAggregation(acc)
            return .histogram(value.compacted())
        } catch {
            ctx.annotations.warn("vector contains a mix of histograms with exponential and custom buckets schemas for metric name \(quoteLabelValue(metricName))")
            return nil
        }
    }

    /// Annotations of a histogram sum: conflicting counter-reset hints and reconciled custom bounds.
    func reportHistogramAggregation(_ acc: HistogramKahanSum) {
        if acc.counterResetSeen && acc.notCounterResetSeen {
            ctx.annotations.warn("conflicting counter resets during histogram aggregation")
        }
        if acc.customBoundsReconciled {
            ctx.annotations.info("mismatched custom buckets were reconciled during aggregation")
        }
    }
}

/// Prometheus's running mean: a Kahan-compensated sum that switches to an incremental mean once the sum
/// overflows, so huge values still average to a finite number.
struct RunningMean {
    private(set) var count = 0.0
    private var sum = 0.0
    private var mean = 0.0
    private var c = 0.0
    private var incremental = false

    mutating func add(_ v: Double) {
        count += 1
        if !incremental {
            let (ns, nc) = kahanSumInc(v, sum, c)
            if !ns.isInfinite || count == 1 {
                sum = ns
                c = nc
                return
            }
            incremental = true
            mean = sum / (count - 1)
            c /= count - 1
        }
        let q = (count - 1) / count
        (mean, c) = kahanSumInc(v / count, q * mean, q * c)
    }

    /// The mean as `avg_over_time` rounds it.
    var overTimeValue: Double { incremental ? mean + c : sum / count + c / count }
    /// The mean as the `avg` aggregation rounds it.
    var aggregationValue: Double { incremental ? mean + c : (sum + c) / count }
}

/// Least-squares fit of `f` over `(t - interceptTime)` seconds, as Prometheus computes it.
func linearRegression(_ samples: ArraySlice<FPoint>, interceptTime: Int64) -> (slope: Double, intercept: Double) {
    var n = 0.0, sumX = 0.0, cX = 0.0, sumY = 0.0, cY = 0.0, sumXY = 0.0, cXY = 0.0, sumX2 = 0.0, cX2 = 0.0
    let initY = samples.first?.f ?? 0
    var constY = true
    for (i, s) in samples.enumerated() {
        if constY && i > 0 && s.f != initY { constY = false }
        n += 1
        let x = Double(s.t - interceptTime) / 1000
        (sumX, cX) = kahanSumInc(x, sumX, cX)
        (sumY, cY) = kahanSumInc(s.f, sumY, cY)
        (sumXY, cXY) = kahanSumInc(x * s.f, sumXY, cXY)
        (sumX2, cX2) = kahanSumInc(x * x, sumX2, cX2)
    }
    if constY {
        if initY.isInfinite { return (.nan, .nan) }
        return (0, initY)
    }
    sumX += cX
    sumY += cY
    sumXY += cXY
    sumX2 += cX2
    let covXY = sumXY - sumX * sumY / n
    let varX = sumX2 - sumX * sumX / n
    let slope = covXY / varX
    return (slope, sumY / n - slope * sumX / n)
}

/// Go's `%f` (six decimals).
func goFormatFixed6(_ v: Double) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
    let scaled = (abs(v) * 1_000_000).rounded()
    guard scaled < 9e18 else { return "\(v)" }
    let i = UInt64(scaled)
    let intPart = i / 1_000_000, frac = i % 1_000_000
    var fs = String(frac)
    while fs.count < 6 { fs = "0" + fs }
    return (v < 0 ? "-" : "") + "\(intPart).\(fs)"
}
