#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A step-aligned value: what a node evaluates to over all steps of the query.
enum EvalValue {
    /// One value per step.
    case scalar([Double])
    case string(String)
    /// Instant-vector–typed node: series whose points sit on the query's steps.
    case vector([EvalSeries])
    /// Range-vector–typed node (instant queries only): raw points.
    case range([EvalSeries])
}

/// Evaluates one expression over `[start, end]` with `interval` between steps (0 for a single step).
struct Evaluator {
    let ctx: EvalContext
    let start: Int64
    let end: Int64
    let interval: Int64

    /// The evaluation timestamps, computed once.
    let steps: [Int64]

    init(ctx: EvalContext, start: Int64, end: Int64, interval: Int64) {
        self.ctx = ctx
        self.start = start
        self.end = end
        self.interval = interval
        if interval <= 0 || end <= start {
            steps = [start]
        } else {
            var out: [Int64] = []
            out.reserveCapacity(Int((end - start) / interval) + 1)
            var t = start
            while t <= end {
                out.append(t)
                let (next, overflow) = t.addingReportingOverflow(interval)
                if overflow { break }
                t = next
            }
            steps = out
        }
    }

    var options: EngineOptions { ctx.options }

    func stepIndex(_ t: Int64) -> Int? {
        if interval <= 0 { return t == start ? 0 : nil }
        let d = t - start
        guard d >= 0, d % interval == 0 else { return nil }
        return Int(d / interval)
    }

    // MARK: - Top level

    func evaluateTopLevel(_ expr: Expr, instant: Bool) throws(PromQLEvalError) -> QueryValue {
        let v = try eval(expr)
        switch v {
        case .string(let s):
            return .string(t: start, v: s)
        case .scalar(let vals):
            if instant { return .scalar(t: start, v: vals.first ?? .nan) }
            let pts = zip(steps, vals).map { FPoint(t: $0, f: $1) }
            return .matrix([EvalSeries(labels: Labels(), floats: pts)])
        case .range(var m):
            m = try finishNames(m)
            return .matrix(m.sorted { $0.labels < $1.labels })
        case .vector(var m):
            m = try finishNames(m)
            if instant {
                var out: [VectorSample] = []
                for s in m {
                    if let p = s.floats.first { out.append(VectorSample(labels: s.labels, t: p.t, f: p.f)) }
                    else if let h = s.histograms.first { out.append(VectorSample(labels: s.labels, t: h.t, f: 0, h: h.h)) }
                }
                return .vector(out)
            }
            return .matrix(m.filter { !$0.floats.isEmpty || !$0.histograms.isEmpty }.sorted { $0.labels < $1.labels })
        }
    }

    /// Applies delayed `__name__` removal and rejects results that then collide.
    func finishNames(_ m: [EvalSeries]) throws(PromQLEvalError) -> [EvalSeries] {
        var collector = SeriesCollector()
        for var s in m {
            if s.dropName {
                s.labels = s.labels.removing(metadataLabelNames)
                s.dropName = false
            }
            collector.add(s)
        }
        return try collector.finish()
    }

    // MARK: - Dispatch

    func eval(_ expr: Expr) throws(PromQLEvalError) -> EvalValue {
        let before = ctx.currentSamples
        let result = try evalNode(expr)
        ctx.currentSamples = before
        switch result {
        case .vector(let m), .range(let m):
            try ctx.addSamples(m.reduce(0) { $0 &+ $1.floats.count &+ $1.histograms.count })
        case .scalar(let v):
            try ctx.addSamples(v.count)
        case .string:
            break
        }
        return result
    }

