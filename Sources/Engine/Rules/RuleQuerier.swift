/// Runs rule and template queries on a head: Prometheus's `EngineQueryFunc` (an instant query whose scalar
/// result becomes a one-sample vector without labels; other types are an error).
public struct RuleQuerier: Sendable {
    public var engine: PromQLEngine
    public var head: Head

    public init(engine: PromQLEngine, head: Head) {
        self.engine = engine
        self.head = head
    }

    /// Evaluates a parsed expression at `time` (ms).
    public func vector(_ expr: Expr, at time: Int64) throws(RuleEvalError) -> [VectorSample] {
        let result: QueryResult
        do {
            result = try engine.instantQuery(expr, at: time, source: head)
        } catch {
            throw RuleEvalError(error.message)
        }
        return try Self.asVector(result.value)
    }

    /// Parses and evaluates `query` at `time` (ms); parse errors read as Prometheus prints them.
    public func vector(_ query: String, at time: Int64) throws(RuleEvalError) -> [VectorSample] {
        let expr: Expr
        do {
            expr = try PromQLParser.parse(query, options: engine.options.parserOptions)
        } catch {
            throw RuleEvalError(error.description)
        }
        return try vector(expr, at: time)
    }

    /// The `query` template function evaluated at `time` on this head.
    public func templateQuery(at time: Int64) -> TemplateQueryFunction {
        let querier = self
        return { query in
            try querier.vector(query, at: time).map { s in
                var labels: [String: String] = [:]
                for l in s.labels.labels { labels[l.name] = l.value }
                return QueryResultSample(labels: labels, value: s.f)
            }
        }
    }

    static func asVector(_ value: QueryValue) throws(RuleEvalError) -> [VectorSample] {
        switch value {
        case .vector(let v): return v
        case .scalar(let t, let v): return [VectorSample(labels: Labels(), t: t, f: v)]
        default: throw RuleEvalError("rule result is not a vector or scalar")
        }
    }
}
