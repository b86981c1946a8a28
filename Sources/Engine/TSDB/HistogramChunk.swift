/// An uncompressed chunk of native-histogram samples (timestamps strictly increasing).
struct HistogramChunk: Sendable {
    private(set) var times: [Int64] = []
    private(set) var histograms: [FloatHistogram] = []

    var count: Int { times.count }
    var minTime: Int64 { times.first ?? 0 }
    var maxTime: Int64 { times.last ?? 0 }

    /// Approximate in-memory payload size: 8 bytes per timestamp and per float, 8 per span.
    var byteCount: Int {
        var n = 0
        for h in histograms {
            n &+= 8 * 5 + 8 * (h.positiveSpans.count + h.negativeSpans.count)
                + 8 * (h.positiveBuckets.count + h.negativeBuckets.count) + 8
        }
        return n
    }

    mutating func append(t: Int64, h: FloatHistogram) {
        times.append(t)
        histograms.append(h)
    }
}
