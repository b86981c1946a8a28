/// An `ExpositionSink` that also receives native histograms, for parsers of formats that carry them (the
/// protobuf exposition). `histogram` is called in input order among the `sample` calls, so a sink sees the
/// series of a scrape in the order the target exposed them, floats and histograms alike.
public protocol HistogramExpositionSink: ExpositionSink {
    mutating func histogram(_ sample: ExpositionHistogramSample)
}
