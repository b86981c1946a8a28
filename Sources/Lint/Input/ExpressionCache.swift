import Engine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rule expressions parsed once for a rule file: rule validation (which calls its parser from several
/// threads) fills it, and the lint model then takes the syntax trees from it instead of parsing again.
/// Thread-safe (a pthread mutex guards the table; parsing itself runs outside the lock).
final class ExpressionCache: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var parsed: [String: Result<Expr, PromQLParseError>] = [:]

    init() {
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// The parse of `text` (syntax tree or error), parsing it only when it is not known yet.
    func parse(_ text: String) -> Result<Expr, PromQLParseError> {
        if let hit = lookUp(text) { return hit }
        let result = LintParsers.parse(text)
        pthread_mutex_lock(mutex)
        parsed[text] = result
        pthread_mutex_unlock(mutex)
        return result
    }

    /// The syntax tree of `text`, nil when it does not parse.
    func expression(_ text: String) -> Expr? {
        if case .success(let e) = parse(text) { return e }
        return nil
    }

    /// How many distinct texts are known (for tests).
    var count: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return parsed.count
    }

    private func lookUp(_ text: String) -> Result<Expr, PromQLParseError>? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return parsed[text]
    }
}
