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

    /// A target given by its address (static_configs, file_sd), with the labels of its group. For many targets
    /// of one job, make one `Builder` and ask it instead.
    public static func populate(address: String, group: LabelSet, job: ScrapeConfig) -> PopulatedTarget {
        Builder(job: job).populate(target: ["__address__": address], group: group)
    }

    /// Builds the targets of one job: what the job gives every target (its default labels, `__param_*`,
    /// whether its own interval and timeout are valid) is worked out once here, not once per target, so a
    /// config of thousands of static targets is checked and scraped at the cost of relabelling alone.
    public struct Builder: Sendable {
        private let relabelConfigs: [RelabelConfig]
        /// The job's defaults, then the first value of each `params` entry as `__param_NAME`.
        private let defaults: [(name: String, value: String)]
        /// The job's interval and timeout as labels, and what validating that pair says.
        private let defaultInterval: String, defaultTimeout: String, defaultTimingError: String?

        public init(job: ScrapeConfig) {
            relabelConfigs = job.relabelConfigs
            defaultInterval = job.scrapeInterval.description
            defaultTimeout = job.scrapeTimeout.description
            var defaults: [(name: String, value: String)] = [
                ("job", job.jobName),
                ("__scrape_interval__", defaultInterval),
                ("__scrape_timeout__", defaultTimeout),
                ("__metrics_path__", job.metricsPath),
                ("__scheme__", job.scheme),
                (convertClassicHistogramsToNHCBLabel, String(job.convertClassicHistogramsToNHCB ?? false)),
                (alwaysScrapeClassicHistogramsLabel, String(job.alwaysScrapeClassicHistograms ?? false)),
                (scrapeNativeHistogramsLabel, String(job.scrapeNativeHistograms ?? false)),
            ]
            for p in job.params {
                if let first = p.value.first { defaults.append(("__param_" + p.key, first)) }
            }
            self.defaults = defaults
            defaultTimingError = PopulatedTarget.timingError(interval: defaultInterval, timeout: defaultTimeout)
        }

        /// `PopulateDiscoveredLabels` for one target of the job.
        public func discoveredLabels(target: [String: String], group: LabelSet) -> [String: String] {
            var labels = [String: String](minimumCapacity: target.count + group.map.entries.count + defaults.count + 1)
            for (name, value) in target { set(&labels, name, value) }
            for l in group where target[l.key] == nil { set(&labels, l.key, l.value) }
            fillDefaults(&labels)
            return labels
        }

        /// The job's defaults where the target and its group left a label unset.
        private func fillDefaults(_ labels: inout [String: String]) {
            for (name, value) in defaults where (labels[name] ?? "").isEmpty { set(&labels, name, value) }
        }

        /// `PopulateLabels` for one target of the job.
        public func populate(target: [String: String], group: LabelSet) -> PopulatedTarget {
            let discovered = discoveredLabels(target: target, group: group)
            var labels = discovered
            switch relabelAndValidate(&labels) {
            case .kept: return PopulatedTarget(discoveredLabels: discovered, labels: labels, error: nil)
            case .dropped: return PopulatedTarget(discoveredLabels: discovered, labels: [:], error: nil)
            case .failed(let message): return PopulatedTarget(discoveredLabels: discovered, labels: [:], error: message)
            }
        }

        /// Only `populate(address:group:).error`: why the target at `address` is invalid, nil when it is fine or
        /// dropped (what `check config` asks of each static target; no labels are kept).
        public func error(address: String, group: LabelSet) -> String? {
            // `discoveredLabels(target: ["__address__": address], …)` without the target's own dictionary.
            var labels = [String: String](minimumCapacity: group.map.entries.count + defaults.count + 2)
            set(&labels, "__address__", address)
            for l in group where l.key != "__address__" { set(&labels, l.key, l.value) }
            fillDefaults(&labels)
            if case .failed(let message) = relabelAndValidate(&labels) { return message }
            return nil
        }

        private enum Outcome {
            case kept, dropped, failed(String)
        }

        /// Relabels `labels` and checks the result; when kept, `labels` are the target's final labels.
        private func relabelAndValidate(_ labels: inout [String: String]) -> Outcome {
            guard relabelConfigs.apply(to: &labels) else { return .dropped }
            guard let addr = labels["__address__"], !addr.isEmpty else { return .failed("no address") }
            if let msg = checkTargetAddress(addr) { return .failed(msg) }
            let interval = labels["__scrape_interval__"] ?? "", timeout = labels["__scrape_timeout__"] ?? ""
            let timing = interval == defaultInterval && timeout == defaultTimeout
                ? defaultTimingError : PopulatedTarget.timingError(interval: interval, timeout: timeout)
            if let timing { return .failed(timing) }
            for (name, what) in Self.switches {
                if let v = labels[name], !v.isEmpty, parseGoBool(v) == nil {
                    return .failed("error parsing \(what): strconv.ParseBool: parsing \(goQuote(v)): invalid syntax")
                }
            }
            for name in labels.keys where name.hasPrefix("__meta_") { labels[name] = nil }
            if (labels["instance"] ?? "").isEmpty { labels["instance"] = addr }
            // Prometheus reports the first invalid value in label order; sort only when there is one.
            if labels.values.contains(where: { !LabelNames.isValidLabelValue($0) }) {
                for (name, value) in labels.sorted(by: { $0.key < $1.key }) where !LabelNames.isValidLabelValue(value) {
                    return .failed("invalid label value for \(goQuote(name)): \(goQuote(value))")
                }
            }
            return .kept
        }

        /// The histogram switches a target's labels may set, and how promtool names them in errors.
        private static let switches = [
            (convertClassicHistogramsToNHCBLabel, "convert classic histograms to nhcb"),
            (alwaysScrapeClassicHistogramsLabel, "always scrape classic histograms"),
            (scrapeNativeHistogramsLabel, "scrape native histograms"),
        ]

        private func set(_ labels: inout [String: String], _ name: String, _ value: String) {
            labels[name] = value.isEmpty ? nil : value
        }
    }

    /// What is wrong with a target's `__scrape_interval__` and `__scrape_timeout__` label values, in
    /// promtool's words; nil when both parse, neither is 0 and the timeout is not above the interval.
    static func timingError(interval: String, timeout: String) -> String? {
        let intervalDuration: PromDuration, timeoutDuration: PromDuration
        switch PromDuration.parse(interval) {
        case .success(let d): intervalDuration = d
        case .failure(let e): return "error parsing scrape interval: \(e.message)"
        }
        if intervalDuration == .zero { return "scrape interval cannot be 0" }
        switch PromDuration.parse(timeout) {
        case .success(let d): timeoutDuration = d
        case .failure(let e): return "error parsing scrape timeout: \(e.message)"
        }
        if timeoutDuration == .zero { return "scrape timeout cannot be 0" }
        if timeoutDuration > intervalDuration {
            return "scrape timeout cannot be greater than scrape interval (\(goQuote(timeout)) > \(goQuote(interval)))"
        }
        return nil
    }

    /// Go's `strconv.ParseBool`.
    public static func parseGoBool(_ s: String) -> Bool? {
        switch s {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: return nil
        }
    }
}
