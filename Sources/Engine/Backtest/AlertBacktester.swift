import ConfigModel

/// Replays rule groups over a past time range (`query backtest`): every group is evaluated by
/// `RuleGroupEvaluator` (the same evaluator `test rules` uses, with `for` and `keep_firing_for`) at its own
/// interval from `start` to `end`, groups interleaved in time order, and every alert instance's changes of
/// state are recorded as they happen.
public struct AlertBacktester: Sendable {
    /// A rule that failed to evaluate: the first failure and how often it failed.
    public struct EvalFailure: Sendable, Equatable {
        public var file: String
        public var group: String
        public var rule: String
        /// The first failing evaluation (ms).
        public var firstTime: Int64
        public var message: String
        public var count: Int
    }

    /// What a run found: alert instances ordered by alert name then labels, and failing rules in file order.
    public struct Outcome: Sendable {
        public var alerts: [AlertHistory]
        public var failures: [EvalFailure]
    }

    /// Too many evaluations for the range (a mistyped `--start` would otherwise run for days).
    public struct TooManyEvaluations: Error, Sendable {
        public var message: String
    }

    /// Prometheus's default `evaluation_interval`, used for groups without `interval:`.
    public static let defaultIntervalMillis: Int64 = 60_000
    /// The most evaluations (over all groups) one run may make.
    public static let maxEvaluations = 2_000_000

    public private(set) var groups: [RuleGroupEvaluator]
    /// Per group: its evaluation interval (ms, > 0).
    public let intervals: [Int64]

    /// Builds evaluators for `groups` (already checked as `check rules` does); the error is the parser's.
    public init(groups: [(file: String, group: RuleGroup)], defaultIntervalMillis: Int64 = defaultIntervalMillis,
                parserOptions: ParserOptions) throws(PromQLParseError) {
        var evaluators: [RuleGroupEvaluator] = []
        var intervals: [Int64] = []
        for (file, g) in groups {
            evaluators.append(try RuleGroupEvaluator(group: g, file: file, parserOptions: parserOptions, externalLabels: [:], externalURL: ""))
            let interval = g.interval?.milliseconds ?? 0
            intervals.append(interval > 0 ? interval : max(defaultIntervalMillis, 1))
        }
        self.init(evaluators: evaluators, intervals: intervals)
    }

    /// Runs already built evaluators; `intervals` (ms, one per evaluator) below 1 ms become 1 ms.
    public init(evaluators: [RuleGroupEvaluator], intervals: [Int64]) {
        groups = evaluators
        self.intervals = evaluators.indices.map { $0 < intervals.count ? max(intervals[$0], 1) : Self.defaultIntervalMillis }
    }

    /// Every expression of every rule (recording rules included), for finding the data a run needs.
    public var expressions: [Expr] {
        groups.flatMap { g in
            g.rules.map { r -> Expr in
                switch r {
                case .alerting(let a): return a.expr
                case .recording(let rec): return rec.expr
                }
            }
        }
    }

    /// The metric names the groups' recording rules write (their data comes from the run, not the input).
    public var recordedNames: Set<String> {
        Set(groups.flatMap { g in g.rules.compactMap { if case .recording(let r) = $0 { return r.name } else { return nil } } })
    }

    /// The largest query offset of any group (ms).
    public var maxQueryOffsetMillis: Int64 { groups.map(\.queryOffsetMillis).max() ?? 0 }

    /// The window each rule's selectors read over a run from `start` to `end` (ms): for every selector
    /// occurrence, the hull of its windows (`Expr.selectorTimeRanges`) over the group's evaluations, each an
    /// instant query at the evaluation time minus the group's query offset. A window moves with the
    /// evaluation time or stays fixed (`@`), so the hull of the first and last evaluation's windows is exact.
    public func selectorTimeRanges(start: Int64, end: Int64, lookbackMillis: Int64) -> [SelectorTimeRange] {
        guard end >= start else { return [] }
        var out: [SelectorTimeRange] = []
        for (g, group) in groups.enumerated() {
            let interval = intervals[g]
            let last = start.addingReportingOverflow((end.subtractingReportingOverflow(start).partialValue / interval) * interval).partialValue
            let first = start.subtractingReportingOverflow(group.queryOffsetMillis).partialValue
            let final = last.subtractingReportingOverflow(group.queryOffsetMillis).partialValue
            for rule in group.rules {
                let expr: Expr
                switch rule {
                case .alerting(let a): expr = a.expr
                case .recording(let r): expr = r.expr
                }
                let a = expr.selectorTimeRanges(start: first, end: first, stepMillis: 0, lookbackMillis: lookbackMillis)
                let b = expr.selectorTimeRanges(start: final, end: final, stepMillis: 0, lookbackMillis: lookbackMillis)
                for (x, y) in zip(a, b) {
                    out.append(SelectorTimeRange(selector: x.selector, mint: min(x.mint, y.mint), maxt: max(x.maxt, y.maxt)))
                }
            }
        }
        return out
    }

