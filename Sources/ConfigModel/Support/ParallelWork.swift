#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Locking

/// Splits independent work over the machine's cores. It lives in the lowest module that needs it (config checks
/// run per job, Engine's rule checks per expression and per file).
public enum ParallelWork {
    /// `items.map(transform)`, computed in contiguous chunks on all cores; results keep the input order.
    public static func map<T: Sendable, R: Sendable>(_ items: [T], _ transform: @escaping @Sendable (T) -> R) -> [R] {
        mapChunks(items) { chunk in chunk.map(transform) }
    }

    /// Like `map`, but hands each core its whole chunk (so per-chunk setup, such as a large stack, happens once).
    public static func mapChunks<T: Sendable, R: Sendable>(_ items: [T], _ transform: @escaping @Sendable (ArraySlice<T>) -> [R]) -> [R] {
        let cores = max(1, System.activeProcessorCount)
        guard cores > 1, items.count >= 2 else { return transform(items[...]) }
        let chunks = min(cores, items.count)
        let box = ResultBox<R>(count: chunks)
        let chunkSize = (items.count + chunks - 1) / chunks
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = c * chunkSize, hi = min(items.count, lo + chunkSize)
            guard lo < hi else { return }
            box.store(c, transform(items[lo..<hi]))
        }
        return box.joined()
    }

    /// One slot per chunk; the mutex is taken once per chunk, so it costs nothing next to the work.
    private final class ResultBox<R: Sendable>: Sendable {
        private let slots: SanitizedMutex<[[R]]>
        init(count: Int) { slots = SanitizedMutex(Array(repeating: [], count: count)) }
        func store(_ i: Int, _ values: [R]) { slots.withLock { $0[i] = values } }
        func joined() -> [R] { slots.withLock { $0.flatMap { $0 } } }
    }
}

/// Processor count without Foundation.
public enum System {
    public static var activeProcessorCount: Int {
        #if canImport(Glibc)
        return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #else
        return 1
        #endif
    }
}
