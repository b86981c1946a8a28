import GoCompat

/// `convert_classic_histograms_to_nhcb` for the text formats (Prometheus text 0.0.4 and OpenMetrics), as
/// Prometheus 3.14's `NHCBParser` does it: those formats carry a classic histogram as separate
/// `_bucket`/`_count`/`_sum` lines, so the series of one label set are gathered, in input order, into a
/// `CustomBucketsConversion` (the converter the protobuf path uses too) and handed over as one
/// custom-bucket native histogram named after the family when the label set ends.
///
/// Rules (3.14's):
/// - only series of the family the last `# TYPE … histogram` line declared are gathered: `<name>_bucket`
///   with an `le` Go's `ParseFloat` reads (not NaN), `<name>_count`, `<name>_sum`; every other series,
///   `_created` included, passes through as a float sample;
/// - a histogram ends at a series of another name or label set (labels compared without `__name__` and
///   `le`), at any metadata line, and at the end of the input; the histogram is then converted, with the
///   labels of its first series (`__name__` the family name, no `le`) and the timestamp of the last
///   series read at that moment (the one that ended it, when a series did);
/// - a histogram the converter refuses (a count that is not cumulative, a negative count, `_count`
///   different from the `+Inf` bucket) is dropped without an error, and so are its classic series unless
///   they are kept (`always_scrape_classic_histograms`): 3.14 logs nothing either;
/// - buckets may come in any order; a repeated bound keeps its first count; a missing `+Inf` bucket gets
///   the count, a missing count the highest bucket's;
/// - OpenMetrics `_created` series: 3.14 looks ahead for a histogram's `_created` line when it starts
///   gathering one, and its OpenMetrics parser skips every `_created` series of a counter, summary or
///   histogram family from then on (before that they pass through as float samples and end a histogram
///   like any other name); so do we.
///
/// A sink drives it: `metadata`, `sample` and `finish` say what to emit. While `needsLabels` is true the
/// sink must hand every sample with its labels (a parser's label-free fast path knows nothing of names).
public struct ClassicHistogramCollector: Sendable {
    /// What `sample` decided.
    public struct Outcome: Sendable {
        /// A histogram that ended before this sample, to be handed over first.
        public var converted: ExpositionHistogramSample?
        /// Whether the sample itself is handed over (false for a gathered classic series not kept).
        public var keep: Bool
    }

    /// `always_scrape_classic_histograms`: gathered classic series are handed over too.
    public let keepClassicHistograms: Bool
    /// The input is OpenMetrics (the `_created` rule above applies).
    public let openMetrics: Bool

    /// Name and type of the last `# TYPE` line (3.14 keeps them until the next one).
    private var typedName = ""
    private var typedHistogram = false
    /// The last `# TYPE` is a counter, summary or histogram (3.14's `typeRequiresST`).
    private var typedWithCreated = false
    /// A histogram was started in an OpenMetrics input: `_created` series are skipped from now on.
    private var skipsCreated = false
    /// The histogram being gathered.
    private var collecting = false
    private var baseName = ""
    private var identity: [ExpositionLabel] = []
    private var labels: [ExpositionLabel] = []
    private var line = 0
    private var conversion = CustomBucketsConversion()
    /// Timestamp of the last sample seen (3.14's histogram takes the parser's current one).
    private var lastTimestampMs: Int64?

    public init(keepClassicHistograms: Bool, openMetrics: Bool) {
        self.keepClassicHistograms = keepClassicHistograms
        self.openMetrics = openMetrics
    }

    /// True while the last `# TYPE` declared a histogram: the sink must call `sample` with labels.
    public var needsLabels: Bool { typedHistogram }

    /// A family's metadata: ends the histogram being gathered (returned when it converts).
    public mutating func metadata(_ metadata: ExpositionMetadata) -> ExpositionHistogramSample? {
        let ended = finish()
        if let type = metadata.type {
            typedName = metadata.name
            typedHistogram = type == .histogram
            typedWithCreated = type == .counter || type == .summary || type == .histogram
        }
        return ended
    }

