/// What a scrape's body held, in exposition order: every float sample, and the native histograms among
/// them (protobuf bodies only) keyed by their position in `samples`, where a placeholder sample with the
/// histogram's labels and timestamp stands. Text bodies leave `histograms` empty, so the scrape's hot loop
/// pays one emptiness check for histogram support.
struct ScrapedSeries: HistogramExpositionSink {
    var samples: [ExpositionSample] = []
    var histograms: [Int: FloatHistogram] = [:]

    mutating func metadata(_ metadata: ExpositionMetadata) {}

    mutating func sample(_ sample: ExpositionSample) { samples.append(sample) }

    mutating func histogram(_ sample: ExpositionHistogramSample) {
        histograms[samples.count] = sample.histogram
        samples.append(ExpositionSample(labels: sample.labels, value: 0, timestampMs: sample.timestampMs,
                                        exemplar: nil, line: sample.line))
    }
}
