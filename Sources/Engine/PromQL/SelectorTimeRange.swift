/// The samples one vector selector of an expression reads when the expression is evaluated over a time
/// range: Prometheus's `getTimeRangesForSelector` (what `FindMinMaxTime` takes the hull of), per selector.
///
/// Used to fetch exactly the data an evaluation needs from elsewhere (`query backtest SERVER`): the window
/// accounts for the lookback delta, ranges, offsets, `@` timestamps, subqueries (their ranges and offsets
/// add up; an `@` on a subquery resets what enclosing subqueries added), `anchored`/`smoothed` selectors, and
/// duration expressions (`[5m+1m]`, `offset (1h*2)`, `step()`, `range()`), which are evaluated as the
/// evaluator evaluates them. Like Prometheus's, the window ignores subquery step alignment (which only
/// narrows what is read), so it may be wider than needed but never narrower.
public struct SelectorTimeRange: Sendable, Hashable {
    public var selector: VectorSelector
    /// First and last sample time (ms, inclusive) the selector may read.
    public var mint: Int64
    public var maxt: Int64

    public init(selector: VectorSelector, mint: Int64, maxt: Int64) {
        self.selector = selector
        self.mint = mint
        self.maxt = maxt
    }
}

extension Expr {
    /// The window of every vector selector (in source order) when this expression is evaluated from `start`
    /// to `end` (ms) every `stepMillis` (0 for an instant query, where `start == end`). `@ start()` and
    /// `@ end()` resolve to `start` and `end`, as in the evaluator; a duration expression that fails to
    /// evaluate (the query fails anyway) counts as 0.
    public func selectorTimeRanges(start: Int64, end: Int64, stepMillis: Int64, lookbackMillis: Int64) -> [SelectorTimeRange] {
        let stepSeconds = Double(stepMillis) / 1000, rangeSeconds = Double(end &- start) / 1000
        func millis(_ fixed: Int64, _ expr: DurationExpr?, negative: Bool) -> Int64 {
            guard let expr else { return fixed }
            return (try? expr.milliseconds(step: stepSeconds, range: rangeSeconds, allowNegative: negative)) ?? 0
        }
        func at(_ m: TimeModifiers) -> Int64? {
            if let t = m.timestampMillis { return t }
            switch m.startOrEnd {
            case .start?: return start
            case .end?: return end
            case nil: return nil
            }
        }
        /// What the enclosing subqueries contribute (Prometheus's `subqueryTimes`), and the enclosing range.
        struct Context { var offset: Int64 = 0; var range: Int64 = 0; var at: Int64?; var evalRange: Int64 = 0 }
        var out: [SelectorTimeRange] = []
        var stack: [(Expr, Context)] = [(self, Context())]
        while let (e, c) = stack.popLast() {
            switch e {
            case .vectorSelector(let vs):
                var lo = c.at ?? start, hi = c.at ?? end
                if let t = at(vs.modifiers) {
                    lo = t
                    hi = t
                } else {
                    lo = lo.sat(minus: c.offset).sat(minus: c.range)
                    hi = hi.sat(minus: c.offset)
                }
                let lookback = max(0, lookbackMillis)
                if c.evalRange == 0 {
                    lo = lo.sat(minus: lookback.sat(minus: 1))
                    if vs.smoothed { hi = hi.sat(plus: lookback) }
                } else if vs.anchored || vs.smoothed {
                    lo = lo.sat(minus: lookback.sat(plus: c.evalRange).sat(minus: 1))
                    if vs.smoothed { hi = hi.sat(plus: lookback) }
                } else {
                    lo = lo.sat(minus: c.evalRange.sat(minus: 1))
                }
                let offset = millis(vs.modifiers.offsetMillis, vs.modifiers.offsetExpr, negative: true)
                out.append(SelectorTimeRange(selector: vs, mint: lo.sat(minus: offset), maxt: hi.sat(minus: offset)))
            case .matrixSelector(let m):
                var inner = c
                inner.evalRange = millis(m.rangeMillis, m.rangeExpr, negative: false)
                stack.append((m.vectorSelector, inner))
            case .subquery(let s):
                var inner = c
                let offset = millis(s.modifiers.offsetMillis, s.modifiers.offsetExpr, negative: true)
                let range = millis(s.rangeMillis, s.rangeExpr, negative: false)
                if let t = at(s.modifiers) {
                    inner.offset = offset
                    inner.range = range
                    inner.at = t
                } else {
                    inner.offset = c.offset.sat(plus: offset)
                    inner.range = c.range.sat(plus: range)
                }
                inner.evalRange = 0
                stack.append((s.expr, inner))
            default:
                var inner = c
                inner.evalRange = 0
                for child in e.children.reversed() { stack.append((child, inner)) }
            }
        }
        return out
    }
}

extension Int64 {
    /// Saturating arithmetic for windows computed from input-derived durations.
    fileprivate func sat(plus d: Int64) -> Int64 {
        let (r, o) = addingReportingOverflow(d)
        return o ? (d > 0 ? .max : .min) : r
    }

    fileprivate func sat(minus d: Int64) -> Int64 {
        let (r, o) = subtractingReportingOverflow(d)
        return o ? (d > 0 ? .min : .max) : r
    }
}
