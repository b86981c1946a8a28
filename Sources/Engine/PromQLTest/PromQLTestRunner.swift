#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GoCompat

/// Runs promqltest scripts against our TSDB and engine, the way upstream's `promqltest` runs them.
public struct PromQLTestRunner: Sendable {
    /// The outcome of one `eval` command.
    public struct EvalOutcome: Sendable {
        public var line: Int
        public var expr: String
        /// nil when it passed; otherwise what went wrong (expected vs actual).
        public var failure: String?
        public var passed: Bool { failure == nil }
    }

    public struct FileReport: Sendable {
        public var file: String
        public var outcomes: [EvalOutcome]
        /// A script that could not be parsed or loaded.
        public var scriptError: String?
        public var passed: Int { outcomes.filter(\.passed).count }
        public var failed: Int { outcomes.count - passed + (scriptError == nil ? 0 : 1) }
    }

    public var options: EngineOptions

    public init(options: EngineOptions = .promqlTest) { self.options = options }

    /// Parses and runs one script.
    public func run(script text: String, file: String) -> FileReport {
        let script: PromQLTestScript
        do { script = try PromQLTestScript.parse(text) } catch {
            return FileReport(file: file, outcomes: [], scriptError: "\(file):\(error.line): \(error.message)")
        }
        var head = Head()
        var startTimestamps: [Labels: [Int64: Int64]] = [:]
        var outcomes: [EvalOutcome] = []
        let engine = PromQLEngine(options: options)
        for cmd in script.commands {
            switch cmd {
            case .clear:
                head = Head()
                startTimestamps = [:]
            case .load(let load):
                for (labels, offsets) in load.startTimestamps {
                    var t: Int64 = 0
                    for o in offsets {
                        if let o { startTimestamps[labels, default: [:]][t] = t &+ o }
                        t &+= load.stepMillis
                    }
                }
                if let err = apply(load, to: head) {
                    return FileReport(file: file, outcomes: outcomes, scriptError: "\(file):\(load.line): \(err)")
                }
            case .eval(let ev):
                let source = StartTimestampedSource(base: head, table: startTimestamps)
                let failure = runEval(ev, engine: engine, head: source)
                outcomes.append(EvalOutcome(line: ev.line, expr: ev.expr, failure: failure))
            }
        }
        return FileReport(file: file, outcomes: outcomes, scriptError: nil)
    }

    func apply(_ load: PromQLTestScript.Load, to head: Head) -> String? {
        for (labels, values) in load.series {
            var t: Int64 = 0
            var previous: FloatHistogram? = nil
            for v in values {
                defer { t &+= load.stepMillis }
                if v.omitted { continue }
                do {
                    if let h = v.histogram {
                        let stored = Self.chunkHinted(h.floatHistogram, after: previous)
                        previous = stored
                        _ = try head.appendHistogram(labels, t: t, h: stored)
                    } else {
                        previous = nil
                        _ = try head.append(labels, t: t, v: v.value)
                    }
                } catch {
                    return "\(error)"
                }
            }
        }
        if load.withNHCB {
            return appendCustomBucketHistograms(load, to: head)
        }
        return nil
    }

    /// The counter-reset hint a histogram reads back with from upstream's TSDB: samples after the first of a
    /// chunk are `not_reset`; a detected reset starts a new chunk whose first sample is `unknown` (a declared
    /// `reset` stays); gauges stay gauges, and the first sample of a series (or after floats or gauges) keeps its
    /// declared hint.
    static func chunkHinted(_ h: FloatHistogram, after previous: FloatHistogram?) -> FloatHistogram {
        var h = h
        guard h.counterResetHint != .gauge, let p = previous, p.counterResetHint != .gauge else { return h }
        if h.counterResetHint == .counterReset { return h }
        h.counterResetHint = h.detectReset(previous: p) ? .unknown : .notCounterReset
        return h
    }

    // MARK: - Eval

