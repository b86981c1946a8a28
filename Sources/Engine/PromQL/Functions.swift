import Regexp
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Evaluator {
    func evalCall(_ c: Call) throws(PromQLEvalError) -> EvalValue {
        switch c.function.id {
        case .range(let f)?:
            return try evalRangeFunction(c, f)
        case .instant(let f)?:
            return try evalInstantFunction(c, f)
        case nil:
            throw PromQLEvalError("unknown function with name \(quoteLabelValue(c.function.name))")
        }
    }

    /// One case per instant function: the compiler rejects a function without a body.
    func evalInstantFunction(_ c: Call, _ f: InstantFunction) throws(PromQLEvalError) -> EvalValue {
        switch f {
        case .time:
            return .scalar(steps.map { Double($0) / 1000 })
        case .pi:
            return .scalar(Array(repeating: Double.pi, count: steps.count))
        case .start:
            return .scalar(Array(repeating: Double(ctx.queryStart) / 1000, count: steps.count))
        case .end:
            return .scalar(Array(repeating: Double(ctx.queryEnd) / 1000, count: steps.count))
        case .step:
            return .scalar(Array(repeating: Double(interval) / 1000, count: steps.count))
        case .range:
            return .scalar(Array(repeating: Double(ctx.queryEnd - ctx.queryStart) / 1000, count: steps.count))
        case .minOf:
            let a = try scalarValues(c.args[0]), b = try scalarValues(c.args[1])
            return .scalar(zip(a, b).map { goMin($0, $1) })
        case .maxOf:
            let a = try scalarValues(c.args[0]), b = try scalarValues(c.args[1])
            return .scalar(zip(a, b).map { goMax($0, $1) })
        case .vector:
            let v = try scalarValues(c.args[0])
            return .vector([EvalSeries(labels: Labels(), floats: zip(steps, v).map { FPoint(t: $0, f: $1) })])
        case .scalar:
            // Per step: the value when exactly one float sample is there, else NaN.
            var count = [Int](repeating: 0, count: steps.count)
            var value = [Double](repeating: .nan, count: steps.count)
            for s in try vectorValue(c.args[0]) {
                for p in s.floats {
                    guard let i = stepIndex(p.t) else { continue }
                    count[i] += 1
                    value[i] = p.f
                }
            }
            return .scalar(steps.indices.map { count[$0] == 1 ? value[$0] : .nan })
        case .timestamp:
            return try evalTimestamp(c)
        case .startTimestamp:
            return try evalStartTimestamp(c)
        case .absent:
            var present = [Bool](repeating: false, count: steps.count)
            for s in try vectorValue(c.args[0]) {
                for t in s.floats.map(\.t) + s.histograms.map(\.t) {
                    if let i = stepIndex(t) { present[i] = true }
                }
            }
            var out = EvalSeries(labels: absentLabels(c.args[0]))
            for i in steps.indices where !present[i] { out.floats.append(FPoint(t: steps[i], f: 1)) }
            return .vector(out.floats.isEmpty ? [] : [out])
        case .info:
            return try evalInfo(c)
        case .labelReplace:
            return try evalLabelReplace(c)
        case .labelJoin:
            return try evalLabelJoin(c)
        case .sort:
            return try evalSort(c, byLabel: false, descending: false)
        case .sortDesc:
            return try evalSort(c, byLabel: false, descending: true)
        case .sortByLabel:
            return try evalSort(c, byLabel: true, descending: false)
        case .sortByLabelDesc:
            return try evalSort(c, byLabel: true, descending: true)
        case .histogramQuantile:
            return try evalHistogramQuantile(c, multi: false)
        case .histogramQuantiles:
            return try evalHistogramQuantile(c, multi: true)
        case .histogramCount:
            return try evalHistogramProperty(c) { $0.count }
        case .histogramSum:
            return try evalHistogramProperty(c) { $0.sum }
        case .histogramAvg:
            return try evalHistogramProperty(c) { $0.sum / $0.count }
        case .histogramStddev:
            return try evalHistogramProperty(c) { Self.histogramVariance($0).squareRoot() }
        case .histogramStdvar:
            return try evalHistogramProperty(c) { Self.histogramVariance($0) }
        case .histogramFraction:
            return try evalHistogramFraction(c)
        case .round:
            let toNearest = c.args.count > 1 ? try scalarValues(c.args[1]) : Array(repeating: 1.0, count: steps.count)
            return try mapSamples(c.args[0]) { f, i in
                let inv = 1.0 / toNearest[i]
                return floor(f * inv + 0.5) / inv
            }
        case .clamp:
            let lo = try scalarValues(c.args[1]), hi = try scalarValues(c.args[2])
            return try mapSamples(c.args[0]) { f, i in
                if hi[i] < lo[i] { return nil }
                return goMax(lo[i], goMin(hi[i], f))
            }
        case .clampMin:
            let lo = try scalarValues(c.args[1])
            return try mapSamples(c.args[0]) { f, i in goMax(lo[i], f) }
        case .clampMax:
            let hi = try scalarValues(c.args[1])
            return try mapSamples(c.args[0]) { f, i in goMin(hi[i], f) }
        case .dayOfMonth: return try evalDateFunction(c) { Double($0.day) }
        case .dayOfWeek: return try evalDateFunction(c) { Double($0.weekday) }
        case .dayOfYear: return try evalDateFunction(c) { Double($0.yearDay) }
        case .daysInMonth: return try evalDateFunction(c) { Double($0.daysInMonth) }
        case .hour: return try evalDateFunction(c) { Double($0.hour) }
        case .minute: return try evalDateFunction(c) { Double($0.minute) }
        case .month: return try evalDateFunction(c) { Double($0.month) }
        case .year: return try evalDateFunction(c) { Double($0.year) }
        case .abs: return try mapFloats(c) { Swift.abs($0) }
        case .ceil: return try mapFloats(c) { ceil($0) }
        case .floor: return try mapFloats(c) { floor($0) }
        case .exp: return try mapFloats(c) { exp($0) }
        case .sqrt: return try mapFloats(c) { sqrt($0) }
        case .ln: return try mapFloats(c) { log($0) }
        case .log2: return try mapFloats(c) { log2($0) }
        case .log10: return try mapFloats(c) { log10($0) }
        case .sin: return try mapFloats(c) { sin($0) }
        case .cos: return try mapFloats(c) { cos($0) }
        case .tan: return try mapFloats(c) { tan($0) }
        case .asin: return try mapFloats(c) { asin($0) }
        case .acos: return try mapFloats(c) { acos($0) }
        case .atan: return try mapFloats(c) { atan($0) }
        case .sinh: return try mapFloats(c) { sinh($0) }
        case .cosh: return try mapFloats(c) { cosh($0) }
        case .tanh: return try mapFloats(c) { tanh($0) }
        case .asinh: return try mapFloats(c) { asinh($0) }
        case .acosh: return try mapFloats(c) { acosh($0) }
        case .atanh: return try mapFloats(c) { atanh($0) }
        case .deg: return try mapFloats(c) { $0 * 180 / Double.pi }
        case .rad: return try mapFloats(c) { $0 * Double.pi / 180 }
        case .sgn: return try mapFloats(c) { $0 > 0 ? 1 : ($0 < 0 ? -1 : $0) }
        }
    }

    /// An element-wise float function of the first argument.
    func mapFloats(_ c: Call, _ fn: (Double) -> Double) throws(PromQLEvalError) -> EvalValue {
        try mapSamples(c.args[0]) { f, _ in fn(f) }
    }

    /// Applies `f` (value, step index) to every float sample (histograms are dropped), dropping the metric name.
    func mapSamples(_ arg: Expr, _ f: (Double, Int) -> Double?) throws(PromQLEvalError) -> EvalValue {
        var collector = SeriesCollector()
        for s in try vectorValue(arg) {
            var o = EvalSeries(labels: s.labels, dropName: s.dropName)
            o.floats.reserveCapacity(s.floats.count)
            for p in s.floats {
                guard let i = stepIndex(p.t), let r = f(p.f, i) else { continue }
                o.floats.append(FPoint(t: p.t, f: r))
            }
            collector.add(dropName(o))
        }
        return .vector(try collector.finish())
    }

    func evalTimestamp(_ c: Call) throws(PromQLEvalError) -> EvalValue {
        let arg = c.args[0].unwrappingParens
        if case .vectorSelector(let vs) = arg {
            return .vector(try selectedSampleProperty(vs) { _, t in Double(t) / 1000 })
        }
        let m = try vectorValue(arg)
        return .vector(m.map { s in
            var n = dropName(s)
            n.floats = (s.floats.map { $0.t } + s.histograms.map { $0.t }).sorted().map { FPoint(t: $0, f: Double($0) / 1000) }
            n.histograms = []
            return n
        })
    }

    /// `start_timestamp(v)` (experimental): the start timestamp of the sample a selector picks at each step, in
    /// seconds (0 when unknown). Only a plain selector carries start timestamps; anything else yields nothing.
    func evalStartTimestamp(_ c: Call) throws(PromQLEvalError) -> EvalValue {
        guard case .vectorSelector(let vs) = c.args[0].unwrappingParens else {
            _ = try vectorValue(c.args[0])
            return .vector([])
        }
        return .vector(try selectedSampleProperty(vs) { labels, t in
            Double(ctx.source.startTimestamps(for: labels)?[t] ?? 0) / 1000
        })
    }

    /// Per step, `value(labels, sampleTime)` of the sample the selector picks (lookback applies); names dropped.
    func selectedSampleProperty(_ vs: VectorSelector, _ value: (Labels, Int64) -> Double) throws(PromQLEvalError) -> [EvalSeries] {
        var out: [EvalSeries] = []
        let offset = try offsetMillis(vs.modifiers)
        let refs = steps.map { atTime(vs.modifiers, $0) - offset }
        forEachLoaded(vs, mint: (refs.min() ?? 0) - lookbackMillis + 1, maxt: refs.max() ?? 0) { ls in
            var s = dropName(EvalSeries(labels: ls.labels))
            for (i, ts) in steps.enumerated() {
                let ref = refs[i]
                guard let idx = Evaluator.lastIndex(atOrBefore: ref, in: ls.times), ls.times[idx] > ref - lookbackMillis else { continue }
                if ls.isStale(at: idx) { continue }
                s.floats.append(FPoint(t: ts, f: value(ls.labels, ls.times[idx])))
            }
            if !s.floats.isEmpty { out.append(s) }
        }
        try ctx.addSamples(out.reduce(0) { $0 &+ $1.floats.count })
        ctx.currentSamples &-= out.reduce(0) { $0 &+ $1.floats.count }
        return out
    }

    /// Labels `absent()` reports: the equality matchers of a plain selector argument.
    func absentLabels(_ arg: Expr) -> Labels {
        var matchers: [LabelMatcher] = []
        switch arg.unwrappingParens {
        case .vectorSelector(let vs): matchers = vs.matchers
        case .matrixSelector(let ms): matchers = ms.selector?.matchers ?? []
        default: return Labels()
        }
        var pairs: [(String, String)] = []
        var seen: [String: Int] = [:]
        for m in matchers where m.name != "__name__" {
            seen[m.name, default: 0] += 1
        }
        for m in matchers where m.name != "__name__" && m.type == .equal && seen[m.name] == 1 {
            pairs.append((m.name, m.value))
        }
        return Labels(pairs)
    }

    func evalLabelReplace(_ c: Call) throws(PromQLEvalError) -> EvalValue {
        let dst = try stringValue(c.args[1]), repl = try stringValue(c.args[2])
        let src = try stringValue(c.args[3]), pattern = try stringValue(c.args[4])
        let re: Regexp
        do { re = try Regexp.anchored(pattern) } catch {
            throw PromQLEvalError("invalid regular expression in label_replace(): \(pattern)")
        }
        guard isValidLabelName(dst) else { throw PromQLEvalError("invalid destination label name in label_replace(): \(dst)") }
        let input = try vectorValue(c.args[0])
        var out: [EvalSeries] = []
        for s in input {
            var n = s
            let srcVal = Array((s.labels[src] ?? "").utf8)
            if let m = re.match(srcVal) {
                let res = re.expand(repl, source: srcVal, match: m)
                n.labels = s.labels.setting(dst, res)
                if dst == "__name__" { n.dropName = false }
            }
            out.append(n)
        }
        return .vector(try mergeSameLabels(out))
    }

    func evalLabelJoin(_ c: Call) throws(PromQLEvalError) -> EvalValue {
        let dst = try stringValue(c.args[1]), sep = try stringValue(c.args[2])
        var srcs: [String] = []
        for a in c.args.dropFirst(3) { srcs.append(try stringValue(a)) }
        guard isValidLabelName(dst) else { throw PromQLEvalError("invalid destination label name in label_join(): \(dst)") }
        let input = try vectorValue(c.args[0])
        var out: [EvalSeries] = []
        for s in input {
            var n = s
            let joined = srcs.map { s.labels[$0] ?? "" }.joined(separator: sep)
            n.labels = s.labels.setting(dst, joined)
            if dst == "__name__" { n.dropName = false }
            out.append(n)
        }
        return .vector(try mergeSameLabels(out))
    }

    /// Series that became identical after relabelling merge, unless they collide at a step.
    func mergeSameLabels(_ m: [EvalSeries]) throws(PromQLEvalError) -> [EvalSeries] {
        var collector = SeriesCollector()
        for s in m { collector.add(s) }
        return try collector.finish()
    }

    func evalSort(_ c: Call, byLabel: Bool, descending desc: Bool) throws(PromQLEvalError) -> EvalValue {
        let input = try vectorValue(c.args[0]).compactMap { s -> EvalSeries? in
            var s = s
            s.histograms = []
            return s.floats.isEmpty ? nil : s
        }
        if interval > 0 {
            ctx.annotations.warn("sort is ineffective for range queries since results are always ordered by labels")
            return .vector(input)
        }
        var labelsToSort: [String] = []
        for a in c.args.dropFirst() { labelsToSort.append(try stringValue(a)) }
        let sorted: [EvalSeries]
        if byLabel {
            sorted = stableSorted(input) { a, b in
                for l in labelsToSort {
                    let x = a.labels[l] ?? "", y = b.labels[l] ?? ""
                    if x == y { continue }
                    return desc ? naturalLess(y, x) : naturalLess(x, y)
                }
                return desc ? b.labels < a.labels : a.labels < b.labels
            }
        } else {
            // NaN sorts last in both directions.
            sorted = stableSorted(input) { a, b in
                let x = a.floats.first?.f ?? .nan, y = b.floats.first?.f ?? .nan
                if y.isNaN { return !x.isNaN }
                if x.isNaN { return false }
                return desc ? x > y : x < y
            }
        }
        return .vector(sorted)
    }

    func stableSorted(_ m: [EvalSeries], by less: (EvalSeries, EvalSeries) -> Bool) -> [EvalSeries] {
        m.enumerated().sorted { x, y in
            if less(x.element, y.element) { return true }
            if less(y.element, x.element) { return false }
            return x.offset < y.offset
        }.map(\.element)
    }

    /// day_of_month, hour, …: one calendar component (UTC) of each sample value, or of the step time without arguments.
    func evalDateFunction(_ c: Call, _ part: (CivilDate) -> Double) throws(PromQLEvalError) -> EvalValue {
        func component(_ seconds: Double) -> Double {
            guard seconds.isFinite, Swift.abs(seconds) < 1e15 else { return .nan }
            return part(civilDate(seconds: Int64(floor(seconds))))
        }
        if c.args.isEmpty {
            return .vector([EvalSeries(labels: Labels(), floats: steps.map { FPoint(t: $0, f: component(Double($0) / 1000)) })])
        }
        return try mapSamples(c.args[0]) { f, _ in component(f) }
    }
}

