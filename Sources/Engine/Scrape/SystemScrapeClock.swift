#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real wall clock: scrape timestamps are Unix milliseconds, as Prometheus stores them.
public struct SystemScrapeClock: ScrapeSchedulingClock {
    public init() {}

    public func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) &* 1000 &+ Int64(ts.tv_nsec) / 1_000_000
    }

    public func sleep(until time: Int64) async {
        let wait = time &- now()
        guard wait > 0 else { return }
        try? await Task.sleep(for: .milliseconds(wait))
    }
}