    private func evalNode(_ expr: Expr) throws(PromQLEvalError) -> EvalValue {
        switch expr {
        case .numberLiteral(let n):
            return .scalar(Array(repeating: n.value, count: steps.count))
        case .stringLiteral(let s):
            return .string(s.value)
        case .paren(let p):
            return try eval(p.expr)
        case .unary(let u):
            let v = try eval(u.expr)
            guard u.op == .sub else { return v }
            switch v {
            case .scalar(let vals): return .scalar(vals.map { -$0 })
            case .vector(let m):
                return .vector(m.map { s in
                    var s = s
                    s.floats = s.floats.map { FPoint(t: $0.t, f: -$0.f) }
                    s.histograms = s.histograms.map { HPoint(t: $0.t, h: $0.h.multiplied(by: -1)) }
                    return dropName(s)
                })
            default:
                return v
            }
        case .vectorSelector(let vs):
            if vs.smoothed { return .vector(try smoothedVectorSelector(vs)) }
            return .vector(try evalVectorSelector(vs, keepSampleTimes: false))
        case .matrixSelector(let ms):
            guard let vs = ms.selector else { throw PromQLEvalError("unsupported range selector") }
            let range = try rangeMillis(ms.rangeMillis, ms.rangeExpr)
            if vs.anchored || vs.smoothed { return .range(try extendedRangeSelector(vs, rangeMillis: range)) }
            return .range(try loadRange(vs, rangeMillis: range, at: start))
        case .subquery(let sq):
            let windows = try evalSubqueryWindows(sq)
            return .range(windows.map { w in
                EvalSeries(labels: w.labels, floats: w.windowFloats(at: 0), histograms: w.windowHistograms(at: 0), dropName: w.dropName)
            }.filter { !$0.floats.isEmpty || !$0.histograms.isEmpty })
        case .binary(let b):
            return try evalBinary(b)
        case .aggregate(let a):
            return try evalAggregate(a)
        case .call(let c):
            return try evalCall(c)
        }
    }

    /// Marks (delayed mode) or performs the removal of `__name__`.
    func dropName(_ s: EvalSeries) -> EvalSeries {
        var s = s
        if options.delayedNameRemoval {
            s.dropName = true
        } else {
            s.labels = s.labels.removing(metadataLabelNames)
        }
        return s
    }

    func dropName(_ l: Labels) -> Labels { options.delayedNameRemoval ? l : l.removing(metadataLabelNames) }

    // MARK: - Time modifiers

    /// The evaluation time a selector with these modifiers uses at step `ts` (before the offset).
    func atTime(_ m: TimeModifiers, _ ts: Int64) -> Int64 {
        if let t = m.timestampMillis { return clampTime(t) }
        switch m.startOrEnd {
        case .start?: return ctx.queryStart
        case .end?: return ctx.queryEnd
        case nil: return clampTime(ts)
        }
    }

    func offsetMillis(_ m: TimeModifiers) throws(PromQLEvalError) -> Int64 {
        if let e = m.offsetExpr { return clampSpan(try durationExprMillis(e)) }
        return clampSpan(m.offsetMillis)
    }

    func rangeMillis(_ fixed: Int64, _ expr: DurationExpr?) throws(PromQLEvalError) -> Int64 {
        if let expr { return clampSpan(try durationExprMillis(expr)) }
        return clampSpan(fixed)
    }

    /// The lookback delta, kept in the range where time arithmetic cannot overflow.
    var lookbackMillis: Int64 { clampSpan(max(0, options.lookbackDeltaMillis)) }

    /// Evaluates a duration expression (experimental) to milliseconds.
    func durationExprMillis(_ e: DurationExpr) throws(PromQLEvalError) -> Int64 {
        let seconds = try durationExprSeconds(e)
        guard seconds.isFinite, abs(seconds) < 9e15 else { throw PromQLEvalError("duration out of range") }
        return Int64((seconds * 1000).rounded())
    }