    func runEval(_ ev: PromQLTestScript.Eval, engine: PromQLEngine, head: some SeriesSource) -> String? {
        if ev.isRange {
            return runQuery(ev, expr: ev.expr, engine: engine, head: head) { e throws in
                try engine.rangeQuery(e, start: ev.start, end: ev.end, step: ev.stepMillis, source: head)
            }
        }
        // The instant query as written, then the same query with `@` pinned at other times.
        var queries: [(String, Int64)] = [(ev.expr, ev.end)]
        if let variants = atModifierVariants(ev.expr, evalTime: ev.end) { queries.append(contentsOf: variants) }
        for (expr, t) in queries {
            if let f = runQuery(ev, expr: expr, engine: engine, head: head, { e throws in try engine.instantQuery(e, at: t, source: head) }) {
                return f
            }
            if ev.isFail || ev.excludeFromRangeQuery || ev.isOrdered { continue }
            if containsQueryContextFunction(expr) { continue }
            // The same query in range mode must give the same value at the middle step.
            let rangeResult: QueryResult
            do {
                let parsed = try PromQLParser.parse(expr, options: options.parserOptions)
                rangeResult = try engine.rangeQuery(parsed, start: t - 60_000, end: t + 60_000, step: 60_000, source: head)
            } catch {
                return "error evaluating query \(quoteLabelValue(expr)) (line \(ev.line)) in range mode: \(error)"
            }
            guard case .matrix(let m) = rangeResult.value else { continue }
            var vec: [VectorSample] = []
            for s in m {
                if let p = s.floats.first(where: { $0.t == t }) { vec.append(VectorSample(labels: s.labels, t: t, f: p.f)) }
                else if let p = s.histograms.first(where: { $0.t == t }) { vec.append(VectorSample(labels: s.labels, t: t, f: 0, h: p.h)) }
            }
            let isScalar = ev.expectedScalar != nil
            let value: QueryValue = isScalar ? .scalar(t: t, v: vec.first?.f ?? .nan) : .vector(vec)
            if let f = compare(ev, value) { return "error in eval \(expr) (line \(ev.line)) range mode: \(f)" }
        }
        return nil
    }

    func runQuery(_ ev: PromQLTestScript.Eval, expr: String, engine: PromQLEngine, head: some SeriesSource,
                  _ exec: (Expr) throws -> QueryResult) -> String? {
        let result: QueryResult
        do {
            let parsed = try PromQLParser.parse(expr, options: options.parserOptions)
            result = try exec(parsed)
        } catch {
            let message: String
            if let p = error as? PromQLParseError { message = p.description } else { message = "\(error)" }
            if ev.isFail { return checkExpectedFailure(ev, message) }
            return "error evaluating query \(quoteLabelValue(expr)) (line \(ev.line)): \(message)"
        }
        if ev.isFail { return "expected error evaluating query \(quoteLabelValue(expr)) (line \(ev.line)) but got none" }
        if let a = checkAnnotations(ev, result) { return a }
        if let f = compare(ev, result.value) { return "error in eval \(expr) (line \(ev.line)): \(f)" }
        return nil
    }

    func checkExpectedFailure(_ ev: PromQLTestScript.Eval, _ message: String) -> String? {
        if let m = ev.expectedFailMessage, m != message {
            return "expected error \(quoteLabelValue(m)) evaluating query \(quoteLabelValue(ev.expr)) (line \(ev.line)), but got: \(message)"
        }
        if let re = ev.expectedFailRegexp, !re.matches(message) {
            return "expected error matching pattern \(quoteLabelValue(re.pattern)) evaluating query \(quoteLabelValue(ev.expr)) (line \(ev.line)), but got: \(message)"
        }
        if let e = ev.expectations(.fail).first, !e.matches(message) {
            return "expected error matching \(quoteLabelValue(e.message ?? e.regex?.pattern ?? "")) evaluating query \(quoteLabelValue(ev.expr)) (line \(ev.line)), but got: \(message)"
        }
        return nil
    }