/// Go's `math.Min`: NaN wins, and -0 is less than +0.
func goMin(_ a: Double, _ b: Double) -> Double {
    if a.isNaN || b.isNaN { return .nan }
    if a == 0 && b == 0 { return a.sign == .minus ? a : b }
    return a < b ? a : b
}

/// Go's `math.Max`: NaN wins, and +0 is greater than -0.
func goMax(_ a: Double, _ b: Double) -> Double {
    if a.isNaN || b.isNaN { return .nan }
    if a == 0 && b == 0 { return a.sign == .minus ? b : a }
    return a > b ? a : b
}

/// Natural ("version") string order: runs of digits compare numerically.
func naturalLess(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    var i = 0, j = 0
    func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    while i < x.count && j < y.count {
        if isDigit(x[i]) && isDigit(y[j]) {
            var i2 = i, j2 = j
            while i2 < x.count && isDigit(x[i2]) { i2 += 1 }
            while j2 < y.count && isDigit(y[j2]) { j2 += 1 }
            var na = Array(x[i..<i2]), nb = Array(y[j..<j2])
            while na.count > 1 && na.first == 0x30 { na.removeFirst() }
            while nb.count > 1 && nb.first == 0x30 { nb.removeFirst() }
            if na.count != nb.count { return na.count < nb.count }
            if na != nb { return na.lexicographicallyPrecedes(nb) }
            i = i2
            j = j2
        } else {
            if x[i] != y[j] { return x[i] < y[j] }
            i += 1
            j += 1
        }
    }
    return x.count - i < y.count - j
}

/// UTC calendar fields of a Unix time, as Go's time package computes them.
struct CivilDate {
    var year: Int, month: Int, day: Int, hour: Int, minute: Int, weekday: Int, yearDay: Int, daysInMonth: Int
}

func civilDate(seconds: Int64) -> CivilDate {
    var days = seconds / 86_400
    var rem = seconds % 86_400
    if rem < 0 { rem += 86_400; days -= 1 }
    let hour = Int(rem / 3600), minute = Int((rem % 3600) / 60)
    let (year, m, d) = TemplateFormat.civil(days)
    let y = Int(year)
    var wd = (days + 4) % 7
    if wd < 0 { wd += 7 }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
    let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    let cum = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
    let yd = cum[m - 1] + d + (leap && m > 2 ? 1 : 0)
    return CivilDate(year: y, month: m, day: d, hour: hour, minute: minute, weekday: Int(wd), yearDay: yd, daysInMonth: monthDays[m - 1])
}