    func durationExprSeconds(_ e: DurationExpr) throws(PromQLEvalError) -> Double {
        switch e {
        case .literal(let n): return n.value
        case .paren(let inner, _): return try durationExprSeconds(inner)
        case .unary(let op, let inner, _):
            let v = try durationExprSeconds(inner)
            return op == .sub ? -v : v
        case .step: return Double(interval) / 1000
        case .range: return Double(ctx.queryEnd - ctx.queryStart) / 1000
        case .minOf(let a, let b, _): return Swift.min(try durationExprSeconds(a), try durationExprSeconds(b))
        case .maxOf(let a, let b, _): return Swift.max(try durationExprSeconds(a), try durationExprSeconds(b))
        case .binary(let op, let a, let b):
            let x = try durationExprSeconds(a), y = try durationExprSeconds(b)
            switch op {
            case .add: return x + y
            case .sub: return x - y
            case .mul: return x * y
            case .div:
                guard y != 0 else { throw PromQLEvalError("division by zero") }
                return x / y
            case .mod:
                guard y != 0 else { throw PromQLEvalError("modulo by zero") }
                return x.truncatingRemainder(dividingBy: y)
            case .pow: return pow(x, y)
            default: throw PromQLEvalError("unsupported operator in duration expression")
            }
        }
    }

    // MARK: - Selectors

    /// A selected series with all samples in the window the query needs, sorted by time.
    struct LoadedSeries {
        var labels: Labels
        var times: [Int64] = []
        /// Float values (0 at histogram samples).
        var values: [Double] = []
        /// Per sample, its histogram or nil; empty while the series has no histogram samples (the common case).
        private(set) var histograms: [FloatHistogram?] = []

        init(labels: Labels) { self.labels = labels }

        /// The histogram of sample `i`, or nil for a float sample.
        func histogram(at i: Int) -> FloatHistogram? { i < histograms.count ? histograms[i] : nil }

        /// Whether sample `i` is a staleness marker: a float stale NaN, or a histogram whose sum is one (how
        /// Prometheus 2.x appends the marker of a native histogram series; its engine skips both).
        func isStale(at i: Int) -> Bool { histogram(at: i).map { isStaleNaN($0.sum) } ?? isStaleNaN(values[i]) }

        mutating func append(t: Int64, float v: Double) {
            times.append(t)
            values.append(v)
            if !histograms.isEmpty { histograms.append(nil) }
        }

        mutating func append(t: Int64, histogram h: FloatHistogram) {
            if histograms.isEmpty { histograms = Array(repeating: nil, count: times.count) }
            times.append(t)
            values.append(0)
            histograms.append(h)
        }

        mutating func replaceHistogram(at i: Int, with h: FloatHistogram) {
            if i < histograms.count { histograms[i] = h }
        }

        /// Empties the series for reuse, keeping its buffers.
        mutating func reset(labels: Labels) {
            self.labels = labels
            times.removeAll(keepingCapacity: true)
            values.removeAll(keepingCapacity: true)
            histograms.removeAll(keepingCapacity: true)
        }
    }

    /// Calls `body` with each series the selector picks, holding its samples in `[mint, maxt]`. The series value is
    /// reused between calls, so only one series' samples are in memory at a time.
    func forEachLoaded<E: Error>(_ vs: VectorSelector, mint: Int64, maxt: Int64,
                                 _ body: (LoadedSeries) throws(E) -> Void) throws(E) {
        let stats = ctx.statsSelectors.contains(vs.position)
        var ls = LoadedSeries(labels: Labels())
        for s in ctx.source.select(vs.matchers, mint: mint, maxt: maxt) {
            ls.reset(labels: s.labels)
            if mint <= maxt {
                s.forEachSample(in: mint...maxt) { ls.append(t: $0, float: $1) } histogram: { ls.append(t: $0, histogram: $1) }
            }
            if stats { Self.deriveResetHints(&ls) }
            try body(ls)
        }
    }

    func load(_ vs: VectorSelector, mint: Int64, maxt: Int64) -> [LoadedSeries] {
        var out: [LoadedSeries] = []
        forEachLoaded(vs, mint: mint, maxt: maxt) { out.append($0) }
        return out
    }

