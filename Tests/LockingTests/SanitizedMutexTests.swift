import Locking
import Testing

@Suite struct SanitizedMutexTests {
    /// Many tasks increment one guarded counter; a lost update (or, under `scripts/tsan.sh`, a race report on the
    /// guarded value) means the lock does not exclude.
    @Test func concurrentIncrementsAreAllCounted() async {
        final class Counter: Sendable {
            let value = SanitizedMutex(0)
        }
        let counter = Counter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<2_000 { counter.value.withLock { $0 += 1 } }
                }
            }
        }
        #expect(counter.value.withLock { $0 } == 16_000)
    }

    /// Errors thrown inside the critical section reach the caller typed, and the lock is released after them.
    @Test func typedErrorLeavesTheLockUsable() {
        struct Refused: Error, Equatable {}
        let m = SanitizedMutex([1, 2])
        #expect(throws: Refused.self) {
            try m.withLock { (v: inout [Int]) throws(Refused) -> Void in
                v.append(3)
                throw Refused()
            }
        }
        #expect(m.withLock { $0 } == [1, 2, 3])
    }
}
