import Engine
import FuzzSupport

/// A sink that checks what the protobuf parser hands over: every native histogram's spans cover exactly
/// its buckets, and the scrape's histogram limits (schema cap, bucket limit) never crash on it and keep
/// every observation.
struct CheckingSink: HistogramExpositionSink {
    var samples = 0
    mutating func metadata(_ metadata: ExpositionMetadata) {}
    mutating func sample(_ sample: ExpositionSample) {
        samples &+= 1
        if sample.labels.first?.name != "__name__" { fuzzInvariantFailed("sample without __name__ first") }
    }
    mutating func histogram(_ sample: ExpositionHistogramSample) {
        let h = sample.histogram
        for (spans, buckets) in [(h.positiveSpans, h.positiveBuckets), (h.negativeSpans, h.negativeBuckets)] {
            var covered = 0
            for s in spans { covered &+= Int(s.length) }
            if covered != buckets.count { fuzzInvariantFailed("spans cover \(covered) buckets, histogram has \(buckets.count)") }
        }
        _ = h.validationError
        for limit in [1, 2, 160] {
            _ = NativeHistogramBucketLimit.apply(h, limit: limit)
        }
        for factor in [0, 1.1, 4] {
            _ = NativeHistogramBucketLimit.reduced(h, toSchema: NativeHistogramBucketLimit.maxSchema(bucketFactor: factor))
        }
        _ = h.description
    }
}

/// Parses arbitrary bytes as a protobuf exposition (varint-delimited `io.prometheus.client.MetricFamily`
/// messages) with every combination of the native/classic histogram options; must never crash.
func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    for (ignoreNative, keepClassic, nhcb) in [(false, false, false), (false, true, false), (true, false, false),
                                               (false, false, true), (true, true, true)] {
        var sink = CheckingSink()
        _ = try? ProtobufParser(ignoreNativeHistograms: ignoreNative, keepClassicHistograms: keepClassic,
                                convertClassicHistogramsToNHCB: nhcb).parse(bytes, into: &sink)
    }
    return 0
}

exit(runLibFuzzer(fuzzOne))