    /// Sets unknown counter-reset hints from the previous histogram sample (Prometheus's stats iterator).
    static func deriveResetHints(_ ls: inout LoadedSeries) {
        var prev: FloatHistogram? = nil
        for i in ls.histograms.indices {
            guard var h = ls.histogram(at: i) else {
                prev = nil
                continue
            }
            if h.counterResetHint == .unknown, let p = prev {
                h.counterResetHint = h.detectReset(previous: p) ? .counterReset : .notCounterReset
                ls.replaceHistogram(at: i, with: h)
            }
            prev = h
        }
    }

    /// Selectors under histogram_count/sum/avg with no subquery, histogram_quantile or histogram_fraction above.
    static func histogramStatsSelectors(_ root: Expr) -> Set<PositionRange> {
        var out: Set<PositionRange> = []
        func walk(_ e: Expr, _ stats: Bool, _ depth: Int) {
            guard depth < 10_000 else { return }
            switch e {
            case .vectorSelector(let vs):
                if stats { out.insert(vs.position) }
            case .matrixSelector(let ms):
                if stats, let vs = ms.selector { out.insert(vs.position) }
            case .subquery:
                return
            case .call(let c):
                switch c.function.id {
                case .instant(.histogramQuantile)?, .instant(.histogramQuantiles)?, .instant(.histogramFraction)?:
                    return
                case .instant(.histogramCount)?, .instant(.histogramSum)?, .instant(.histogramAvg)?:
                    for a in c.args { walk(a, true, depth + 1) }
                default:
                    for a in c.args { walk(a, stats, depth + 1) }
                }
            default:
                for child in e.children { walk(child, stats, depth + 1) }
            }
        }
        walk(root, false, 0)
        return out
    }

    /// Index of the last sample at or before `t`, or nil.
    static func lastIndex(atOrBefore t: Int64, in times: [Int64]) -> Int? {
        var lo = 0, hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 ? lo - 1 : nil
    }

    func evalVectorSelector(_ vs: VectorSelector, keepSampleTimes: Bool) throws(PromQLEvalError) -> [EvalSeries] {
        let offset = try offsetMillis(vs.modifiers)
        let st = steps
        let refs = st.map { atTime(vs.modifiers, $0) - offset }
        guard let minRef = refs.min(), let maxRef = refs.max() else { return [] }
        let lookback = lookbackMillis
        var out: [EvalSeries] = []
        var held = 0
        if st.count == 1 && lookback > 0 && !ctx.statsSelectors.contains(vs.position) {
            // One step (instant queries, rule evaluation): only each series' last sample in the lookback window
            // matters, so nothing else is decoded or copied.
            let ref = refs[0], window = (ref - lookback + 1)...ref
            for s in ctx.source.select(vs.matchers, mint: window.lowerBound, maxt: ref) {
                guard let p = s.lastSample(in: window) else { continue }
                var e = EvalSeries(labels: s.labels)
                let t = keepSampleTimes ? p.t : st[0]
                switch p.value {
                case .histogram(let h):
                    if isStaleNaN(h.sum) { continue }
                    e.histograms.append(HPoint(t: t, h: h))
                case .float(let v):
                    if isStaleNaN(v) { continue }
                    e.floats.append(FPoint(t: t, f: v))
                }
                held &+= 1
                if ctx.currentSamples &+ held > options.maxSamples {
                    throw PromQLEvalError("query processing would load too many samples into memory in query execution")
                }
                out.append(e)
            }
            return out
        }
        try forEachLoaded(vs, mint: minRef - lookback + 1, maxt: maxRef) { ls throws(PromQLEvalError) in
            var s = EvalSeries(labels: ls.labels)
            // Steps move forward, so the sample each one picks is found by walking on from the previous one.
            var next = 0  // first sample after the previous step's reference time
            for (i, ts) in st.enumerated() {
                let ref = refs[i]
                if next > 0 && ls.times[next - 1] > ref { next = 0 }
                while next < ls.times.count && ls.times[next] <= ref { next += 1 }
                let idx = next - 1
                guard idx >= 0, ls.times[idx] > ref - lookback else { continue }
                let t = keepSampleTimes ? ls.times[idx] : ts
                if let h = ls.histogram(at: idx) {
                    if isStaleNaN(h.sum) { continue }
                    s.histograms.append(HPoint(t: t, h: h))
                } else {
                    let v = ls.values[idx]
                    if isStaleNaN(v) { continue }
                    s.floats.append(FPoint(t: t, f: v))
                }
            }
            held &+= s.floats.count &+ s.histograms.count
            if ctx.currentSamples &+ held > options.maxSamples {
                throw PromQLEvalError("query processing would load too many samples into memory in query execution")
            }
            if !s.floats.isEmpty || !s.histograms.isEmpty { out.append(s) }
        }
        return out
    }

