import Engine

/// A rule's PromQL expression, parsed, with the mapping of its byte offsets back to the rule file.
public struct ParsedExpression: Sendable {
    public var text: String
    /// The syntax tree; nil when the expression does not parse (reported as an `input/rules` error).
    public var expr: Expr? {
        didSet { nodes = expr.map(ExprFacts.nodes) ?? [] }
    }
    public var locator: ExprLocator
    /// Every node of the tree in pre-order (`ExprFacts.nodes`), collected once for all the checks.
    public private(set) var nodes: [Expr]

    public init(text: String, expr: Expr?, locator: ExprLocator) {
        self.text = text
        self.expr = expr
        self.locator = locator
        nodes = expr.map(ExprFacts.nodes) ?? []
    }

    /// Every function call (`ExprFacts.calls` of the whole tree).
    public var calls: [Call] {
        nodes.compactMap { if case .call(let c) = $0 { return c } else { return nil } }
    }

    /// Every instant vector selector (`ExprFacts.selectors` of the whole tree).
    public var selectors: [VectorSelector] {
        nodes.compactMap { if case .vectorSelector(let v) = $0 { return v } else { return nil } }
    }

    /// True when some aggregation occurs anywhere in the tree.
    public var aggregates: Bool {
        nodes.contains { if case .aggregate = $0 { return true } else { return false } }
    }

    /// The file span of an AST byte range.
    public func range(_ p: PositionRange) -> SourceRange { locator.range(start: p.start, end: p.end) }
}
