import FuzzSupport
import Query

/// Decodes arbitrary bytes as a Prometheus HTTP API answer (envelope, then the data as a query result,
/// label sets and label values) and prints whatever decoded in every output format; must never crash.
/// A decoded value must print the same twice (printing is a pure function of the value).
func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard let envelope = try? APIResponseDecoder.envelope(bytes) else { return 0 }
    if let value = try? APIResponseDecoder.queryResult(envelope.data) {
        for format in ValuePrinter.Format.allCases {
            let once = ValuePrinter.value(value, format: format)
            if once != ValuePrinter.value(value, format: format) { fuzzInvariantFailed("printing is not deterministic") }
        }
    }
    if let sets = try? APIResponseDecoder.labelSets(envelope.data) {
        _ = ValuePrinter.series(sets, format: .promql)
        _ = ValuePrinter.series(sets, format: .json)
    }
    if let values = try? APIResponseDecoder.labelValues(envelope.data) {
        _ = ValuePrinter.labelValues(values, format: .json)
    }
    return 0
}

exit(runLibFuzzer(fuzzOne))
