import GoCompat
import ConfigModel

/// Turns one response into the samples to append, as Prometheus's `scrapeLoop.append` does: content
/// negotiation (with `fallback_scrape_protocol`), parsing, `honor_labels`, `metric_relabel_configs`,
/// `honor_timestamps` and the limits that fail the whole scrape.
struct ScrapeProcessor {
    enum Outcome: Sendable {
        case ok
        case failed(String, kind: ScrapeFetchError.Kind?)
    }

    struct Sample {
        /// The series' entry in `cache`.
        var entry: Int
        var timestamp: Int64
        var value: Double
        /// False for a sample with its own timestamp (kept by `honor_timestamps`) unless
        /// `track_timestamps_staleness` is set: Prometheus does not mark such series stale when they go.
        var tracksStaleness: Bool
        /// A native histogram (protobuf scrapes only); `value` is unused then.
        var histogram: FloatHistogram? = nil
    }

    /// How a body is parsed: one of the text formats, or the protobuf exposition.
    enum BodyFormat: Equatable {
        case text(ExpositionFormat)
        case protobuf
    }

    let target: ScrapeTarget
    let job: ScrapeConfig
    let timestamp: Int64
    /// Samples in the response.
    private(set) var total = 0
    /// Samples kept after relabelling, in response order.
    private(set) var samples: [Sample] = []
    /// The recent scrapes' series, this one's added (refs are filled in as samples are appended).
    var cache: ScrapeSeriesCache
    /// Why the samples handed over so far fail the scrape (a limit, a missing name); later ones are only counted.
    private var failure: String?
    /// Key and hash of the series `recognizes(series:)` did not know, for the `sample` call that follows.
    private var missKey: [UInt8] = []
    private var missHash: UInt64 = 0
    private var missPending = false
    /// The entry `recognizes(series:)` found, for the `knownSample` call that follows.
    private var hit = 0
    /// A native histogram did not fit `native_histogram_bucket_limit` (fails the scrape unless another
    /// failure came first, as in Prometheus's appender chain).
    private var bucketLimitExceeded = false
    /// `native_histogram_min_bucket_factor` as the highest schema kept.
    private var maxSchema = NativeHistogramBucketLimit.maximumSchema
    /// `convert_classic_histograms_to_nhcb` on a text scrape: the classic histograms gathered so far (the
    /// protobuf parser converts its own).
    private var classicHistograms = ClassicHistogramCollector(keepClassicHistograms: false, openMetrics: false)
    private var convertsClassicHistograms = false

    init(target: ScrapeTarget, job: ScrapeConfig, timestamp: Int64, cache: ScrapeSeriesCache = ScrapeSeriesCache()) {
        self.target = target
        self.job = job
        self.timestamp = timestamp
        self.cache = cache
    }

    mutating func process(_ response: FetchedResponse) -> Outcome {
        guard response.status == 200 else { return .failed("server returned HTTP status \(response.statusText)", kind: .other) }
        let limit = job.bodySizeLimit.bytes
        if limit > 0 && Int64(response.body.count) >= limit {
            return .failed("body size limit exceeded", kind: .bodySizeLimit)
        }
        let format: BodyFormat
        switch Self.format(contentType: response.contentType, fallback: job.fallbackScrapeProtocol?.name) {
        case .success(let f): format = f
        case .failure(let e): return .failed(e.message, kind: .other)
        }
        samples.reserveCapacity(cache.count)
        // The job's settings, unless relabelling set the target's internal labels for them.
        let classic = target.flag(PopulatedTarget.alwaysScrapeClassicHistogramsLabel,
                                  default: job.alwaysScrapeClassicHistograms == true)
        let nhcb = target.flag(PopulatedTarget.convertClassicHistogramsToNHCBLabel,
                               default: job.convertClassicHistogramsToNHCB == true)
        do {
            switch format {
            case .text(let text):
                convertsClassicHistograms = nhcb
                classicHistograms = ClassicHistogramCollector(keepClassicHistograms: classic, openMetrics: text == .openMetrics)
                try text.parse(response.body, into: &self)
                if convertsClassicHistograms, let last = classicHistograms.finish() { histogram(last) }
            case .protobuf:
                let native = target.flag(PopulatedTarget.scrapeNativeHistogramsLabel, default: job.scrapeNativeHistograms == true)
                maxSchema = NativeHistogramBucketLimit.maxSchema(bucketFactor: job.nativeHistogramMinBucketFactor)
                try ProtobufParser(ignoreNativeHistograms: !native, keepClassicHistograms: classic,
                                   convertClassicHistogramsToNHCB: nhcb)
                    .parse(response.body, into: &self)
            }
        } catch {
            return .failed("\(error)", kind: .other)
        }
        if let failure { return .failed(failure, kind: .other) }
        if bucketLimitExceeded { return .failed(NativeHistogramBucketLimit.exceeded, kind: .other) }
        return .ok
    }

