#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// When a target's first scrape happens: Prometheus's `Target.offset` spreads the targets of a job over
/// its interval (a hash of the target, mixed with a per-instance seed so two servers scraping the same
/// targets do not hit them at the same instant), pinned to absolute time so that a restart keeps each
/// target at the same phase.
///
/// The target hash has Prometheus's shape (FNV-1a of the label-set hash printed as `%016d`, then the URL)
/// but the label-set hash is our `Labels.stableHash` (FNV-1a) where Prometheus uses xxhash: the phases
/// are spread alike, not identical to a Prometheus server's (whose seed includes its hostname anyway).
public enum ScrapeOffset {
    /// The target's identity hash (`Target.hash`).
    public static func targetHash(_ target: ScrapeTarget) -> UInt64 {
        var digits = String(Labels(target.allLabels).stableHash)
        if digits.utf8.count < 16 { digits = String(repeating: "0", count: 16 - digits.utf8.count) + digits }
        return fnv1a64(Array(digits.utf8) + Array(target.url.utf8))
    }

    /// The instance-wide seed (`Manager.setOffsetSeed`): FNV-1a of the hostname and the external labels.
    public static func seed(hostname: String, externalLabels: Labels) -> UInt64 {
        fnv1a64(Array((hostname + externalLabels.description).utf8))
    }

    /// This machine's seed, for `global.external_labels` (an unknown hostname counts as empty).
    public static func localSeed(externalLabels: Labels) -> UInt64 {
        var buffer = [CChar](repeating: 0, count: 256)
        let name = gethostname(&buffer, buffer.count - 1) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        return seed(hostname: name, externalLabels: externalLabels)
    }

    /// Milliseconds from `now` to the target's first scrape (`offset`): the start of the next interval
    /// boundary of absolute time, plus the hash's position in the interval, wrapped into one interval.
    /// Always in `1...interval` (0 only for a non-positive interval).
    public static func delay(now: Int64, interval: Int64, hash: UInt64, seed: UInt64) -> Int64 {
        guard interval > 0 else { return 0 }
        let base = interval - ((now % interval) + interval) % interval
        let offset = Int64((hash ^ seed) % UInt64(interval))
        let next = base + offset
        return next > interval ? next - interval : next
    }

    static func fnv1a64(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }
}