    func checkAnnotations(_ ev: PromQLTestScript.Eval, _ r: QueryResult) -> String? {
        if ev.warn && r.warnings.isEmpty { return "expected warnings evaluating query \(quoteLabelValue(ev.expr)) (line \(ev.line)) but got none" }
        if ev.info && r.infos.isEmpty { return "expected info annotations evaluating query \(quoteLabelValue(ev.expr)) (line \(ev.line)) but got none" }
        for (kind, actual, word) in [(PromQLTestScript.ExpectKind.warn, r.warnings, "warn"), (.info, r.infos, "info")] {
            let expected = ev.expectations(kind)
            if expected.isEmpty { continue }
            if actual.isEmpty { return "expected \(word) annotations but none were found for query \(quoteLabelValue(ev.expr)) (line \(ev.line))" }
            for e in expected where !actual.contains(where: e.matches) {
                return "expected \(word) annotation matching \(quoteLabelValue(e.message ?? e.regex?.pattern ?? "")) but no matching annotation was found for query \(quoteLabelValue(ev.expr)) (line \(ev.line)), found: \(r.warnings + r.infos)"
            }
            for a in actual where !expected.contains(where: { $0.matches(a) }) {
                return "unexpected \(word) annotation \(quoteLabelValue(a)) found for query \(ev.expr) (line \(ev.line))"
            }
        }
        if !ev.expectations(.noWarn).isEmpty && !r.warnings.isEmpty {
            return "unexpected warning annotations evaluating query \(quoteLabelValue(ev.expr)) (line \(ev.line)): \(r.warnings)"
        }
        if !ev.expectations(.noInfo).isEmpty && !r.infos.isEmpty {
            return "unexpected info annotations evaluating query \(quoteLabelValue(ev.expr)) (line \(ev.line)): \(r.infos)"
        }
        return nil
    }

    // MARK: - Comparison (upstream's compareResult)

    func compare(_ ev: PromQLTestScript.Eval, _ value: QueryValue) -> String? {
        let expectScalar = ev.expectedScalar != nil
        switch value {
        case .matrix(let m):
            if ev.isOrdered { return "expected ordered result, but query returned a matrix" }
            if expectScalar { return "expected scalar result, but got matrix" }
            for i in m.indices.dropFirst() where m[i].labels < m[i - 1].labels {
                return "matrix results should always be sorted by labels, but matrix is not sorted"
            }
            var expected: [Labels: [SeriesValue]] = [:]
            for e in ev.expectedSeries { expected[e.labels] = e.values }
            var seen: Set<Labels> = []
            for s in m {
                guard let exp = expected[s.labels] else {
                    return "unexpected metric \(s.labels) in result, has \(describe(s))"
                }
                seen.insert(s.labels)
                var expFloats: [FPoint] = []
                var expHists: [(Int64, HistogramLiteral)] = []
                for (i, e) in exp.enumerated() {
                    let t = ev.start + Int64(i) * ev.stepMillis
                    if t > ev.end { return "expected \(exp.count) points for \(s.labels), but query time range cannot return this many points" }
                    if let h = e.histogram { expHists.append((t, h)) } else if !e.omitted { expFloats.append(FPoint(t: t, f: e.value)) }
                }
                if expFloats.count != s.floats.count || expHists.count != s.histograms.count {
                    return "expected \(expFloats.count) float points and \(expHists.count) histogram points for \(s.labels), but got \(describe(s))"
                }
                for (i, e) in expFloats.enumerated() {
                    let a = s.floats[i]
                    if e.t != a.t { return "expected float value at index \(i) for \(s.labels) to have timestamp \(e.t), but it had timestamp \(a.t) (result has \(describe(s)))" }
                    if !almostEqual(a.f, e.f, 1e-6) { return "expected float value at index \(i) (t=\(a.t)) for \(s.labels) to be \(e.f), but got \(a.f) (result has \(describe(s)))" }
                }
                for (i, e) in expHists.enumerated() {
                    let a = s.histograms[i]
                    if e.0 != a.t { return "expected histogram value at index \(i) for \(s.labels) to have timestamp \(e.0), but it had timestamp \(a.t)" }
                    if !histogramMatches(e.1, a.h) { return "expected histogram value at index \(i) (t=\(a.t)) for \(s.labels) to be \(e.1.floatHistogram), but got \(a.h)" }
                }
            }
            for e in ev.expectedSeries where !seen.contains(e.labels) { return "expected metric \(e.labels) not found" }
        case .vector(let v):
            if expectScalar { return "expected scalar result, but got vector \(v.map { "\($0.labels) => \($0.f)" })" }
            var expected: [Labels: (values: [SeriesValue], pos: Int)] = [:]
            for e in ev.expectedSeries { expected[e.labels] = (e.values, e.position) }
            var seen: Set<Labels> = []
            for (pos, s) in v.enumerated() {
                guard let exp = expected[s.labels] else {
                    if let h = s.h { return "unexpected metric \(s.labels) in result, has value \(h)" }
                    return "unexpected metric \(s.labels) in result, has value \(s.f)"
                }
                if ev.isOrdered && exp.pos != pos + 1 {
                    return "expected metric \(s.labels) with \(exp.values.map(\.value)) at position \(exp.pos) but was at \(pos + 1)"
                }
                guard let e0 = exp.values.first else { return "expected metric \(s.labels) has no value" }
                if let eh = e0.histogram {
                    guard let ah = s.h else { return "expected histogram \(eh.floatHistogram) for \(s.labels) but got float value \(s.f)" }
                    if !histogramMatches(eh, ah) { return "expected \(eh.floatHistogram) for \(s.labels) but got \(ah)" }
                } else if let ah = s.h {
                    return "expected float value \(e0.value) for \(s.labels) but got histogram \(ah)"
                } else if !almostEqual(e0.value, s.f, 1e-6) {
                    return "expected \(e0.value) for \(s.labels) but got \(s.f)"
                }
                seen.insert(s.labels)
            }
            for e in ev.expectedSeries where !seen.contains(e.labels) {
                return "expected metric \(e.labels) with \(e.values.map(\.value)) not found"
            }
        case .scalar(_, let x):
            guard let e = ev.expectedScalar else { return "expected vector or matrix result, but got scalar \(x)" }
            if !almostEqual(e.value, x, 1e-6) { return "expected scalar \(e.value) but got \(x)" }
        case .string(_, let s):
            if (ev.expectedString ?? "") != s { return "expected string \"\(ev.expectedString ?? "")\" but got \"\(s)\"" }
        }
        return nil
    }

