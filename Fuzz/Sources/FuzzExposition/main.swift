import Engine
import FuzzSupport

/// Parses arbitrary bytes as Prometheus text and as OpenMetrics (with and without validation, keeping
/// or skipping `_created` series), plus format detection; must never crash.
func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    var text = CollectingSink()
    _ = try? PrometheusTextParser().parse(bytes, into: &text)
    for options in [OpenMetricsParser.Options(),
                    OpenMetricsParser.Options(skipCreatedSeries: true, validate: false)] {
        var sink = CountingSink()
        _ = try? OpenMetricsParser(options: options).parse(bytes, into: &sink)
    }
    var detected = CountingSink()
    _ = try? ExpositionFormat.detect(bytes).parse(bytes, into: &detected)
    return 0
}

exit(runLibFuzzer(fuzzOne))
