#if canImport(Glibc)
import Glibc
#endif
import ConfigModel

// @unchecked: handed to exactly one thread, which the starting thread joins (or, for a pool worker, waits for
// under the pool's mutex) before touching it again.
private final class LargeStackJob: @unchecked Sendable {
    let work: () -> Void
    init(_ work: @escaping () -> Void) { self.work = work }
}

// @unchecked: written only by the thread running the job and read only after that job is known to be done
// (`pthread_join` returned, or the pool reported it done under its mutex).
private final class LargeStackResult<T>: @unchecked Sendable {
    var value: T?
}

#if os(Linux)
private let largeStackEntry: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? = { raw in
    guard let raw else { return nil }
    pthread_setspecific(LargeStackPool.marker, UnsafeRawPointer(bitPattern: 1))
    Unmanaged<LargeStackJob>.fromOpaque(raw).takeRetainedValue().work()
    return nil
}
#endif

/// Runs recursive work (PromQL and template parsing, template execution, whole rule-file checks) on a thread
/// with a large stack, so that deep but bounded recursion never overflows small worker-thread stacks. Nested
/// calls run in place on the large stack they are already on.
///
/// The threads come from a small pool that is started lazily and reused (`LargeStackPool`), so a process
/// starts at most a few large-stack threads however many calls it makes.
enum LargeStack {
    /// Stack size of a worker thread (virtual memory; only touched pages are committed).
    static let stackSize = 256 << 20
    static let fallbackStackSize = 16 << 20

    #if os(Linux)
    /// Two workers per core (at least four): callers are the cooperative pool's threads and `ParallelWork`'s,
    /// each about one per core, and a busy pool hands further calls to one-off threads.
    static let pool = LargeStackPool(capacity: max(4, 2 * System.activeProcessorCount), stackSizes: [stackSize, fallbackStackSize])
    #endif

    static func run<T>(_ body: @escaping () -> T) -> T {
        #if os(Linux)
        // Already on a large stack (e.g. a whole rule file is being checked on one): no other thread per call.
        if LargeStackPool.onLargeStack { return body() }
        let result = LargeStackResult<T>()
        let work = { result.value = body() }
        if pool.runOnWorker(LargeStackPool.Job(work)) {
            if let v = result.value { return v }
            return body()
        }
        // Every worker is busy (or none could start): a one-off thread. Where address space is tight (a low
        // `ulimit -v`), a smaller stack that still holds the deepest inputs the parsers accept; only if no
        // thread can be started at all does the work run on the caller's stack.
        let job = LargeStackJob(work)
        for size in [stackSize, fallbackStackSize] {
            var attr = pthread_attr_t()
            pthread_attr_init(&attr)
            defer { pthread_attr_destroy(&attr) }
            pthread_attr_setstacksize(&attr, size)
            var tid = pthread_t()
            let arg = Unmanaged.passRetained(job).toOpaque()
            if pthread_create(&tid, &attr, largeStackEntry, arg) != 0 {
                Unmanaged<LargeStackJob>.fromOpaque(arg).release()
                continue
            }
            pthread_join(tid, nil)
            if let v = result.value { return v }
            break
        }
        return body()
        #else
        return body()
        #endif
    }
}
