import Engine
import FuzzSupport

/// A small head with the shapes the evaluator treats specially: gaps, a counter reset, stale markers, series
/// that differ only in their name, classic buckets (one with a malformed `le`), native histograms (exponential
/// and custom buckets) and a series that switches between floats and histograms. Made per input: LeakSanitizer
/// cannot see pointers stored with Swift enum tag bits (the head's chunks), so a long-lived one reads as a leak.
func makeHead() -> Head {
    let h = Head()
    func add(_ labels: [(String, String)], _ t: Int64, _ v: Double) { _ = try? h.append(Labels(labels), t: t, v: v) }
    for i in 0..<40 {
        let t = Int64(i) * 15_000
        for inst in 0..<3 {
            if inst == 2 && (12..<20).contains(i) { continue }
            var v = Double(i * (inst + 1))
            if inst == 1 && i >= 25 { v = Double(i - 25) }
            if inst == 0 && i == 30 { v = StaleNaN }
            add([("__name__", "a_total"), ("job", "j"), ("instance", "i\(inst)")], t, v)
            add([("__name__", "b"), ("job", "j"), ("instance", "i\(inst)")], t, Double(i % 7) - 3)
        }
        for (k, le) in ["0.1", "1", "+Inf", "oops"].enumerated() {
            add([("__name__", "h_bucket"), ("job", "j"), ("le", le)], t, Double(i * (k + 1)))
        }
        let exp = FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 1, count: Double(4 + i), sum: Double(i) * 1.5,
                                 positiveSpans: [.init(offset: 0, length: 2)], positiveBuckets: [1, Double(2 + i)])
        _ = try? h.appendHistogram(Labels([("__name__", "nh"), ("job", "j")]), t: t, h: exp)
        let custom = FloatHistogram(schema: FloatHistogram.customBucketsSchema, count: Double(i), sum: Double(i),
                                    positiveSpans: [.init(offset: 0, length: 2)], positiveBuckets: [0, Double(i)],
                                    customValues: [1, 10])
        _ = try? h.appendHistogram(Labels([("__name__", "nh"), ("job", "k")]), t: t, h: custom)
        if i % 2 == 0 {
            add([("__name__", "mixed"), ("job", "j")], t, Double(i))
        } else {
            _ = try? h.appendHistogram(Labels([("__name__", "mixed"), ("job", "j")]), t: t, h: exp)
        }
    }
    return h
}

/// The engine as the promqltest run configures it (delayed name removal) and as Prometheus does by default, with
/// a sample limit low enough to keep each input fast.
let engines: [PromQLEngine] = [true, false].map { delayed in
    var o = EngineOptions.promqlTest
    o.delayedNameRemoval = delayed
    o.maxSamples = 20_000
    return PromQLEngine(options: o)
}

/// Evaluates whatever parses as an instant and as a range query; errors are fine, crashes and hangs are not.
func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard bytes.count <= 512, let expr = try? PromQLParser.parse(utf8: bytes, options: .allEnabled) else { return 0 }
    let head = makeHead()
    for engine in engines {
        _ = try? engine.instantQuery(expr, at: 310_000, source: head)
        _ = try? engine.rangeQuery(expr, start: 0, end: 600_000, step: 45_000, source: head)
    }
    return 0
}

exit(runLibFuzzer(fuzzOne))
