#if canImport(Glibc)
import Glibc
#endif

// @unchecked: handed to exactly one new thread, which the starting thread joins before touching it again.
private final class LargeStackJob: @unchecked Sendable {
    let work: () -> Void
    init(_ work: @escaping () -> Void) { self.work = work }
}

// @unchecked: written only by the worker thread and read only after `pthread_join` returns.
private final class LargeStackResult<T>: @unchecked Sendable {
    var value: T?
}

#if os(Linux)
/// Set on threads that `LargeStack` started, so nested calls run in place instead of starting more.
private let largeStackMarker: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()

private let largeStackEntry: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? = { raw in
    guard let raw else { return nil }
    pthread_setspecific(largeStackMarker, UnsafeRawPointer(bitPattern: 1))
    Unmanaged<LargeStackJob>.fromOpaque(raw).takeRetainedValue().work()
    return nil
}
#endif

/// Runs recursive work (PromQL and template parsing, template execution, whole rule-file checks) on a thread
/// with a large stack, so that deep but bounded recursion never overflows small worker-thread stacks. Nested
/// calls run in place on the large stack they are already on.
enum LargeStack {
    /// Stack size of the worker thread (virtual memory; only touched pages are committed).
    static let stackSize = 256 << 20
    static let fallbackStackSize = 16 << 20

    static func run<T>(_ body: @escaping () -> T) -> T {
        #if os(Linux)
        // Already on a large stack (e.g. a whole rule file is being checked on one): no new thread per call.
        if pthread_getspecific(largeStackMarker) != nil { return body() }
        let result = LargeStackResult<T>()
        let job = LargeStackJob { result.value = body() }
        // Where address space is tight (a low `ulimit -v`), a smaller stack that still holds the deepest inputs
        // the parsers accept; only if no thread can be started at all does the work run on the caller's stack.
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
