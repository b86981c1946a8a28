import Locking

/// A process-wide cache of compiled regex label matchers (Prometheus keeps a similar LRU of compiled
/// regexps), so repeated `=~`/`!~` matchers are compiled once.
final class MatcherCache: Sendable {
    static let shared = MatcherCache()

    private struct Key: Hashable {
        var type: LabelMatcher.MatchType
        var name: String
        var value: String
    }

    private let entries = SanitizedMutex<[Key: LabelMatcher]>([:])
    private let capacity = 10_000

    private init() {}

    func get(_ type: LabelMatcher.MatchType, _ name: String, _ value: String) -> LabelMatcher? {
        entries.withLock { $0[Key(type: type, name: name, value: value)] }
    }

    func put(_ m: LabelMatcher) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[Key(type: m.type, name: m.name, value: m.value)] = m
        }
    }
}
