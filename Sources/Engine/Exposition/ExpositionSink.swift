/// The metric types the text exposition formats can declare.
///
/// Prometheus text's `untyped` is reported as `.unknown` (as Prometheus does).
public enum MetricType: String, Sendable, Hashable, CaseIterable {
    case counter, gauge, histogram, gaugehistogram, summary, info, stateset, unknown
}

/// A single label, in input order (not sorted).
public typealias ExpositionLabel = (name: String, value: String)

/// An OpenMetrics exemplar attached to a sample.
public struct Exemplar: Sendable {
    /// The exemplar's own labels, in input order.
    public var labels: [ExpositionLabel]
    public var value: Double
    /// Milliseconds since the epoch, if the exemplar carried a timestamp.
    public var timestampMs: Int64?

    public init(labels: [ExpositionLabel], value: Double, timestampMs: Int64?) {
        self.labels = labels
        self.value = value
        self.timestampMs = timestampMs
    }
}

/// Metadata of one metric family, collected from its `# HELP` / `# TYPE` / `# UNIT` lines.
public struct ExpositionMetadata: Sendable, Equatable {
    /// The family name (e.g. `http_requests` for an OpenMetrics counter whose samples are `http_requests_total`).
    public var name: String
    /// The declared type; `nil` when the family had no `# TYPE` line.
    public var type: MetricType?
    public var help: String?
    /// OpenMetrics `# UNIT`; always `nil` for the Prometheus text format.
    public var unit: String?
    /// 1-based line of the first metadata line of this family.
    public var line: Int

    public init(name: String, type: MetricType?, help: String?, unit: String?, line: Int) {
        self.name = name
        self.type = type
        self.help = help
        self.unit = unit
        self.line = line
    }
}

/// One parsed sample line.
public struct ExpositionSample: Sendable {
    /// `__name__` first, then the other labels in input order (unescaped; not sorted, empty values kept).
    public var labels: [ExpositionLabel]
    public var value: Double
    /// Milliseconds since the epoch (Prometheus text: integer ms; OpenMetrics: float seconds × 1000, truncated).
    public var timestampMs: Int64?
    public var exemplar: Exemplar?
    /// 1-based line of the sample.
    public var line: Int
    /// Set when the parser knows `labels` are those of the previous sample it handed over (a series'
    /// samples in a row), so a sink can skip comparing or looking them up; false says nothing.
    public var sameSeriesAsPrevious = false

    public init(labels: [ExpositionLabel], value: Double, timestampMs: Int64?, exemplar: Exemplar?, line: Int) {
        self.labels = labels
        self.value = value
        self.timestampMs = timestampMs
        self.exemplar = exemplar
        self.line = line
    }

    /// The series name (value of `__name__`).
    public var metricName: String { labels.first?.value ?? "" }
}

/// Receives what a parser reads, in input order: `sample` once per sample line, `metadata` once per
/// metric family that has metadata lines, before that family's first sample (or when the family ends if
/// it has none). Prometheus text: consecutive `# HELP`/`# TYPE` lines of one name are merged into one
/// call. OpenMetrics: `# HELP`/`# TYPE`/`# UNIT` of a family are merged; empty HELP/UNIT count as absent.
/// A family without metadata lines gets no `metadata` call.
///
/// A sink that sees the same series again and again (a scraper) can skip the cost of building labels:
/// when it sets `recognizesSeries`, the Prometheus text parser first offers each sample's series as written
/// (`recognizes(series:)`; OpenMetrics does not, its family checks need the labels); when the
/// sink says it knows those bytes, the parser reports the sample through `knownSample` without labels.
/// Identical bytes always parse to identical labels, so only the value and timestamp are new.
public protocol ExpositionSink {
    mutating func metadata(_ metadata: ExpositionMetadata)
    mutating func sample(_ sample: ExpositionSample)
    /// The bytes of the next sample's series as written (metric name and label set, from the start of the
    /// line to the closing `}`), offered before its labels are parsed. Return true when the sink knows the
    /// series from an earlier `sample` call with the same bytes: the parser then calls `knownSample` in
    /// place of `sample`. The buffer is only valid during the call. The default knows nothing.
    mutating func recognizes(series: UnsafeBufferPointer<UInt8>) -> Bool
    /// Whether the parser should offer series at all (false by default: finding a series' end costs a scan).
    static var recognizesSeries: Bool { get }
    /// A sample of the series `recognizes(series:)` just accepted.
    mutating func knownSample(value: Double, timestampMs: Int64?, line: Int)
}

extension ExpositionSink {
    public mutating func recognizes(series: UnsafeBufferPointer<UInt8>) -> Bool { false }
    public static var recognizesSeries: Bool { false }
    public mutating func knownSample(value: Double, timestampMs: Int64?, line: Int) {}
}

/// A sink that keeps everything in memory (handy for tests and small inputs).
public struct CollectingSink: ExpositionSink, Sendable {
    public var metadata: [ExpositionMetadata] = []
    public var samples: [ExpositionSample] = []
    public init() {}
    public mutating func metadata(_ metadata: ExpositionMetadata) { self.metadata.append(metadata) }
    public mutating func sample(_ sample: ExpositionSample) { samples.append(sample) }
}

/// A sink that only counts (for validation-only runs).
public struct CountingSink: ExpositionSink, Sendable {
    public var families = 0
    public var samples = 0
    public init() {}
    public mutating func metadata(_ metadata: ExpositionMetadata) { families &+= 1 }
    public mutating func sample(_ sample: ExpositionSample) { samples &+= 1 }
}
