import Engine
import FuzzSupport

/// Arbitrary bytes as a `tsdb bench write` input file (`BenchSeriesFile.parse`, promtool's `readPrometheusLabels`
/// splitting with our file:line errors) must never crash; what it accepts are label sets with names strictly
/// increasing (bytewise), no empty name or value, and no more sets than the limit.
func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let limit = 1 + size % 50
    guard let sets = try? bytes.withUnsafeBytes({ raw in try BenchSeriesFile.parse(raw, file: "fuzz", limit: limit) }) else { return 0 }
    if sets.count > limit { fuzzInvariantFailed("\(sets.count) sets read with limit \(limit)") }
    for set in sets {
        for (a, b) in zip(set.labels, set.labels.dropFirst()) where !a.name.utf8.lexicographicallyPrecedes(b.name.utf8) {
            fuzzInvariantFailed("label names not strictly increasing: \(a.name), \(b.name)")
        }
        if set.labels.contains(where: { $0.name.isEmpty || $0.value.isEmpty }) { fuzzInvariantFailed("empty name or value in \(set)") }
    }
    return 0
}

exit(runLibFuzzer(fuzzOne))