    /// A sample, in input order.
    public mutating func sample(_ sample: ExpositionSample) -> Outcome {
        if skipsCreated && typedWithCreated && Self.isCreated(sample.metricName) { return Outcome(converted: nil, keep: false) }
        lastTimestampMs = sample.timestampMs
        var converted: ExpositionHistogramSample?
        if collecting && endsHistogram(sample.labels) { converted = finish() }
        let gathered = gather(sample)
        return Outcome(converted: converted, keep: !gathered || keepClassicHistograms)
    }

    /// The end of the input (or a metadata line): the histogram being gathered, when it converts.
    public mutating func finish() -> ExpositionHistogramSample? {
        guard collecting else { return nil }
        collecting = false
        defer { conversion = CustomBucketsConversion() }
        guard case .success(let h) = conversion.convert() else { return nil }
        return ExpositionHistogramSample(labels: labels, histogram: h, timestampMs: lastTimestampMs, line: line)
    }

    /// 3.14's `differentMetric`: another type, family name or label set.
    private func endsHistogram(_ sampleLabels: [ExpositionLabel]) -> Bool {
        guard typedHistogram else { return true }
        if Self.baseName(of: sampleLabels.first?.value ?? "").name != baseName { return true }
        let other = Self.identity(sampleLabels)
        return other.count != identity.count || !zip(other, identity).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    /// 3.14's `handleClassicHistogramSeries`: true when the sample went into the histogram.
    private mutating func gather(_ sample: ExpositionSample) -> Bool {
        guard typedHistogram else { return false }
        let (suffix, name) = Self.baseName(of: sample.metricName)
        guard name == typedName else { return false }
        switch suffix {
        case .bucket:
            guard let le = sample.labels.first(where: { $0.name == "le" }),
                  let bound = GoStrconv.parseFloat(le.value), !bound.isNaN else { return false }
            start(sample, name: name)
            conversion.setBucket(le: bound, count: sample.value)
        case .count:
            start(sample, name: name)
            conversion.setCount(sample.value)
        case .sum:
            start(sample, name: name)
            conversion.setSum(sample.value)
        case .none:
            return false
        }
        return true
    }

    /// Begins a histogram at its first series, unless one is being gathered.
    private mutating func start(_ sample: ExpositionSample, name: String) {
        guard !collecting else { return }
        collecting = true
        if openMetrics { skipsCreated = true }
        baseName = name
        identity = Self.identity(sample.labels)
        line = sample.line
        labels = sample.labels.filter { $0.name != "le" }
        if !labels.isEmpty, labels[0].name == "__name__" {
            labels[0].value = name
        } else {
            labels.removeAll { $0.name == "__name__" }
            labels.insert(("__name__", name), at: 0)
        }
    }

    enum Suffix { case bucket, count, sum, none }

    /// `GetHistogramMetricBaseName`: `_bucket`, `_sum` or `_count` cut off (`_created` is not).
    static func baseName(of name: String) -> (suffix: Suffix, name: String) {
        let bytes = name.utf8
        for (suffix, kind) in [("_bucket", Suffix.bucket), ("_sum", .sum), ("_count", .count)]
        where bytes.count >= suffix.utf8.count && bytes.suffix(suffix.utf8.count).elementsEqual(suffix.utf8) {
            return (kind, String(decoding: bytes.dropLast(suffix.utf8.count), as: UTF8.self))
        }
        return (.none, name)
    }

    /// OpenMetrics `isCreatedSeries`: the name ends in `_created`.
    static func isCreated(_ name: String) -> Bool {
        name.utf8.count >= 8 && name.utf8.suffix(8).elementsEqual("_created".utf8)
    }

    /// The labels that tell label sets apart: all but `__name__` and `le`, sorted by name.
    static func identity(_ labels: [ExpositionLabel]) -> [ExpositionLabel] {
        labels.filter { $0.name != "__name__" && $0.name != "le" }.sorted { $0.name < $1.name }
    }
}
