/// A rule's PromQL expression with the mapping of its byte offsets back to the rule file.
public struct ParsedExpression: Sendable {
    public var text: String
    public var locator: ExprLocator

    public init(text: String, locator: ExprLocator) {
        self.text = text
        self.locator = locator
    }
}
