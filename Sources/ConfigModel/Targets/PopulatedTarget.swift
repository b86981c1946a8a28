import GoCompat
/// One discovered target of a scrape job: its labels as discovery and the job's defaults made them,
/// and as relabelling left them (Prometheus's `scrape.PopulateDiscoveredLabels` + `PopulateLabels`).
///
/// `check config`, `check service-discovery` and the scraper all build targets through this one type,
/// so they agree on which targets exist and which labels they carry.
public struct PopulatedTarget: Sendable, Equatable {
    /// Target and group labels plus the job's defaults (`job`, `__scrape_interval__`, `__param_*`, …).
    public var discoveredLabels: [String: String]
    /// The labels after `relabel_configs` with `__meta_*` removed and `instance` defaulted; empty when the
    /// target was dropped by relabelling or is invalid.
    public var labels: [String: String]
    /// Why the target is invalid (promtool prints it as `instance N in group G: …`); nil when fine or dropped.
    public var error: String?

    /// True when relabelling dropped the target (no labels and no error).
    public var isDropped: Bool { labels.isEmpty && error == nil }

    public init(discoveredLabels: [String: String], labels: [String: String], error: String?) {
        self.discoveredLabels = discoveredLabels
        self.labels = labels
        self.error = error
    }

    /// Internal labels 3.14 adds so relabelling can switch histogram handling per target.
    public static let convertClassicHistogramsToNHCBLabel = "__convert_classic_histograms_to_nhcb__"
    public static let alwaysScrapeClassicHistogramsLabel = "__always_scrape_classic_histograms__"
    public static let scrapeNativeHistogramsLabel = "__scrape_native_histograms__"

    /// `PopulateDiscoveredLabels`: target labels win over group labels; the job's defaults fill what is unset.
    public static func discoveredLabels(target: [String: String], group: LabelSet, job: ScrapeConfig) -> [String: String] {
        var labels: [String: String] = [:]
        for (name, value) in target { set(&labels, name, value) }
        for l in group where target[l.key] == nil { set(&labels, l.key, l.value) }
        let defaults: [(String, String)] = [
            ("job", job.jobName),
            ("__scrape_interval__", job.scrapeInterval.description),
            ("__scrape_timeout__", job.scrapeTimeout.description),
            ("__metrics_path__", job.metricsPath),
            ("__scheme__", job.scheme),
            (convertClassicHistogramsToNHCBLabel, String(job.convertClassicHistogramsToNHCB ?? false)),
            (alwaysScrapeClassicHistogramsLabel, String(job.alwaysScrapeClassicHistograms ?? false)),
            (scrapeNativeHistogramsLabel, String(job.scrapeNativeHistograms ?? false)),
        ]
        for (name, value) in defaults where (labels[name] ?? "").isEmpty { set(&labels, name, value) }
        for p in job.params {
            let name = "__param_" + p.key
            if let first = p.value.first, (labels[name] ?? "").isEmpty { set(&labels, name, first) }
        }
        return labels
    }

    /// A target given by its address (static_configs, file_sd), with the labels of its group.
    public static func populate(address: String, group: LabelSet, job: ScrapeConfig) -> PopulatedTarget {
        populate(target: ["__address__": address], group: group, job: job)
    }

    /// `PopulateLabels`: relabels the discovered labels and validates the result.
    public static func populate(target: [String: String], group: LabelSet, job: ScrapeConfig) -> PopulatedTarget {
        let discovered = discoveredLabels(target: target, group: group, job: job)
        var labels = discovered
        func failed(_ message: String) -> PopulatedTarget {
            PopulatedTarget(discoveredLabels: discovered, labels: [:], error: message)
        }
        guard job.relabelConfigs.apply(to: &labels) else {
            return PopulatedTarget(discoveredLabels: discovered, labels: [:], error: nil)
        }
        guard let addr = labels["__address__"], !addr.isEmpty else { return failed("no address") }
        if let msg = checkTargetAddress(addr) { return failed(msg) }
        /// The duration in label `name`, or promtool's message naming `what` failed to parse.
        func duration(_ name: String, _ what: String) -> Result<PromDuration, ConfigError> {
            PromDuration.parse(labels[name] ?? "").mapError { ConfigError("error parsing \(what): \($0.message)") }
        }
        let interval = labels["__scrape_interval__"] ?? "", timeout = labels["__scrape_timeout__"] ?? ""
        let intervalDuration: PromDuration, timeoutDuration: PromDuration
        switch duration("__scrape_interval__", "scrape interval") {
        case .success(let d): intervalDuration = d
        case .failure(let e): return failed(e.message)
        }
        if intervalDuration == .zero { return failed("scrape interval cannot be 0") }
        switch duration("__scrape_timeout__", "scrape timeout") {
        case .success(let d): timeoutDuration = d
        case .failure(let e): return failed(e.message)
        }
        if timeoutDuration == .zero { return failed("scrape timeout cannot be 0") }
        if timeoutDuration > intervalDuration {
            return failed("scrape timeout cannot be greater than scrape interval (\(goQuote(timeout)) > \(goQuote(interval)))")
        }
        let switches = [
            (convertClassicHistogramsToNHCBLabel, "convert classic histograms to nhcb"),
            (alwaysScrapeClassicHistogramsLabel, "always scrape classic histograms"),
            (scrapeNativeHistogramsLabel, "scrape native histograms"),
        ]
        for (name, what) in switches {
            if let v = labels[name], !v.isEmpty, parseGoBool(v) == nil {
                return failed("error parsing \(what): strconv.ParseBool: parsing \(goQuote(v)): invalid syntax")
            }
        }
        for name in labels.keys where name.hasPrefix("__meta_") { labels[name] = nil }
        if (labels["instance"] ?? "").isEmpty { labels["instance"] = addr }
        for (name, value) in labels.sorted(by: { $0.key < $1.key }) where !LabelNames.isValidLabelValue(value) {
            return failed("invalid label value for \(goQuote(name)): \(goQuote(value))")
        }
        return PopulatedTarget(discoveredLabels: discovered, labels: labels, error: nil)
    }

    /// Go's `strconv.ParseBool`.
    public static func parseGoBool(_ s: String) -> Bool? {
        switch s {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: return nil
        }
    }

    private static func set(_ labels: inout [String: String], _ name: String, _ value: String) {
        labels[name] = value.isEmpty ? nil : value
    }
}
