/// `promtool promql label-matchers set|delete`: rewrites the label matchers of every vector selector in an
/// expression (those inside range selectors and subqueries too), as promtool 3.14 does.
public enum LabelMatcherEditing {
    /// Parses `query`, then in every vector selector sets the matchers named `name` to `type` and `value`,
    /// or appends one when the selector has none. The result prints with `prettyPrint()`.
    ///
    /// As promtool, the value is not checked: a regex type with an invalid pattern is written as given.
    public static func set(_ query: String, name: String, type: LabelMatcher.MatchType, value: String,
                           options: ParserOptions = ParserOptions()) throws(PromQLParseError) -> Expr {
        let expr = try PromQLParser.parse(query, options: options)
        let matcher = LabelMatcher(unvalidated: type, name, value)
        return expr.mappingVectorSelectors { vs in
            var found = false
            for i in vs.matchers.indices where vs.matchers[i].name == name {
                vs.matchers[i] = matcher
                found = true
            }
            if !found { vs.matchers.append(matcher) }
        }
    }

    /// Parses `query`, then removes the matchers named `name` from every vector selector.
    ///
    /// promtool removes them while ranging over the matchers it is shortening, so of two adjacent matchers
    /// with the same name only the first goes; that is reproduced (`removingLikeGoLoop`).
    public static func delete(_ query: String, name: String,
                              options: ParserOptions = ParserOptions()) throws(PromQLParseError) -> Expr {
        let expr = try PromQLParser.parse(query, options: options)
        return expr.mappingVectorSelectors { vs in
            vs.matchers = removingLikeGoLoop(vs.matchers) { $0.name == name }
        }
    }

    /// Go's `for i, l := range s { if match(l) { s = append(s[:i], s[i+1:]...) } }`: the range reads the
    /// original backing array (which each removal shifts left) at the original indices. Where Go's slicing
    /// would go out of bounds (a panic in promtool), the remaining matches are simply removed.
    static func removingLikeGoLoop(_ original: [LabelMatcher], _ match: (LabelMatcher) -> Bool) -> [LabelMatcher] {
        var backing = original
        var length = original.count
        for i in 0..<original.count {
            let element = backing[i]
            guard match(element) else { continue }
            guard i < length else {
                return Array(backing[0..<length]).filter { !match($0) }
            }
            // append(s[:i], s[i+1:]...): shift the tail left by one inside the backing array.
            var j = i
            while j + 1 < length {
                backing[j] = backing[j + 1]
                j += 1
            }
            length -= 1
        }
        return Array(backing[0..<length])
    }
}

extension LabelMatcher {
    /// A matcher whose regex need not compile (it then matches nothing): for rewriting queries, where the
    /// value is only printed.
    init(unvalidated type: MatchType, _ name: String, _ value: String) {
        if let checked = try? LabelMatcher(type, name, value) {
            self = checked
        } else {
            self.type = type
            self.name = name
            self.value = value
            self.invalidUTF8Bytes = nil
            self.regexp = nil
        }
    }
}

extension Expr {
    /// This expression with `edit` applied to every vector selector (on a large stack: the tree may be as
    /// deep as the parser allows).
    func mappingVectorSelectors(_ edit: @escaping @Sendable (inout VectorSelector) -> Void) -> Expr {
        let root = self
        return LargeStack.run { root.mapSelectors(edit) }
    }

    private func mapSelectors(_ edit: (inout VectorSelector) -> Void) -> Expr {
        switch self {
        case .vectorSelector(var vs):
            edit(&vs)
            return .vectorSelector(vs)
        case .matrixSelector(var m):
            m.vectorSelector = m.vectorSelector.mapSelectors(edit)
            return .matrixSelector(m)
        case .subquery(var s):
            s.expr = s.expr.mapSelectors(edit)
            return .subquery(s)
        case .aggregate(var a):
            a.expr = a.expr.mapSelectors(edit)
            a.param = a.param?.mapSelectors(edit)
            return .aggregate(a)
        case .binary(var b):
            b.lhs = b.lhs.mapSelectors(edit)
            b.rhs = b.rhs.mapSelectors(edit)
            return .binary(b)
        case .call(var c):
            c.args = c.args.map { $0.mapSelectors(edit) }
            return .call(c)
        case .paren(var p):
            p.expr = p.expr.mapSelectors(edit)
            return .paren(p)
        case .unary(var u):
            u.expr = u.expr.mapSelectors(edit)
            return .unary(u)
        case .numberLiteral, .stringLiteral:
            return self
        }
    }
}