    /// Raw points of a range selector evaluated at time `ts`: `(ref - range, ref]`, stale markers dropped.
    func loadRange(_ vs: VectorSelector, rangeMillis: Int64, at ts: Int64) throws(PromQLEvalError) -> [EvalSeries] {
        let offset = try offsetMillis(vs.modifiers)
        let ref = atTime(vs.modifiers, ts) - offset
        var out: [EvalSeries] = []
        forEachLoaded(vs, mint: ref - rangeMillis + 1, maxt: ref) { ls in
            var s = EvalSeries(labels: ls.labels)
            for i in ls.times.indices where !ls.isStale(at: i) {
                if let h = ls.histogram(at: i) { s.histograms.append(HPoint(t: ls.times[i], h: h)) }
                else { s.floats.append(FPoint(t: ls.times[i], f: ls.values[i])) }
            }
            if !s.floats.isEmpty || !s.histograms.isEmpty { out.append(s) }
        }
        return out
    }

    // MARK: - Range windows (matrix selectors and subqueries as function arguments)

    /// A series with every point any step's window needs, and the window bounds per step.
    struct WindowedSeries {
        var labels: Labels
        var floats: [FPoint]
        var histograms: [HPoint]
        var dropName: Bool
        /// Per step: the window's right end (inclusive) and its length in ms.
        var refs: [Int64]
        var range: Int64
        /// Extra data loaded before the window start / after its end (anchored and smoothed selectors).
        var extraBefore: Int64 = 0
        var extraAfter: Int64 = 0
        /// Start timestamps of the raw samples (sample time → start time), when the source keeps them.
        var startTimestamps: [Int64: Int64]? = nil

        /// The window of step `stepIdx`: `(ref - range - extraBefore, ref + extraAfter]`.
        func window(at stepIdx: Int) -> (after: Int64, upTo: Int64)? {
            guard stepIdx < refs.count else { return nil }
            let r = refs[stepIdx]
            return (r - range - extraBefore, r + extraAfter)
        }

        func windowFloats(at stepIdx: Int) -> [FPoint] {
            guard let (lo, hi) = window(at: stepIdx) else { return [] }
            return Array(floats[WindowCursor.range(floats, after: lo, upTo: hi)])
        }

        func windowHistograms(at stepIdx: Int) -> [HPoint] {
            guard let (lo, hi) = window(at: stepIdx) else { return [] }
            return Array(histograms[WindowCursor.range(histograms, after: lo, upTo: hi)])
        }
    }

