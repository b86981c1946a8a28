import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Engine
import Locking

/// `LargeStack` runs work on a few reused large-stack threads: results come back, nested calls run in place,
/// deep recursion fits, and the pool never grows past its capacity however many calls run at once.
@Suite struct LargeStackTests {
    /// Recursion that needs far more than a default 8 MiB stack: `depth` frames each holding `frameBytes`.
    @inline(never)
    static func deepSum(_ depth: Int) -> Int {
        var pad = (UInt64(depth), UInt64(depth &* 3), UInt64(depth &* 5), UInt64(depth &* 7), UInt64(depth &* 11),
                   UInt64(depth &* 13), UInt64(depth &* 17), UInt64(depth &* 19))
        if depth == 0 { return 0 }
        let below = withUnsafeMutableBytes(of: &pad) { raw -> Int in
            raw.storeBytes(of: UInt64(depth), as: UInt64.self)
            return deepSum(depth - 1)
        }
        return below + Int(truncatingIfNeeded: pad.0 & 1)
    }

    @Test func returnsTheBodysValue() {
        #expect(LargeStack.run { 6 * 7 } == 42)
        let optional: Int? = LargeStack.run { nil }
        #expect(optional == nil)
        #expect(LargeStack.run { "text" } == "text")
    }

    @Test func runsOnALargeStackAndNestedCallsRunInPlace() {
        #expect(!LargeStackPool.onLargeStack)
        let (outer, inner, sameThread) = LargeStack.run { () -> (Bool, Bool, Bool) in
            let me = pthread_self()
            let (innerOn, innerThread) = LargeStack.run { (LargeStackPool.onLargeStack, pthread_self()) }
            return (LargeStackPool.onLargeStack, innerOn, pthread_equal(me, innerThread) != 0)
        }
        #expect(outer && inner && sameThread)
    }

    /// 200 000 frames of at least 64 bytes: more than the 8 MiB a caller's thread typically has, well within the
    /// large stack. Under Thread Sanitizer 10 000: its runtime keeps a shadow call stack of 64 Ki entries per thread
    /// and corrupts its own memory past that (it crashed in its mutex code after a 200 000-deep run), so deeper
    /// recursion than that cannot be run under TSan at all; the property checked here is that of the normal build.
    static let recursionDepth = threadSanitizerIsLinked ? 10_000 : 200_000

    @Test func deepRecursionFits() {
        let depth = Self.recursionDepth
        let expected = (1...depth).reduce(0) { $0 + ($1 & 1) }
        #expect(LargeStack.run { Self.deepSum(depth) } == expected)
    }

    @Test func manyConcurrentCallsReuseABoundedPool() async {
        let calls = 64 * max(1, LargeStack.pool.capacity)
        let sums = await withTaskGroup(of: Int.self, returning: [Int].self) { group in
            for i in 0..<calls {
                group.addTask { LargeStack.run { (0...i).reduce(0, +) } }
            }
            var all: [Int] = []
            for await s in group { all.append(s) }
            return all
        }
        #expect(sums.sorted() == (0..<calls).map { $0 * ($0 + 1) / 2 }.sorted())
        #expect(LargeStack.pool.workerCount >= 1)
        #expect(LargeStack.pool.workerCount <= LargeStack.pool.capacity)
    }

    @Test func aSaturatedPoolStillRunsEveryJob() {
        // A pool of one: the job nested in another thread while the only worker is busy goes to a one-off thread
        // instead of waiting for the worker that waits for it (which would deadlock).
        let pool = LargeStackPool(capacity: 1, stackSizes: [LargeStack.fallbackStackSize])
        let call = NestedCall(pool: pool, job: LargeStackPool.Job {})
        let ran = pool.runOnWorker(.init {
            // From a thread that is not a worker, while the only worker (this one) is busy.
            var tid = pthread_t()
            let arg = Unmanaged.passRetained(call).toOpaque()
            guard pthread_create(&tid, nil, { raw in
                guard let raw else { return nil }
                let call = Unmanaged<NestedCall>.fromOpaque(raw).takeRetainedValue()
                call.accepted.withLock { $0 = call.pool.runOnWorker(call.job) }
                return nil
            }, arg) == 0 else {
                Unmanaged<NestedCall>.fromOpaque(arg).release()
                return
            }
            pthread_join(tid, nil)
        })
        #expect(ran)
        #expect(pool.workerCount == 1)
        // Refused (the caller then uses a one-off thread), not queued behind the busy worker.
        #expect(call.accepted.withLock { $0 } == false)
    }
}

/// A call into a pool from a thread of the test's own.
private final class NestedCall: Sendable {
    let pool: LargeStackPool
    let job: LargeStackPool.Job
    let accepted = SanitizedMutex<Bool?>(nil)
    init(pool: LargeStackPool, job: LargeStackPool.Job) {
        self.pool = pool
        self.job = job
    }
}
