#if canImport(Glibc)
import Glibc
#endif

/// Runs work that recurses deeply (parsing hostile, heavily nested input) on a thread with a large stack,
/// so the recursion bound is set by `ParserOptions.maxDepth` and not by the caller's thread stack.
enum DeepStack {
    /// Stack size of the helper thread (virtual; pages are only touched as needed).
    static let stackSize = 256 << 20

    private final class Job: @unchecked Sendable {
        let work: () -> Void
        init(_ work: @escaping () -> Void) { self.work = work }
    }

    /// Runs `body` to completion on a large-stack thread (or inline where threads are unavailable).
    static func run(_ body: @escaping () -> Void) {
        #if os(Linux)
        var attr = pthread_attr_t()
        guard pthread_attr_init(&attr) == 0 else {
            body()
            return
        }
        defer { pthread_attr_destroy(&attr) }
        pthread_attr_setstacksize(&attr, stackSize)
        let ctx = Unmanaged.passRetained(Job(body)).toOpaque()
        var tid = pthread_t()
        let rc = pthread_create(&tid, &attr, { raw in
            if let raw {
                let job = Unmanaged<Job>.fromOpaque(raw).takeRetainedValue()
                job.work()
            }
            return nil
        }, ctx)
        if rc != 0 {
            Unmanaged<Job>.fromOpaque(ctx).release()
            body()
            return
        }
        pthread_join(tid, nil)
        #else
        body()
        #endif
    }

    /// True when `input` has enough nesting-capable bytes that parsing might recurse deeply.
    static func mayNestDeeply(_ input: [UInt8]) -> Bool {
        var n = 0
        for c in input {
            switch c {
            case 0x28, 0x5B, 0x2D, 0x2B, 0x5E:
                n += 1
                if n > 48 { return true }
            default: break
            }
        }
        return false
    }
}
