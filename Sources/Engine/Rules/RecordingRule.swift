/// A recording rule: evaluates its expression and renames the result (`RecordingRule.Eval`).
public struct RecordingRule: Sendable {
    /// The recorded metric name.
    public let name: String
    public let expr: Expr
    /// The group's and the rule's labels (the rule's win), set on every result sample.
    public let labels: Labels

    public init(name: String, expr: Expr, labels: Labels) {
        self.name = name
        self.expr = expr
        self.labels = labels
    }

    /// The samples to record at `time` (ms), queried at `time - queryOffset`; errors are Prometheus's.
    public func eval(at time: Int64, queryOffsetMillis: Int64, limit: Int, querier: RuleQuerier) throws(RuleEvalError) -> [VectorSample] {
        var vector = try querier.vector(expr, at: time &- queryOffsetMillis)
        var seen: Set<Labels> = []
        seen.reserveCapacity(vector.count)
        for i in vector.indices {
            var renamed = vector[i].labels.setting("__name__", name)
            for l in labels.labels { renamed = renamed.setting(l.name, l.value) }
            vector[i].labels = renamed
            vector[i].dropName = false
            guard seen.insert(renamed).inserted else { throw .duplicateRecordingLabelSet }
        }
        if limit > 0 && vector.count > limit {
            throw RuleEvalError("exceeded limit of \(limit) with \(vector.count) series")
        }
        return vector
    }
}
