import Engine

/// What is known about the labels of an expression's result series.
public enum OutputLabels: Sendable, Equatable {
    /// Exactly these labels at most (e.g. after `sum by (job)`).
    case only(Set<String>)
    /// Whatever the input had, except these (e.g. after `sum without (instance)`, or `__name__` after `rate`).
    case allExcept(Set<String>)

    /// True when series of this result can never carry `label`.
    public func definitelyLacks(_ label: String) -> Bool {
        switch self {
        case .only(let s): return !s.contains(label)
        case .allExcept(let s): return s.contains(label)
        }
    }

    func removing(_ labels: Set<String>) -> OutputLabels {
        switch self {
        case .only(let s): return .only(s.subtracting(labels))
        case .allExcept(let s): return .allExcept(s.union(labels))
        }
    }

    func adding(_ labels: Set<String>) -> OutputLabels {
        switch self {
        case .only(let s): return .only(s.union(labels))
        case .allExcept(let s): return .allExcept(s.subtracting(labels))
        }
    }

    func keeping(_ labels: Set<String>) -> OutputLabels {
        switch self {
        case .only(let s): return .only(s.intersection(labels))
        case .allExcept(let s): return .only(labels.subtracting(s))
        }
    }

    /// Labels either side may have (for `or`).
    func union(_ o: OutputLabels) -> OutputLabels {
        switch (self, o) {
        case (.only(let a), .only(let b)): return .only(a.union(b))
        case (.allExcept(let a), .allExcept(let b)): return .allExcept(a.intersection(b))
        case (.only(let a), .allExcept(let b)), (.allExcept(let b), .only(let a)): return .allExcept(b.subtracting(a))
        }
    }

    static let all = OutputLabels.allExcept([])
    static let none = OutputLabels.only([])

    /// The labels `expr`'s result can have, following Prometheus's rules for each operator.
    public static func of(_ expr: Expr, depth: Int = 0) -> OutputLabels {
        guard depth < 500 else { return .all }
        switch expr {
        case .vectorSelector, .matrixSelector:
            return .all
        case .subquery(let s):
            return of(s.expr, depth: depth + 1)
        case .paren(let p):
            return of(p.expr, depth: depth + 1)
        case .unary(let u):
            return of(u.expr, depth: depth + 1).removing(["__name__"])
        case .numberLiteral, .stringLiteral:
            return .none
        case .aggregate(let a):
            let inner = of(a.expr, depth: depth + 1)
            switch a.op {
            case .topk, .bottomk, .limitk, .limitRatio:
                return inner
            case .countValues:
                var extra: Set<String> = []
                if case .stringLiteral(let s)? = a.param.map({ $0.unwrappingParens }) { extra.insert(s.value) }
                let grouped = a.without ? inner.removing(Set(a.grouping).union(["__name__"]))
                    : inner.keeping(Set(a.grouping))
                return grouped.adding(extra)
            default:
                return a.without ? inner.removing(Set(a.grouping).union(["__name__"])) : inner.keeping(Set(a.grouping))
            }
        case .call(let c):
            return call(c, depth: depth)
        case .binary(let b):
            return binary(b, depth: depth)
        }
    }

    static func call(_ c: Call, depth: Int) -> OutputLabels {
        let name = c.function.name
        switch name {
        case "vector", "time", "pi", "scalar":
            return .none
        case "absent", "absent_over_time":
            // Only the equality matchers' labels (other than the name) survive.
            var labels: Set<String> = []
            var target = c.args.first?.unwrappingParens
            if case .matrixSelector(let m)? = target { target = m.vectorSelector }
            if case .vectorSelector(let vs)? = target {
                for m in vs.matchers where m.type == .equal && m.name != "__name__" { labels.insert(m.name) }
            }
            return .only(labels)
        case "label_replace", "label_join":
            var base = c.args.first.map { of($0, depth: depth + 1) } ?? .all
            if c.args.count > 1, case .stringLiteral(let dst) = c.args[1].unwrappingParens { base = base.adding([dst.value]) }
            return base
        case "histogram_quantile", "histogram_fraction":
            let arg = c.args.last.map { of($0, depth: depth + 1) } ?? .all
            return arg.removing(["le", "__name__"])
        case "sort", "sort_desc", "sort_by_label", "sort_by_label_desc", "last_over_time", "first_over_time":
            return c.args.first.map { of($0, depth: depth + 1) } ?? .all
        default:
            // Functions keep the input's labels and drop the metric name.
            guard let arg = c.args.first(where: { $0.type == .vector || $0.type == .matrix }) else { return .none }
            return of(arg, depth: depth + 1).removing(["__name__"])
        }
    }

    static func binary(_ b: BinaryExpr, depth: Int) -> OutputLabels {
        let lhs = of(b.lhs, depth: depth + 1)
        let rhs = of(b.rhs, depth: depth + 1)
        let lv = b.lhs.type == .vector, rv = b.rhs.type == .vector
        if !lv && !rv { return .none }
        let dropsName = !(b.op.isComparison && !b.returnBool) && !b.op.isSetOperator
        func named(_ l: OutputLabels) -> OutputLabels { dropsName ? l.removing(["__name__"]) : l }
        if lv && !rv { return named(lhs) }
        if rv && !lv { return named(rhs) }
        switch b.op {
        case .or: return lhs.union(rhs)
        case .and, .unless: return lhs
        default: break
        }
        guard let m = b.matching else { return named(lhs) }
        switch m.card {
        case .oneToOne:
            return named(m.on ? lhs.keeping(Set(m.matchingLabels)) : lhs.removing(Set(m.matchingLabels)))
        case .manyToOne:
            return named(lhs.adding(Set(m.include)))
        case .oneToMany:
            return named(rhs.adding(Set(m.include)))
        case .manyToMany:
            return lhs
        }
    }
}
