import Engine
import Locking

/// A scheduling clock for tests: `now()` stays where the test set it and `sleep(until:)` returns at once,
/// so a loop runs its 15 s intervals back to back while stamping samples with the scheduled times.
final class VirtualScrapeClock: ScrapeSchedulingClock {
    private let current: SanitizedMutex<Int64>

    init(now: Int64) { current = SanitizedMutex(now) }

    func now() -> Int64 { current.withLock { $0 } }

    func set(_ t: Int64) { current.withLock { $0 = t } }

    func sleep(until time: Int64) async { await Task.yield() }
}
