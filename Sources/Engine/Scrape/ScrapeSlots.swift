import Locking

/// Bounds how many scrapes run at once (an async counting semaphore): a target whose turn has come waits
/// for a free slot instead of opening one more connection. Waiters are served in arrival order.
final class ScrapeSlots: Sendable {
    private struct State {
        var free: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
        /// Index of the first waiter not yet resumed (the array is compacted when it is drained).
        var head = 0
    }

    private let state: SanitizedMutex<State>

    init(_ count: Int) {
        state = SanitizedMutex(State(free: max(1, count)))
    }

    func acquire() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { s -> Bool in
                if s.free > 0 {
                    s.free -= 1
                    return true
                }
                s.waiters.append(c)
                return false
            }
            if resumeNow { c.resume() }
        }
    }

    func release() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard s.head < s.waiters.count else {
                s.free += 1
                return nil
            }
            let c = s.waiters[s.head]
            s.head += 1
            if s.head == s.waiters.count {
                s.waiters.removeAll(keepingCapacity: true)
                s.head = 0
            }
            return c
        }
        next?.resume()
    }

    /// Runs `body` holding a slot.
    func withSlot<T: Sendable>(_ body: () async -> T) async -> T {
        await acquire()
        let result = await body()
        release()
        return result
    }
}