    /// Loads a range selector for all steps and calls `body` with one series at a time. The series value is
    /// reused between calls (only one series' points are in memory at a time), so `body` must not keep it.
    func forEachMatrixWindow(_ ms: MatrixSelector,
                             _ body: (WindowedSeries) throws(PromQLEvalError) -> Void) throws(PromQLEvalError) {
        guard let vs = ms.selector else { throw PromQLEvalError("unsupported range selector") }
        let range = try rangeMillis(ms.rangeMillis, ms.rangeExpr)
        let offset = try offsetMillis(vs.modifiers)
        let refs = steps.map { atTime(vs.modifiers, $0) - offset }
        guard let minRef = refs.min(), let maxRef = refs.max() else { return }
        let lookback = lookbackMillis
        let before = (vs.anchored || vs.smoothed) ? lookback : 0
        let after = vs.smoothed ? lookback : 0
        let lo = minRef - range - before + 1, hi = maxRef + after
        var w = WindowedSeries(labels: Labels(), floats: [], histograms: [], dropName: false, refs: refs, range: range,
                               extraBefore: before, extraAfter: after)
        if !ctx.statsSelectors.contains(vs.position) {
            // Straight from the chunks into points: no intermediate per-sample arrays.
            for s in ctx.source.select(vs.matchers, mint: lo, maxt: hi) {
                w.labels = s.labels
                w.startTimestamps = ctx.source.startTimestamps(for: s.labels)
                w.floats.removeAll(keepingCapacity: true)
                w.histograms.removeAll(keepingCapacity: true)
                if lo <= hi {
                    s.forEachSample(in: lo...hi) { t, v in
                        if !isStaleNaN(v) { w.floats.append(FPoint(t: t, f: v)) }
                    } histogram: { t, h in
                        if !isStaleNaN(h.sum) { w.histograms.append(HPoint(t: t, h: h)) }
                    }
                }
                try body(w)
            }
            return
        }
        try forEachLoaded(vs, mint: lo, maxt: hi) { ls throws(PromQLEvalError) in
            w.labels = ls.labels
            w.startTimestamps = ctx.source.startTimestamps(for: ls.labels)
            w.floats.removeAll(keepingCapacity: true)
            w.histograms.removeAll(keepingCapacity: true)
            for i in ls.times.indices where !ls.isStale(at: i) {
                if let h = ls.histogram(at: i) { w.histograms.append(HPoint(t: ls.times[i], h: h)) }
                else { w.floats.append(FPoint(t: ls.times[i], f: ls.values[i])) }
            }
            try body(w)
        }
    }

    /// Evaluates a subquery's inner expression on its own step grid, once for all outer steps.
    func evalSubqueryWindows(_ sq: SubqueryExpr) throws(PromQLEvalError) -> [WindowedSeries] {
        let range = try rangeMillis(sq.rangeMillis, sq.rangeExpr)
        var step = try rangeMillis(sq.stepMillis, sq.stepExpr)
        if step <= 0 { step = options.defaultSubqueryStepMillis }
        guard step > 0 else { throw PromQLEvalError("subquery step must be positive") }
        let offset = try offsetMillis(sq.modifiers)
        let refs = steps.map { atTime(sq.modifiers, $0) - offset }
        guard let minRef = refs.min(), let maxRef = refs.max() else { return [] }
        let lowest = minRef - range
        var innerStart = step * (lowest / step)
        if lowest < 0 && lowest % step != 0 { innerStart -= step }
        if innerStart <= lowest { innerStart += step }
        var innerEnd = maxRef
        if innerEnd < innerStart { innerEnd = innerStart - step }
        if innerEnd < innerStart {
            return []
        }
        // Every inner step can hold a sample: more steps than the sample limit cannot be evaluated, and building
        // them would exhaust memory first (e.g. a year at a 1 s resolution).
        let (span, overflow) = innerEnd.subtractingReportingOverflow(innerStart)
        let innerSteps = overflow ? Int64.max : span / step + 1
        if innerSteps > Int64(options.maxSamples) || innerSteps > 11_000_000 {
            throw PromQLEvalError("query processing would load too many samples into memory in query execution")
        }
        let inner = Evaluator(ctx: ctx, start: innerStart, end: innerEnd, interval: step)
        let v = try inner.eval(sq.expr)
        var series: [EvalSeries]
        switch v {
        case .vector(let m): series = m
        case .scalar(let vals): series = [EvalSeries(labels: Labels(), floats: zip(inner.steps, vals).map { FPoint(t: $0, f: $1) })]
        default: throw PromQLEvalError("subquery is only allowed on instant vector, got \(sq.expr.type.documented)")
        }
        return series.map { s in
            // As upstream: subquery results lose reset/not-reset hints (the subquery may skip or repeat samples).
            let hs = s.histograms.map { p -> HPoint in
                var p = p
                if p.h.counterResetHint == .counterReset || p.h.counterResetHint == .notCounterReset { p.h.counterResetHint = .unknown }
                return p
            }
            return WindowedSeries(labels: s.labels, floats: s.floats, histograms: hs, dropName: s.dropName, refs: refs, range: range)
        }
    }

