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
        var labels: Labels
        var timestamp: Int64
        var value: Double
        /// False for a sample with its own timestamp (kept by `honor_timestamps`) unless
        /// `track_timestamps_staleness` is set: Prometheus does not mark such series stale when they go.
        var tracksStaleness: Bool
        /// The series as exposed, and its head ref when the previous scrape appended it.
        var key: ScrapeSeriesCache.Key
        var ref: SeriesRef?
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
    /// The previous scrape's series, then this scrape's (refs are filled in as samples are appended).
    var cache: ScrapeSeriesCache

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
        var sink = ScrapedSeries()
        do {
            switch format {
            case .text(let text): try text.parse(response.body, into: &sink)
            case .protobuf:
                // The job's settings, unless relabelling set the target's internal labels for them.
                let native = target.flag(PopulatedTarget.scrapeNativeHistogramsLabel, default: job.scrapeNativeHistograms == true)
                let classic = target.flag(PopulatedTarget.alwaysScrapeClassicHistogramsLabel,
                                          default: job.alwaysScrapeClassicHistograms == true)
                let nhcb = target.flag(PopulatedTarget.convertClassicHistogramsToNHCBLabel,
                                       default: job.convertClassicHistogramsToNHCB == true)
                try ProtobufParser(ignoreNativeHistograms: !native, keepClassicHistograms: classic,
                                   convertClassicHistogramsToNHCB: nhcb)
                    .parse(response.body, into: &sink)
            }
        } catch {
            return .failed("\(error)", kind: .other)
        }
        total = sink.samples.count
        var bucketLimitExceeded = false
        let maxSchema = NativeHistogramBucketLimit.maxSchema(bucketFactor: job.nativeHistogramMinBucketFactor)
        let previous = cache.entries
        var current: [ScrapeSeriesCache.Key: ScrapeSeriesCache.Entry] = [:]
        current.reserveCapacity(previous.count)
        for (index, s) in sink.samples.enumerated() {
            var histogram = sink.histograms.isEmpty ? nil : sink.histograms[index]
            let key = ScrapeSeriesCache.Key(s.labels)
            let labels: Labels
            var ref: SeriesRef?
            switch previous[key] ?? current[key] {
            case .dropped?:
                current[key] = .dropped
                continue
            case .kept(let known, let knownRef)?:
                labels = known
                ref = knownRef
                current[key] = .kept(known, ref: knownRef)
            case nil:
                var map: [String: String] = [:]
                for l in s.labels { map[l.name] = l.value }
                mutate(&map)
                guard job.metricRelabelConfigs.apply(to: &map) else {
                    current[key] = .dropped
                    continue
                }
                guard let name = map["__name__"], !name.isEmpty else { return .failed("missing metric name (__name__ label)", kind: .other) }
                if let problem = limitProblem(map, metric: name) { return .failed(problem, kind: .other) }
                labels = Labels(map)
                current[key] = .kept(labels, ref: nil)
            }
            let explicit = job.honorTimestamps && s.timestampMs != nil
            let t = explicit ? (s.timestampMs ?? timestamp) : timestamp
            if let h = histogram {
                // Prometheus's appender chain: maxSchemaAppender, then bucketLimitAppender (whose failure
                // fails the scrape unless the sample limit already did).
                histogram = NativeHistogramBucketLimit.apply(
                    NativeHistogramBucketLimit.reduced(h, toSchema: maxSchema),
                    limit: Int(clamping: job.nativeHistogramBucketLimit))
                if histogram == nil {
                    bucketLimitExceeded = true
                    continue
                }
            }
            samples.append(Sample(labels: labels, timestamp: t, value: s.value,
                                  tracksStaleness: !explicit || job.trackTimestampsStaleness, key: key, ref: ref,
                                  histogram: histogram))
            if job.sampleLimit > 0 && samples.count > Int(clamping: job.sampleLimit) {
                return .failed("sample limit exceeded", kind: .other)
            }
        }
        cache.entries = current
        if bucketLimitExceeded { return .failed(NativeHistogramBucketLimit.exceeded, kind: .other) }
        return .ok
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
