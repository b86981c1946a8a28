import Engine

/// Questions the PromQL checks ask of expressions.
public enum ExprFacts {
    /// Functions whose range argument should span several scrapes.
    public static let rangeFunctions: Set<String> = [
        "rate", "irate", "increase", "deriv", "delta", "idelta", "changes", "resets", "predict_linear",
        "avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time",
        "quantile_over_time", "stddev_over_time", "stdvar_over_time", "last_over_time", "first_over_time",
        "present_over_time", "absent_over_time", "mad_over_time", "double_exponential_smoothing",
        "ts_of_first_over_time", "ts_of_max_over_time", "ts_of_min_over_time", "ts_of_last_over_time",
    ]

    /// Functions meant for counters.
    public static let counterFunctions: Set<String> = ["rate", "irate", "increase"]

    /// Every node of the tree (pre-order).
    public static func nodes(_ expr: Expr) -> [Expr] {
        var out: [Expr] = []
        expr.walk { out.append($0); return true }
        return out
    }

    /// Every function call.
    public static func calls(_ expr: Expr) -> [Call] {
        nodes(expr).compactMap { if case .call(let c) = $0 { return c } else { return nil } }
    }

    /// Every instant vector selector (including those inside range selectors).
    public static func selectors(_ expr: Expr) -> [VectorSelector] {
        nodes(expr).compactMap { if case .vectorSelector(let v) = $0 { return v } else { return nil } }
    }

    /// The range selector argument of a call, if its argument is one.
    public static func matrixArgument(_ c: Call) -> MatrixSelector? {
        for a in c.args {
            if case .matrixSelector(let m) = a.unwrappingParens { return m }
        }
        return nil
    }

    /// Labels that say where a series comes from rather than what state it reports.
    static let identityLabels: Set<String> = [
        "__name__", "job", "instance", "namespace", "cluster", "pod", "container", "node", "service",
        "endpoint", "env", "environment", "region", "zone", "prometheus", "exported_job", "exported_instance",
        "exported_namespace", "app", "component",
    ]

    /// True when the selector's label matcher is itself the condition: on an info-style metric (value
    /// always 1, such as `node_network_info{operstate="down"}` or `…_metadata{allow_any_host="yes"}`) or
    /// on `ALERTS`, a series exists only while the matched state holds.
    public static func matcherIsCondition(_ vs: VectorSelector) -> Bool {
        guard let name = metricName(vs) else { return false }
        let infoStyle = name.hasSuffix("_info") || name.contains("_info_") || name.hasSuffix("_metadata")
            || name == "ALERTS" || name == "ALERTS_FOR_STATE"
        return infoStyle && vs.matchers.contains { !identityLabels.contains($0.name) }
    }

    /// True when the expression returns series only when something is wrong: a comparison without
    /// `bool`, `and`/`unless`, `absent()`, a selector whose matcher is the condition
    /// (`matcherIsCondition`), or something computed from such a filter.
    public static func filters(_ expr: Expr, depth: Int = 0) -> Bool {
        guard depth < 500 else { return true }
        switch expr {
        case .binary(let b):
            if b.op.isComparison {
                if !b.returnBool { return true }
                return false
            }
            switch b.op {
            case .and, .unless: return true
            case .or: return filters(b.lhs, depth: depth + 1) && filters(b.rhs, depth: depth + 1)
            default:
                let lv = b.lhs.type == .vector, rv = b.rhs.type == .vector
                return (lv && filters(b.lhs, depth: depth + 1)) || (rv && filters(b.rhs, depth: depth + 1))
            }
        case .call(let c):
            if c.function.name == "absent" || c.function.name == "absent_over_time" { return true }
            return c.args.contains { filters($0, depth: depth + 1) }
        case .aggregate(let a):
            return filters(a.expr, depth: depth + 1)
        case .paren(let p): return filters(p.expr, depth: depth + 1)
        case .unary(let u): return filters(u.expr, depth: depth + 1)
        case .subquery(let s): return filters(s.expr, depth: depth + 1)
        case .vectorSelector(let vs):
            return matcherIsCondition(vs)
        case .matrixSelector, .numberLiteral, .stringLiteral:
            return false
        }
    }

    /// The metric name a selector selects by equality, if any.
    public static func metricName(_ vs: VectorSelector) -> String? {
        if !vs.name.isEmpty { return vs.name }
        return vs.matchers.first { $0.name == "__name__" && $0.type == .equal }?.value
    }

    /// True when some aggregation occurs anywhere in the expression.
    public static func aggregates(_ expr: Expr) -> Bool {
        nodes(expr).contains { if case .aggregate = $0 { return true } else { return false } }
    }
}
