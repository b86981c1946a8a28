/// Where the evaluator reads series from (the TSDB head, or anything shaped like it).
public protocol SeriesSource: Sendable {
    func select(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [Series]
    /// Start timestamps (sample time → start time, ms) of a series' samples, when the source keeps them.
    func startTimestamps(for labels: Labels) -> [Int64: Int64]?
}

extension SeriesSource {
    public func startTimestamps(for labels: Labels) -> [Int64: Int64]? { nil }
}

/// A series source with a side table of per-sample start timestamps (what OTLP-style ingestion records and
/// `@st` lines of promqltest scripts describe); the TSDB head itself does not store them.
public struct StartTimestampedSource<Base: SeriesSource>: SeriesSource {
    public var base: Base
    /// Per series: sample time → start timestamp (ms).
    public var table: [Labels: [Int64: Int64]]

    public init(base: Base, table: [Labels: [Int64: Int64]]) {
        self.base = base
        self.table = table
    }

    public func select(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [Series] {
        base.select(matchers, mint: mint, maxt: maxt)
    }

    public func startTimestamps(for labels: Labels) -> [Int64: Int64]? { table[labels] }
}

extension Head: SeriesSource {}

/// Engine settings; defaults are Prometheus's server defaults.
public struct EngineOptions: Sendable {
    /// How far back an instant selector looks for a sample (5 m).
    public var lookbackDeltaMillis: Int64 = 300_000
    /// Most samples a query may hold at once (`--query.max-samples`).
    public var maxSamples: Int = 50_000_000
    /// Subquery step when none is given (the global evaluation interval).
    public var defaultSubqueryStepMillis: Int64 = 60_000
    /// Drop `__name__` at the end of the query instead of at each function (`promql-delayed-name-removal`).
    public var delayedNameRemoval = false
    /// Parser feature flags.
    public var parserOptions = ParserOptions()

    public init() {}

    /// The configuration upstream's promqltest run uses (shared/reference/promtool-behaviour.md).
    public static var promqlTest: EngineOptions {
        var o = EngineOptions()
        o.maxSamples = 10_000
        o.delayedNameRemoval = true
        o.parserOptions = ParserOptions.allEnabled
        return o
    }
}

/// Evaluates PromQL expressions against a series source with Prometheus 3.14 semantics.
public struct PromQLEngine: Sendable {
    public var options: EngineOptions

    public init(options: EngineOptions = EngineOptions()) { self.options = options }

    /// Parses and evaluates `query` at `time` (ms).
    public func instantQuery(_ query: String, at time: Int64, source: some SeriesSource) throws -> QueryResult {
        let expr = try PromQLParser.parse(query, options: options.parserOptions)
        return try instantQuery(expr, at: time, source: source)
    }

    /// Evaluates a parsed expression at `time` (ms).
    public func instantQuery(_ expr: Expr, at time: Int64, source: some SeriesSource) throws(PromQLEvalError) -> QueryResult {
        let time = clampTime(time)
        let ctx = EvalContext(options: options, queryStart: time, queryEnd: time, source: source)
        ctx.statsSelectors = Evaluator.histogramStatsSelectors(expr)
        let ev = Evaluator(ctx: ctx, start: time, end: time, interval: 0)
        let value = try ev.evaluateTopLevel(expr, instant: true)
        return QueryResult(value: value, warnings: ctx.annotations.warnings, infos: ctx.annotations.infos)
    }

    /// Parses and evaluates `query` over `[start, end]` every `step` ms.
    public func rangeQuery(_ query: String, start: Int64, end: Int64, step: Int64, source: some SeriesSource) throws -> QueryResult {
        let expr = try PromQLParser.parse(query, options: options.parserOptions)
        return try rangeQuery(expr, start: start, end: end, step: step, source: source)
    }

    /// Evaluates a parsed expression over `[start, end]` every `step` ms; the result is a matrix (or scalar/string errors).
    public func rangeQuery(_ expr: Expr, start: Int64, end: Int64, step: Int64, source: some SeriesSource) throws(PromQLEvalError) -> QueryResult {
        guard step > 0 else {
            throw PromQLEvalError("zero or negative query resolution step widths are not accepted. Try a positive integer")
        }
        guard end >= start else { throw PromQLEvalError("end timestamp must not be before start time") }
        let start = clampTime(start), end = clampTime(end)
        if (end - start) / step > 11_000 {
            throw PromQLEvalError("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
        }
        switch expr.type {
        case .scalar, .vector: break
        default:
            throw PromQLEvalError("invalid expression type \"\(expr.type.documented)\" for range query, must be Scalar or instant Vector")
        }
        let ctx = EvalContext(options: options, queryStart: start, queryEnd: end, source: source)
        ctx.statsSelectors = Evaluator.histogramStatsSelectors(expr)
        let ev = Evaluator(ctx: ctx, start: start, end: end, interval: step)
        let value = try ev.evaluateTopLevel(expr, instant: false)
        return QueryResult(value: value, warnings: ctx.annotations.warnings, infos: ctx.annotations.infos)
    }
}

/// State shared by an evaluation and its sub-evaluations (subqueries).
final class EvalContext {
    let options: EngineOptions
    let queryStart: Int64
    let queryEnd: Int64
    let source: any SeriesSource
    let annotations = Annotations()
    /// Samples held by the node being evaluated, against `options.maxSamples`.
    var currentSamples = 0
    /// Selectors read only for histogram count/sum (Prometheus decodes those through its stats iterator, which
    /// derives counter-reset hints from consecutive samples).
    var statsSelectors: Set<PositionRange> = []

    init(options: EngineOptions, queryStart: Int64, queryEnd: Int64, source: any SeriesSource) {
        self.options = options
        self.queryStart = queryStart
        self.queryEnd = queryEnd
        self.source = source
    }

    func addSamples(_ n: Int) throws(PromQLEvalError) {
        currentSamples &+= n
        if currentSamples > options.maxSamples {
            throw PromQLEvalError("query processing would load too many samples into memory in query execution")
        }
    }
}
