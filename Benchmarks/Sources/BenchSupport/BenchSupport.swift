// Helpers every benchmark needs: a seeded generator, time conversions, CPU clocks and number formatting.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Deterministic PRNG (SplitMix64), so runs, and the data replayed into Prometheus, are identical.
public struct SplitMix64: RandomNumberGenerator {
    public var state: UInt64
    public init(state: UInt64) { self.state = state }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A duration in seconds.
public func seconds(_ d: Duration) -> Double {
    let c = d.components
    return Double(c.seconds) + Double(c.attoseconds) / 1e18
}

/// CPU seconds this thread has used (unaffected by waiting for a core on a loaded machine).
public func threadCPUSeconds() -> Double { cpuSeconds(CLOCK_THREAD_CPUTIME_ID) }

/// CPU seconds the process has used, all threads.
public func processCPUSeconds() -> Double { cpuSeconds(CLOCK_PROCESS_CPUTIME_ID) }

private func cpuSeconds(_ clock: clockid_t) -> Double {
    var ts = timespec()
    clock_gettime(clock, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// `x` with `digits` decimals, as `%.Nf` prints it (without Foundation).
public func fmt(_ x: Double, _ digits: Int = 2) -> String {
    guard x.isFinite else { return "\(x)" }
    var p: UInt64 = 1
    for _ in 0..<max(0, min(digits, 18)) { p *= 10 }
    let scaled = (abs(x) * Double(p)).rounded()
    guard scaled < 9e18 else { return "\(x)" }
    let i = UInt64(scaled)
    var frac = String(i % p)
    while frac.count < digits { frac = "0" + frac }
    return (x < 0 && i != 0 ? "-" : "") + String(i / p) + (digits > 0 ? "." + frac : "")
}
