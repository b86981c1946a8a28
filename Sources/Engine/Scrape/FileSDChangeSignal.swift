import Locking

/// "A file_sd directory changed" between a watcher and the scrape loop's tasks: `fire` marks a change and
/// wakes every task waiting for one; `consume` takes the mark before the files are read again (a change
/// after that marks anew). Waiting ends on a change or when the waiting task is cancelled.
final class FileSDChangeSignal: Sendable {
    private struct State {
        var pending = false
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = SanitizedMutex(State())

    init() {}

    /// Whether a change is marked and not consumed.
    var isPending: Bool { state.withLock { $0.pending } }

    /// Marks a change and wakes the waiting tasks.
    func fire() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.pending = true
            defer { s.waiters.removeAll() }
            return Array(s.waiters.values)
        }
        for w in waiters { w.resume() }
    }

    /// Takes the mark: true when a change was marked.
    func consume() -> Bool {
        state.withLock { s in
            defer { s.pending = false }
            return s.pending
        }
    }

    /// Returns when a change is marked or the task is cancelled.
    func wait() async {
        let id = state.withLock { s -> Int in
            s.nextID &+= 1
            return s.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let now = state.withLock { s -> Bool in
                    if s.pending || Task.isCancelled { return true }
                    s.waiters[id] = c
                    return false
                }
                if now { c.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Sleeps on `clock` until `time`, or until a change is marked; true when one is.
    func sleep(until time: Int64, on clock: any ScrapeSchedulingClock) async -> Bool {
        if isPending { return true }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await clock.sleep(until: time) }
            group.addTask { await self.wait() }
            await group.next()
            group.cancelAll()
        }
        return isPending
    }
}
