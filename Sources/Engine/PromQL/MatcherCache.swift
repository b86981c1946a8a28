#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A process-wide cache of compiled regex label matchers (Prometheus keeps a similar LRU of compiled
/// regexps), so repeated `=~`/`!~` matchers are compiled once.
final class MatcherCache: @unchecked Sendable {
    static let shared = MatcherCache()

    private struct Key: Hashable {
        var type: LabelMatcher.MatchType
        var name: String
        var value: String
    }

    private var lock = pthread_mutex_t()
    private var entries: [Key: LabelMatcher] = [:]
    private let capacity = 10_000

    private init() { pthread_mutex_init(&lock, nil) }

    func get(_ type: LabelMatcher.MatchType, _ name: String, _ value: String) -> LabelMatcher? {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        return entries[Key(type: type, name: name, value: value)]
    }

    func put(_ m: LabelMatcher) {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[Key(type: m.type, name: m.name, value: m.value)] = m
    }
}