    func describe(_ s: EvalSeries) -> String {
        "\(s.floats.count) float point\(s.floats.count == 1 ? "" : "s") \(s.floats.map { "\($0.f) @[\($0.t)]" }) and \(s.histograms.count) histogram point\(s.histograms.count == 1 ? "" : "s")"
    }

    func histogramMatches(_ exp: HistogramLiteral, _ act: FloatHistogram) -> Bool {
        let e = exp.floatHistogram.compacted(), a = act.compacted()
        guard e.schema == a.schema, almostEqual(e.count, a.count, 1e-6), almostEqual(e.sum, a.sum, 1e-6) else { return false }
        if e.usesCustomBuckets && e.customValues != a.customValues { return false }
        guard e.zeroThreshold == a.zeroThreshold, almostEqual(e.zeroCount, a.zeroCount, 1e-6) else { return false }
        func same(_ x: [FloatHistogram.Bucket], _ y: [FloatHistogram.Bucket]) -> Bool {
            let xs = x.filter { $0.count != 0 }, ys = y.filter { $0.count != 0 }
            guard xs.count == ys.count else { return false }
            return zip(xs, ys).allSatisfy { $0.index == $1.index && almostEqual($0.count, $1.count, 1e-6) }
        }
        guard same(e.buckets(positive: true), a.buckets(positive: true)), same(e.buckets(positive: false), a.buckets(positive: false)) else { return false }
        return true
    }

    // MARK: - @ modifier variants (upstream's atModifierTestCases)

    func containsQueryContextFunction(_ expr: String) -> Bool {
        ["start()", "end()", "range()", "step()"].contains { expr.contains($0) }
    }

    func atModifierVariants(_ exprString: String, evalTime ts: Int64) -> [(String, Int64)]? {
        guard let expr = try? PromQLParser.parse(exprString, options: options.parserOptions) else { return nil }
        var unsafe = false
        let pinned = pin(expr, at: ts, insideAtSubquery: false, unsafe: &unsafe)
        if unsafe { return nil }
        let text = pinned.description
        let times: [Int64] = ts == 0 ? [-1000, 0, 1000] : [-10 * ts, 0, ts / 5, ts, 10 * ts]
        return times.map { (text, $0) }
    }

    static let atUnsafeFunctions: Set<String> = [
        "days_in_month", "day_of_month", "day_of_week", "day_of_year", "hour", "minute", "month", "year",
        "predict_linear", "time", "timestamp", "start", "end", "range", "step",
    ]