    /// A sample of a series found in the cache: kept with its known labels, or dropped again.
    private mutating func sample(entry: Int, value: Double, timestampMs: Int64?, histogram: FloatHistogram? = nil) {
        cache.markSeen(entry)
        guard failure == nil, !cache.entries[entry].dropped else { return }
        let explicit = job.honorTimestamps && timestampMs != nil
        let t = explicit ? (timestampMs ?? timestamp) : timestamp
        samples.append(Sample(entry: entry, timestamp: t, value: value, tracksStaleness: !explicit || job.trackTimestampsStaleness,
                              histogram: histogram))
        if job.sampleLimit > 0 && samples.count > Int(clamping: job.sampleLimit) {
            failure = "sample limit exceeded"
        }
    }

    /// A series not in the cache: `honor_labels`, `metric_relabel_configs` and the label limits decide what
    /// it becomes; the cache learns it under `key`.
    private mutating func learn(_ labels: [ExpositionLabel], key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
        var map: [String: String] = [:]
        for l in labels { map[l.name] = l.value }
        mutate(&map)
        guard job.metricRelabelConfigs.apply(to: &map) else {
            return cache.insert(key, hash: hash, labels: nil, metricName: "")
        }
        guard let name = map["__name__"], !name.isEmpty else {
            failure = "missing metric name (__name__ label)"
            return nil
        }
        if let problem = limitProblem(map, metric: name) {
            failure = problem
            return nil
        }
        return cache.insert(key, hash: hash, labels: Labels(map), metricName: name)
    }

    /// `mutateSampleLabels`: the target's labels join the scraped ones; on a clash the scraped value is
    /// kept (`honor_labels: true`) or moved to `exported_<name>` (repeatedly prefixed until free).
    private func mutate(_ labels: inout [String: String]) {
        if job.honorLabels {
            for (name, value) in target.labels where (labels[name] ?? "").isEmpty { labels[name] = value }
            return
        }
        var conflicts: [(String, String)] = []
        for (name, value) in target.labels.sorted(by: { $0.key < $1.key }) {
            if let existing = labels[name], !existing.isEmpty { conflicts.append((name, existing)) }
            labels[name] = value
        }
        // Shorter names first (stable), as Prometheus resolves them.
        for (name, value) in conflicts.enumerated().sorted(by: { ($0.element.0.utf8.count, $0.offset) < ($1.element.0.utf8.count, $1.offset) }).map(\.element) {
            var newName = name
            while true {
                newName = "exported_" + newName
                if (labels[newName] ?? "").isEmpty {
                    labels[newName] = value
                    break
                }
            }
        }
    }

    /// `verifyLabelLimits`, with Prometheus's messages.
    private func limitProblem(_ labels: [String: String], metric: String) -> String? {
        let met = String(metric.prefix(50))
        if job.labelLimit > 0 && labels.count > Int(clamping: job.labelLimit) {
            return "label_limit exceeded (metric: \(met), number of labels: \(labels.count), limit: \(job.labelLimit))"
        }
        guard job.labelNameLengthLimit > 0 || job.labelValueLengthLimit > 0 else { return nil }
        for (name, value) in labels.sorted(by: { $0.key < $1.key }) {
            if job.labelNameLengthLimit > 0 && name.utf8.count > Int(clamping: job.labelNameLengthLimit) {
                return "label_name_length_limit exceeded (metric: \(met), label name: \(name.prefix(50)), length: \(name.utf8.count), limit: \(job.labelNameLengthLimit))"
            }
            if job.labelValueLengthLimit > 0 && value.utf8.count > Int(clamping: job.labelValueLengthLimit) {
                return "label_value_length_limit exceeded (metric: \(met), label name: \(name.prefix(50)), value: \(goQuote(String(value.prefix(50)))), length: \(value.utf8.count), limit: \(job.labelValueLengthLimit))"
            }
        }
        return nil
    }