    /// Throws when a run over [start, end] would make more than `maxEvaluations` evaluations (checked before
    /// any data is fetched for it, too).
    public func checkEvaluationCount(start: Int64, end: Int64) throws(TooManyEvaluations) {
        let count = evaluationCount(start: start, end: end)
        guard count <= Self.maxEvaluations else {
            throw TooManyEvaluations(message: "the range needs \(count) rule group evaluations; at most \(Self.maxEvaluations) are allowed (shorten --start..--end)")
        }
    }

    /// The number of evaluations a run over [start, end] makes.
    public func evaluationCount(start: Int64, end: Int64) -> Int {
        guard end >= start else { return 0 }
        var total = 0
        for interval in intervals {
            let span = end.subtractingReportingOverflow(start)
            guard !span.overflow else { return Int.max }
            total = total.addingReportingOverflow(Int(span.partialValue / interval) + 1).partialValue
        }
        return total
    }

    /// Evaluates every group at `start`, `start + interval`, … up to `end` (ms) against the querier's head
    /// (which receives the rules' samples, as Prometheus's storage does).
    public mutating func run(querier: RuleQuerier, start: Int64, end: Int64) throws(TooManyEvaluations) -> Outcome {
        try checkEvaluationCount(start: start, end: end)
        struct Key: Hashable {
            var group: Int
            var rule: Int
            var labels: Labels
        }
        var histories: [Key: AlertHistory] = [:]
        var failures: [Int: [Int: EvalFailure]] = [:]
        var next = Array(repeating: start, count: groups.count)
        while true {
            // The group due first (the earlier one in file order on a tie).
            var due: Int?
            for g in next.indices where next[g] <= end {
                if let d = due, next[d] <= next[g] { continue }
                due = g
            }
            guard let g = due else { break }
            let t = next[g]
            let (following, overflow) = t.addingReportingOverflow(intervals[g])
            next[g] = overflow ? Int64.max : following
            groups[g].eval(at: t, querier: querier)

            for (ri, rule) in groups[g].rules.enumerated() {
                if let err = groups[g].lastErrors[ri] {
                    if var f = failures[g]?[ri] {
                        f.count += 1
                        failures[g]?[ri] = f
                    } else {
                        failures[g, default: [:]][ri] = EvalFailure(file: groups[g].file, group: groups[g].name, rule: rule.name,
                                                                    firstTime: t, message: err.message, count: 1)
                    }
                }
                guard case .alerting(let alerting) = rule else { continue }
                for (labels, alert) in alerting.active {
                    let key = Key(group: g, rule: ri, labels: labels)
                    let state: AlertHistory.Transition.State = switch alert.state {
                    case .pending: .pending
                    case .firing: .firing
                    case .inactive: .resolved
                    }
                    if var h = histories[key] {
                        if h.transitions.last?.state != state {
                            h.transitions.append(.init(state, at: t))
                            histories[key] = h
                        }
                    } else if state != .resolved {
                        histories[key] = AlertHistory(alertname: alerting.name, labels: labels, transitions: [.init(state, at: t)])
                    }
                }
                // A pending alert whose expression stopped returning it is dropped by the rule, not resolved.
                for (key, var h) in histories where key.group == g && key.rule == ri && alerting.active[key.labels] == nil {
                    if h.transitions.last?.state != .resolved {
                        h.transitions.append(.init(.resolved, at: t))
                        histories[key] = h
                    }
                }
            }
        }
        let alerts = histories.values.sorted { a, b in
            a.alertname != b.alertname ? a.alertname < b.alertname : a.labels < b.labels
        }
        let failed = failures.keys.sorted().flatMap { g in (failures[g] ?? [:]).keys.sorted().compactMap { failures[g]?[$0] } }
        return Outcome(alerts: alerts, failures: failed)
    }
}
