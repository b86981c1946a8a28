import Engine

import Locking

/// Rule expressions parsed once for a rule file: rule validation (which calls its parser from several
/// threads) fills it, and the lint model then takes the syntax trees from it instead of parsing again.
/// Thread-safe (a mutex guards the table; parsing itself runs outside the lock).
final class ExpressionCache: Sendable {
    private let parsed = SanitizedMutex<[String: Result<Expr, PromQLParseError>]>([:])

    init() {}

    /// The parse of `text` (syntax tree or error), parsing it only when it is not known yet.
    func parse(_ text: String) -> Result<Expr, PromQLParseError> {
        if let hit = lookUp(text) { return hit }
        let result = LintParsers.parse(text)
        parsed.withLock { $0[text] = result }
        return result
    }

    /// The syntax tree of `text`, nil when it does not parse.
    func expression(_ text: String) -> Expr? {
        if case .success(let e) = parse(text) { return e }
        return nil
    }

    /// How many distinct texts are known (for tests).
    var count: Int {
        parsed.withLock { $0.count }
    }

    private func lookUp(_ text: String) -> Result<Expr, PromQLParseError>? {
        parsed.withLock { $0[text] }
    }
}