    /// textparse's `extractMediaType`: the parser for a `Content-Type`, or the fallback protocol's, or the error.
    static func format(contentType: String, fallback: String?) -> Result<BodyFormat, ScrapeFetchError> {
        let fallbackFormat = fallback.flatMap(formatOfProtocol)
        if contentType.isEmpty {
            if let fallbackFormat { return .success(fallbackFormat) }
            return .failure(ScrapeFetchError(.other, "non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target"))
        }
        if let f = ExpositionFormat.format(forContentType: contentType) { return .success(.text(f)) }
        if mediaType(contentType) == "application/vnd.google.protobuf" { return .success(.protobuf) }
        if let fallbackFormat { return .success(fallbackFormat) }
        return .failure(ScrapeFetchError(.other, "received unsupported Content-Type \(goQuote(contentType)) and no fallback_scrape_protocol specified for target"))
    }

    /// The parser for a `scrape_protocols` name.
    static func formatOfProtocol(_ name: String) -> BodyFormat? {
        if name.hasPrefix("OpenMetricsText") { return .text(.openMetrics) }
        if name.hasPrefix("PrometheusText") { return .text(.prometheusText) }
        if name == "PrometheusProto" { return .protobuf }
        return nil
    }

    /// The media type of a `Content-Type`, lower-cased, without parameters.
    static func mediaType(_ contentType: String) -> String {
        let type = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return type.trimmingASCIIBlanks().lowercased()
    }
}

extension ScrapeProcessor: HistogramExpositionSink {
    static var recognizesSeries: Bool { true }

    mutating func metadata(_ metadata: ExpositionMetadata) {
        if convertsClassicHistograms, let ended = classicHistograms.metadata(metadata) { histogram(ended) }
    }

    mutating func recognizes(series: UnsafeBufferPointer<UInt8>) -> Bool {
        // A histogram family being converted needs every sample's labels.
        if convertsClassicHistograms && classicHistograms.needsLabels {
            missPending = false
            return false
        }
        let h = cache.hash(series)
        if let e = cache.find(series, hash: h) {
            missPending = false
            hit = e
            return true
        }
        missKey.removeAll(keepingCapacity: true)
        missKey.append(contentsOf: series)
        missHash = h
        missPending = true
        return false
    }

    mutating func knownSample(value: Double, timestampMs: Int64?, line: Int) {
        total += 1
        sample(entry: hit, value: value, timestampMs: timestampMs)
    }

    mutating func sample(_ s: ExpositionSample) {
        if convertsClassicHistograms {
            let outcome = classicHistograms.sample(s)
            if let ended = outcome.converted { histogram(ended) }
            guard outcome.keep else { return }
        }
        total += 1
        guard let e = entry(for: s.labels) else { return }
        sample(entry: e, value: s.value, timestampMs: s.timestampMs)
    }

    /// A native histogram (protobuf bodies, and classic histograms converted to custom buckets): its series as a
    /// float sample's, then Prometheus's appender chain, the schema capped by `native_histogram_min_bucket_factor`,
    /// then `native_histogram_bucket_limit`.
    mutating func histogram(_ h: ExpositionHistogramSample) {
        total += 1
        guard let e = entry(for: h.labels) else { return }
        guard let fitted = NativeHistogramBucketLimit.apply(NativeHistogramBucketLimit.reduced(h.histogram, toSchema: maxSchema),
                                                            limit: Int(clamping: job.nativeHistogramBucketLimit)) else {
            cache.markSeen(e)
            bucketLimitExceeded = true
            return
        }
        sample(entry: e, value: 0, timestampMs: h.timestampMs, histogram: fitted)
    }

    /// The cache entry of a sample's series: the one `recognizes(series:)` missed is learnt under its bytes;
    /// otherwise (a parser that offers no bytes) it is looked up, or learnt, by its labels' key.
    private mutating func entry(for labels: [ExpositionLabel]) -> Int? {
        if !missPending {
            ScrapeSeriesCache.labelKey(labels, into: &missKey)
            missHash = missKey.withUnsafeBufferPointer { cache.hash($0) }
            if let e = missKey.withUnsafeBufferPointer({ cache.find($0, hash: missHash) }) { return e }
        }
        missPending = false
        guard failure == nil else { return nil }
        let key = missKey
        let hash = missHash
        return key.withUnsafeBufferPointer { learn(labels, key: $0, hash: hash) }
    }
}
