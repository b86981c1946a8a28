import ConfigModel

/// A rule group being evaluated against a head, as Prometheus's `Group.Eval` does it: rules in order, each
/// rule's samples committed before the next rule runs (so later rules see them), stale markers for series a
/// rule stopped returning, and per-rule errors kept as the rule's last error.
public struct RuleGroupEvaluator: Sendable {
    public let name: String
    /// The rule file the group came from.
    public let file: String
    public let queryOffsetMillis: Int64
    public let limit: Int
    public private(set) var rules: [LoadedRule]
    /// Per rule: the error of its last evaluation (nil when it succeeded).
    public private(set) var lastErrors: [RuleEvalError?]
    /// Per rule: the series (head refs) it wrote at its last evaluation.
    private var seriesInPreviousEval: [Set<SeriesRef>]

    public init(name: String, file: String, queryOffsetMillis: Int64, limit: Int, rules: [LoadedRule]) {
        self.name = name
        self.file = file
        self.queryOffsetMillis = queryOffsetMillis
        self.limit = limit
        self.rules = rules
        lastErrors = Array(repeating: nil, count: rules.count)
        seriesInPreviousEval = Array(repeating: [], count: rules.count)
    }

    /// Builds a group from its file model; the error is the parser's text for the first bad expression.
    public init(group: RuleGroup, file: String, parserOptions: ParserOptions, externalLabels: [String: String],
                externalURL: String) throws(PromQLParseError) {
        var rules: [LoadedRule] = []
        rules.reserveCapacity(group.rules.count)
        for r in group.rules {
            rules.append(try LoadedRule.load(r, groupLabels: group.labels, parserOptions: parserOptions,
                                             externalLabels: externalLabels, externalURL: externalURL))
        }
        self.init(name: group.nameText, file: file, queryOffsetMillis: group.queryOffset?.milliseconds ?? 0,
                  limit: group.limit, rules: rules)
    }

    /// Evaluates every rule at `time` (ms) and appends the results to the querier's head.
    public mutating func eval(at time: Int64, querier: RuleQuerier) {
        for i in rules.indices {
            let vector: [VectorSample]
            do throws(RuleEvalError) {
                switch rules[i] {
                case .recording(let r):
                    vector = try r.eval(at: time, queryOffsetMillis: queryOffsetMillis, limit: limit, querier: querier)
                case .alerting(var r):
                    defer { rules[i] = .alerting(r) }
                    vector = try r.eval(at: time, queryOffsetMillis: queryOffsetMillis, limit: limit, querier: querier)
                }
            } catch {
                lastErrors[i] = error
                continue
            }
            lastErrors[i] = nil
            var app = querier.head.appender()
            var returned: Set<SeriesRef> = []
            returned.reserveCapacity(vector.count)
            for s in vector {
                do throws(TSDBError) {
                    let ref = if let h = s.h {
                        try app.appendHistogram(s.labels, t: s.t, h: h)
                    } else {
                        try app.append(s.labels, t: s.t, v: s.f)
                    }
                    returned.insert(ref)
                } catch {
                    lastErrors[i] = RuleEvalError(error.description)
                }
            }
            for old in seriesInPreviousEval[i] where !returned.contains(old) {
                // Stale marker; out-of-order or duplicate problems are expected when another rule writes it.
                try? app.append(ref: old, t: time &- queryOffsetMillis, v: StaleNaN)
            }
            app.commit()
            seriesInPreviousEval[i] = returned
        }
    }

    /// The alerting rules' current alerts by rule index.
    public var alertingRules: [AlertingRule] {
        rules.compactMap { if case .alerting(let r) = $0 { return r } else { return nil } }
    }
}
