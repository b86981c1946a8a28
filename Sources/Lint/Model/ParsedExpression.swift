import Engine

/// A rule's PromQL expression, parsed, with the mapping of its byte offsets back to the rule file.
public struct ParsedExpression: Sendable {
    public var text: String
    /// The syntax tree; nil when the expression does not parse (reported as an `input/rules` error).
    public var expr: Expr?
    public var locator: ExprLocator

    public init(text: String, expr: Expr?, locator: ExprLocator) {
        self.text = text
        self.expr = expr
        self.locator = locator
    }

    /// The file span of an AST byte range.
    public func range(_ p: PositionRange) -> SourceRange { locator.range(start: p.start, end: p.end) }
}
