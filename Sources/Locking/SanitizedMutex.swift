import CTSanHooks
import Synchronization

/// A `Synchronization.Mutex` whose lock and unlock Thread Sanitizer can see.
///
/// On Linux `Mutex` locks with futex system calls inside the uninstrumented Swift runtime, so TSan never observes
/// the happens-before edge it creates and reports every access to a mutex-guarded value from two threads as a
/// race. This wrapper announces each acquire and release to TSan (weak hooks: a no-op outside a TSan build), so
/// `scripts/tsan.sh` checks our locking instead of needing suppressions for it.
/// Whether this process runs under Thread Sanitizer, whose instrumentation needs several times the stack per frame
/// (tests that run on deliberately small thread stacks size them by it).
public var threadSanitizerIsLinked: Bool { promtool_tsan_linked() != 0 }

public struct SanitizedMutex<Value: ~Copyable>: ~Copyable {
    private let mutex: Mutex<Value>
    /// A heap address unique to this mutex for its whole life: the name TSan knows the lock by.
    private let token: UnsafeMutableRawPointer

    /// A mutex guarding `initialValue`.
    public init(_ initialValue: consuming sending Value) {
        mutex = Mutex(initialValue)
        token = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)
    }

    deinit { token.deallocate() }

    /// Runs `body` with exclusive access to the guarded value.
    public borrowing func withLock<Result: ~Copyable, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        let token = self.token
        return try mutex.withLock { (value: inout sending Value) throws(E) -> sending Result in
            promtool_tsan_acquire(token)
            defer { promtool_tsan_release(token) }
            return try body(&value)
        }
    }
}

// @unchecked: the guarded value is only reached through `withLock` (Mutex's own guarantee); `token` is an
// immutable address that is never dereferenced, only passed to TSan as a name.
extension SanitizedMutex: @unchecked Sendable where Value: ~Copyable {}