    // MARK: - Per-step views

    /// Splits step-aligned series into one vector per step (in series order).
    func stepVectors(_ m: [EvalSeries]) -> [[VectorSample]] {
        var out = Array(repeating: [VectorSample](), count: steps.count)
        for s in m {
            for p in s.floats {
                if let i = stepIndex(p.t) { out[i].append(VectorSample(labels: s.labels, t: p.t, f: p.f, dropName: s.dropName)) }
            }
            for p in s.histograms {
                if let i = stepIndex(p.t) { out[i].append(VectorSample(labels: s.labels, t: p.t, f: 0, h: p.h, dropName: s.dropName)) }
            }
        }
        return out
    }

    /// Joins per-step vectors back into series (first appearance order; same labels and drop flag join).
    func series(from vectors: [[VectorSample]]) -> [EvalSeries] {
        struct Key: Hashable { var labels: Labels; var drop: Bool }
        var index: [Key: Int] = [:]
        var out: [EvalSeries] = []
        for (i, vec) in vectors.enumerated() {
            let t = i < steps.count ? steps[i] : start
            for s in vec {
                let k = Key(labels: s.labels, drop: s.dropName)
                let idx: Int
                if let existing = index[k] { idx = existing } else {
                    idx = out.count
                    index[k] = idx
                    out.append(EvalSeries(labels: s.labels, dropName: s.dropName))
                }
                if let h = s.h { out[idx].histograms.append(HPoint(t: t, h: h)) }
                else { out[idx].floats.append(FPoint(t: t, f: s.f)) }
            }
        }
        return out
    }

    /// Evaluates an expression that must be a scalar, one value per step.
    func scalarValues(_ e: Expr) throws(PromQLEvalError) -> [Double] {
        switch try eval(e) {
        case .scalar(let v): return v
        default: throw PromQLEvalError("expected scalar, got \(e.type.documented)")
        }
    }

    func vectorValue(_ e: Expr) throws(PromQLEvalError) -> [EvalSeries] {
        switch try eval(e) {
        case .vector(let m): return m
        case .scalar(let v):
            return [EvalSeries(labels: Labels(), floats: zip(steps, v).map { FPoint(t: $0, f: $1) })]
        default: throw PromQLEvalError("expected instant vector, got \(e.type.documented)")
        }
    }

    func stringValue(_ e: Expr) throws(PromQLEvalError) -> String {
        switch try eval(e) {
        case .string(let s): return s
        default: throw PromQLEvalError("expected string, got \(e.type.documented)")
        }
    }
}

/// The metric name used in annotations: `__name__` of the labels, "" when none.
func metricNameForAnnotation(_ l: Labels) -> String { l.metricName ?? "" }

/// Labels describing the metric rather than the series (`__name__`, `__type__`, `__unit__`): dropped together
/// whenever an operation changes what the value means.
let metadataLabelNames: Set<String> = ["__name__", "__type__", "__unit__"]

/// Times and spans derived from queries are kept within these bounds so that window arithmetic
/// (time ± range ± lookback) cannot overflow; Prometheus's own timestamps stay far inside them.
let timeBoundMillis: Int64 = 1 << 61
let spanBoundMillis: Int64 = 1 << 60

@inline(__always) func clampTime(_ t: Int64) -> Int64 { min(max(t, -timeBoundMillis), timeBoundMillis) }
@inline(__always) func clampSpan(_ d: Int64) -> Int64 { min(max(d, -spanBoundMillis), spanBoundMillis) }