    func pin(_ e: Expr, at ts: Int64, insideAtSubquery: Bool, unsafe: inout Bool) -> Expr {
        switch e {
        case .vectorSelector(var vs):
            if !insideAtSubquery && vs.modifiers.timestampMillis == nil && vs.modifiers.startOrEnd == nil {
                vs.modifiers.timestampMillis = ts
            }
            return .vectorSelector(vs)
        case .matrixSelector(var ms):
            ms.vectorSelector = pin(ms.vectorSelector, at: ts, insideAtSubquery: insideAtSubquery, unsafe: &unsafe)
            return .matrixSelector(ms)
        case .subquery(var sq):
            let hadAt = sq.modifiers.timestampMillis != nil || sq.modifiers.startOrEnd != nil
            if !insideAtSubquery && !hadAt { sq.modifiers.timestampMillis = ts }
            sq.expr = pin(sq.expr, at: ts, insideAtSubquery: true, unsafe: &unsafe)
            return .subquery(sq)
        case .call(var c):
            if PromQLTestRunner.atUnsafeFunctions.contains(c.function.name) { unsafe = true }
            c.args = c.args.map { pin($0, at: ts, insideAtSubquery: insideAtSubquery, unsafe: &unsafe) }
            return .call(c)
        case .aggregate(var a):
            a.expr = pin(a.expr, at: ts, insideAtSubquery: insideAtSubquery, unsafe: &unsafe)
            if let p = a.param { a.param = pin(p, at: ts, insideAtSubquery: insideAtSubquery, unsafe: &unsafe) }
            return .aggregate(a)
        case .binary(var b):
            b.lhs = pin(b.lhs, at: ts, insideAtSubquery: insideAtSubquery, unsafe: &unsafe)
            b.rhs = pin(b.rhs, at: ts, insideAtSubquery: insideAtSubquery, unsafe: &unsafe)
            return .binary(b)
        case .paren(var p):
            p.expr = pin(p.expr, at: ts, insideAtSubquery: insideAtSubquery, unsafe: &unsafe)
            return .paren(p)
        case .unary(var u):
            u.expr = pin(u.expr, at: ts, insideAtSubquery: insideAtSubquery, unsafe: &unsafe)
            return .unary(u)
        case .numberLiteral, .stringLiteral:
            return e
        }
    }

    // MARK: - load_with_nhcb

    /// Converts classic histogram series (`_bucket`/`_count`/`_sum`) to native histograms with custom buckets.
    func appendCustomBucketHistograms(_ load: PromQLTestScript.Load, to head: Head) -> String? {
        struct Temp { var buckets: [Double: Double] = [:]; var count: Double?; var sum: Double? }
        var byBase: [Labels: [Int64: Temp]] = [:]
        for (labels, values) in load.series {
            guard let name = labels.metricName else { continue }
            var base: String
            var kind: Int
            if name.hasSuffix("_bucket") { base = String(name.dropLast(7)); kind = 0 }
            else if name.hasSuffix("_count") { base = String(name.dropLast(6)); kind = 1 }
            else if name.hasSuffix("_sum") { base = String(name.dropLast(4)); kind = 2 }
            else { continue }
            var le = 0.0
            if kind == 0 {
                guard let l = labels["le"], let v = GoStrconv.parseFloat(l), !v.isNaN else { continue }
                le = v
            }
            let key = labels.removing(["le"]).setting("__name__", base)
            var t: Int64 = 0
            for v in values {
                defer { t &+= load.stepMillis }
                if v.omitted || v.histogram != nil { continue }
                var temp = byBase[key]?[t] ?? Temp()
                switch kind {
                case 0: temp.buckets[le] = v.value
                case 1: temp.count = v.value
                default: temp.sum = v.value
                }
                byBase[key, default: [:]][t] = temp
            }
        }
        for (labels, points) in byBase {
            for t in points.keys.sorted() {
                guard let temp = points[t] else { continue }
                let bounds = temp.buckets.keys.sorted()
                var custom: [Double] = []
                var counts: [Double] = []
                var prev = 0.0
                for b in bounds {
                    let cum = temp.buckets[b] ?? 0
                    if b != .infinity { custom.append(b) }
                    counts.append(cum - prev)
                    prev = cum
                }
                var h = FloatHistogram(schema: FloatHistogram.customBucketsSchema, count: temp.count ?? prev, sum: temp.sum ?? 0)
                h.customValues = custom
                if !counts.isEmpty {
                    h.positiveSpans = [FloatHistogram.Span(offset: 0, length: UInt32(counts.count))]
                    h.positiveBuckets = counts
                }
                do { _ = try head.appendHistogram(labels, t: t, h: h.compacted()) } catch { return "\(error)" }
            }
        }
        return nil
    }
}
