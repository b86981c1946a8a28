#if canImport(Glibc)
import Glibc
#endif

#if os(Linux)
/// A bounded set of reusable worker threads with large stacks, for `LargeStack`.
///
/// Starting a 256 MiB thread per call was cheap in a normal build but not under Thread Sanitizer, whose runtime
/// does per-thread bookkeeping (shadow for the stack, trace parts) on every start and finish; with thousands of
/// short-lived threads its runtime hung or crashed. Workers are started lazily, at most `capacity` of them, and
/// then kept, each waiting for the next job. Hand-over uses pthread mutex and condition variables, which TSan
/// intercepts, so it sees the happens-before edges between a caller and the worker running its job.
///
/// When every worker is busy the job runs on a one-off thread instead of waiting: a job may itself wait for
/// work on other threads that calls `LargeStack` (a rule file's check parses its templates on all cores), so
/// waiting for a free worker could deadlock.
// @unchecked: every stored property but the immutable ones is read and written only with `mutex` held.
final class LargeStackPool: @unchecked Sendable {
    /// One unit of work; `done` is guarded by the pool's mutex.
    // @unchecked: `work` is immutable; `done` is only touched with the pool's mutex held.
    final class Job: @unchecked Sendable {
        let work: () -> Void
        var done = false
        init(_ work: @escaping () -> Void) { self.work = work }
    }

    /// The most workers kept at once.
    let capacity: Int
    /// Stack sizes to try for a new worker, largest first.
    let stackSizes: [Int]

    // Heap-allocated so their addresses never move (pthread objects must not be copied); never freed, as the
    // shared pool lives as long as the process.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let jobQueued: UnsafeMutablePointer<pthread_cond_t>
    private let jobDone: UnsafeMutablePointer<pthread_cond_t>
    private var queue: [Job] = []
    private var head = 0
    private var idle = 0
    private var workers = 0

    /// The threads this pool started, so nested calls know they already run on a large stack.
    static let marker: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    init(capacity: Int, stackSizes: [Int]) {
        self.capacity = max(1, capacity)
        self.stackSizes = stackSizes
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        jobQueued = .allocate(capacity: 1)
        jobQueued.initialize(to: pthread_cond_t())
        pthread_cond_init(jobQueued, nil)
        jobDone = .allocate(capacity: 1)
        jobDone.initialize(to: pthread_cond_t())
        pthread_cond_init(jobDone, nil)
    }

    /// True on a thread that this pool (or a one-off thread of `LargeStack`) runs work on.
    static var onLargeStack: Bool { pthread_getspecific(marker) != nil }

    /// How many workers exist now (for tests: the pool never grows past `capacity`).
    var workerCount: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return workers
    }

    /// Runs `job` on a pool worker and waits for it; false when no worker was free or could be started (the
    /// job has not run then).
    func runOnWorker(_ job: Job) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        let waiting = queue.count - head
        if idle <= waiting {
            guard workers < capacity, startWorker() else { return false }
            workers += 1
        }
        queue.append(job)
        pthread_cond_signal(jobQueued)
        while !job.done { pthread_cond_wait(jobDone, mutex) }
        return true
    }

    /// Starts one worker thread with the largest stack the system grants; called with `mutex` held.
    private func startWorker() -> Bool {
        for size in stackSizes {
            var attr = pthread_attr_t()
            pthread_attr_init(&attr)
            defer { pthread_attr_destroy(&attr) }
            pthread_attr_setstacksize(&attr, size)
            pthread_attr_setdetachstate(&attr, Int32(PTHREAD_CREATE_DETACHED))
            var tid = pthread_t()
            let arg = Unmanaged.passRetained(self).toOpaque()
            if pthread_create(&tid, &attr, largeStackPoolWorkerEntry, arg) == 0 { return true }
            Unmanaged<LargeStackPool>.fromOpaque(arg).release()
        }
        return false
    }

    /// A worker's life: wait for a job, run it without the lock, report it done, forever.
    fileprivate func workerLoop() {
        pthread_setspecific(Self.marker, UnsafeRawPointer(bitPattern: 1))
        pthread_mutex_lock(mutex)
        while true {
            idle += 1
            while head == queue.count { pthread_cond_wait(jobQueued, mutex) }
            idle -= 1
            let job = queue[head]
            head += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            }
            pthread_mutex_unlock(mutex)
            job.work()
            pthread_mutex_lock(mutex)
            job.done = true
            pthread_cond_broadcast(jobDone)
        }
    }
}

private let largeStackPoolWorkerEntry: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? = { raw in
    guard let raw else { return nil }
    Unmanaged<LargeStackPool>.fromOpaque(raw).takeRetainedValue().workerLoop()
    return nil
}
#endif
