/// One native-histogram sample read from an exposition (only the protobuf format carries them).
public struct ExpositionHistogramSample: Sendable {
    /// `__name__` first, then the other labels in input order (as `ExpositionSample.labels`).
    public var labels: [ExpositionLabel]
    /// The histogram as exposed, with absolute bucket counts (integer deltas already summed) and empty
    /// buckets compacted away, as Prometheus's protobuf parser hands it to the appender.
    public var histogram: FloatHistogram
    /// Milliseconds since the epoch, if the metric carried a timestamp.
    public var timestampMs: Int64?
    /// Where the histogram came from (the protobuf parser: 1-based index of its metric family).
    public var line: Int

    public init(labels: [ExpositionLabel], histogram: FloatHistogram, timestampMs: Int64?, line: Int) {
        self.labels = labels
        self.histogram = histogram
        self.timestampMs = timestampMs
        self.line = line
    }

    /// The series name (value of `__name__`).
    public var metricName: String { labels.first?.value ?? "" }
}
