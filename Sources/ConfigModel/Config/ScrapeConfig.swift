import GoCompat

/// One `scrape_configs` entry (a job): how and what to scrape, with its HTTP client, discovery and relabelling.
///
/// Decoding applies Prometheus's per-job defaults and the checks of its unmarshal hook; `validate(global:)`
/// then fills the values inherited from `global` and runs the checks `ScrapeConfig.Validate` makes.
public struct ScrapeConfig: YAMLDecodable, Sendable {
    public var jobName = ""
    public var honorLabels = false
    public var honorTimestamps = true
    public var trackTimestampsStaleness = false
    /// URL query parameters (`params`), in document order.
    public var params = OrderedStringMap<[String]>()
    /// Zero until `validate(global:)` fills in the global default.
    public var scrapeInterval = PromDuration.zero
    public var scrapeTimeout = PromDuration.zero
    public var scrapeProtocols: [ScrapeProtocol]?
    public var fallbackScrapeProtocol: ScrapeProtocol?
    public var scrapeNativeHistograms: Bool?
    public var alwaysScrapeClassicHistograms: Bool?
    public var convertClassicHistogramsToNHCB: Bool?
    public var scrapeFailureLogFile = ""
    public var metricsPath = "/metrics"
    public var scheme = "http"
    public var enableCompression = true
    public var bodySizeLimit = Base2Bytes.zero
    public var sampleLimit: UInt = 0
    public var targetLimit: UInt = 0
    public var labelLimit: UInt = 0
    public var labelNameLengthLimit: UInt = 0
    public var labelValueLengthLimit: UInt = 0
    public var nativeHistogramBucketLimit: UInt = 0
    public var nativeHistogramMinBucketFactor = 0.0
    public var keepDroppedTargets: UInt = 0
    /// Nil when not set (inherits the global scheme in `validate(global:)`).
    public var metricNameValidationScheme: NameValidationScheme?
    public var metricNameEscapingScheme = ""
    public var extraScrapeMetrics: Bool?
    public var httpClientConfig = HTTPClientConfig()
    public var serviceDiscoveryConfigs = ServiceDiscoveryConfigs()
    public var staticConfigs: [TargetGroup] = []
    public var relabelConfigs: [RelabelConfig] = []
    public var metricRelabelConfigs: [RelabelConfig] = []
    /// Where the job's mapping starts.
    public var mark = Mark(line: 0, column: 0)
    /// The `scrape_config_files` file this job came from; nil for jobs of the main config file.
    public var sourceFile: String?
    public var marks = FieldMarks()

    public static var goTypeName: String { "config.ScrapeConfig" }

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        mark = node.mark
        var m = decoder.mapping(node, goType: Self.goTypeName)
        marks = FieldMarks(m, keys: m.keys)
        jobName = try m.decode("job_name", default: "")
        honorLabels = try m.decode("honor_labels", default: false)
        honorTimestamps = try m.decode("honor_timestamps", default: true)
        trackTimestampsStaleness = try m.decode("track_timestamps_staleness", default: false)
        if let n = m.node("params"), !n.isNull {
            params = try OrderedStringMap<[String]>(yaml: n, decoder: decoder, goTypeName: "url.Values")
        }
        scrapeInterval = try m.decode("scrape_interval", default: .zero)
        scrapeTimeout = try m.decode("scrape_timeout", default: .zero)
        scrapeProtocols = try m.decodeIfPresent("scrape_protocols", as: [ScrapeProtocol].self)
        if let n = m.node("fallback_scrape_protocol"), !n.isNull {
            let p = try ScrapeProtocol(yaml: n, decoder: decoder)
            fallbackScrapeProtocol = p.name.isEmpty ? nil : p
        }
        scrapeNativeHistograms = try m.decodeIfPresent("scrape_native_histograms", as: Bool.self)
        alwaysScrapeClassicHistograms = try m.decodeIfPresent("always_scrape_classic_histograms", as: Bool.self)
        convertClassicHistogramsToNHCB = try m.decodeIfPresent("convert_classic_histograms_to_nhcb", as: Bool.self)
        scrapeFailureLogFile = try m.decode("scrape_failure_log_file", default: "")
        metricsPath = try m.decode("metrics_path", default: "/metrics")
        scheme = try m.decode("scheme", default: "http")
        enableCompression = try m.decode("enable_compression", default: true)
        bodySizeLimit = try m.decode("body_size_limit", default: .zero)
        sampleLimit = try m.decode("sample_limit", default: 0)
        targetLimit = try m.decode("target_limit", default: 0)
        labelLimit = try m.decode("label_limit", default: 0)
        labelNameLengthLimit = try m.decode("label_name_length_limit", default: 0)
        labelValueLengthLimit = try m.decode("label_value_length_limit", default: 0)
        nativeHistogramBucketLimit = try m.decode("native_histogram_bucket_limit", default: 0)
        nativeHistogramMinBucketFactor = try m.decode("native_histogram_min_bucket_factor", default: 0.0)
        keepDroppedTargets = try m.decode("keep_dropped_targets", default: 0)
        metricNameValidationScheme = try decodeValidationScheme(&m, "metric_name_validation_scheme")
        metricNameEscapingScheme = try m.decode("metric_name_escaping_scheme", default: "")
        extraScrapeMetrics = try m.decodeIfPresent("extra_scrape_metrics", as: Bool.self)
        httpClientConfig = try m.inline(HTTPClientConfig.self)
        serviceDiscoveryConfigs = try m.inline(ServiceDiscoveryConfigs.self)
        staticConfigs = try decodeStaticConfigs(&m)
        let relabel = try decodeRelabelList(&m, "relabel_configs")
        let metricRelabel = try decodeRelabelList(&m, "metric_relabel_configs")
        relabelConfigs = relabel.configs
        metricRelabelConfigs = metricRelabel.configs
        guard m.finish() else { return }

        // ScrapeConfig.UnmarshalYAML's checks.
        if jobName.isEmpty { throw ConfigError("job_name is empty", at: marks["job_name"]) }
        try httpClientConfig.validate()
        if relabelConfigs.isEmpty && relabel.nullMark == nil {
            for g in staticConfigs {
                for (i, t) in g.targets.enumerated() {
                    if let msg = checkTargetAddress(t) {
                        throw ConfigError(msg, at: i < g.targetMarks.count ? g.targetMarks[i] : g.mark)
                    }
                }
            }
        }
        if let at = relabel.nullMark { throw ConfigError("empty or null target relabeling rule in scrape config", at: at) }
        if let at = metricRelabel.nullMark { throw ConfigError("empty or null metric relabeling rule in scrape config", at: at) }
    }

    /// `ScrapeConfig.Validate(globalConfig)`: inherits interval, timeout, limits and histogram settings
    /// from `global`, checks the timeout, protocols, name validation and escaping, and the relabel rules.
    public mutating func validate(global: GlobalConfig) throws(ConfigError) {
        if scrapeInterval == .zero { scrapeInterval = global.scrapeInterval }
        if scrapeTimeout > scrapeInterval {
            throw ConfigError("scrape timeout greater than scrape interval for scrape config with job name \(goQuote(jobName))",
                              at: marks.byKey["scrape_timeout"] ?? mark)
        }
        if scrapeTimeout == .zero { scrapeTimeout = min(global.scrapeTimeout, scrapeInterval) }
        if bodySizeLimit == .zero { bodySizeLimit = global.bodySizeLimit }
        if sampleLimit == 0 { sampleLimit = global.sampleLimit }
        if targetLimit == 0 { targetLimit = global.targetLimit }
        if labelLimit == 0 { labelLimit = global.labelLimit }
        if labelNameLengthLimit == 0 { labelNameLengthLimit = global.labelNameLengthLimit }
        if labelValueLengthLimit == 0 { labelValueLengthLimit = global.labelValueLengthLimit }
        if keepDroppedTargets == 0 { keepDroppedTargets = global.keepDroppedTargets }
        if scrapeFailureLogFile.isEmpty { scrapeFailureLogFile = global.scrapeFailureLogFile }
        if scrapeNativeHistograms == nil { scrapeNativeHistograms = global.scrapeNativeHistograms }
        if extraScrapeMetrics == nil { extraScrapeMetrics = global.extraScrapeMetrics }

        if scrapeProtocols == nil {
            if let g = global.scrapeProtocols {
                scrapeProtocols = g
            } else {
                let names = scrapeNativeHistograms == true ? ScrapeProtocol.protoFirstDefaults : ScrapeProtocol.defaults
                scrapeProtocols = names.map { ScrapeProtocol($0, mark: mark) }
            }
        }
        do {
            try ScrapeProtocol.validateList(scrapeProtocols ?? [], at: marks["scrape_protocols"])
        } catch {
            throw ConfigError(error.message + " for scrape config with job name \(goQuote(jobName))", at: error.mark)
        }
        if let fallback = fallbackScrapeProtocol {
            do { try fallback.validate() } catch {
                throw ConfigError("invalid fallback_scrape_protocol for scrape config with job name \(goQuote(jobName)): \(error.message)", at: fallback.mark)
            }
        }

        let localValidationUnset = metricNameValidationScheme == nil
        let validation = metricNameValidationScheme ?? global.metricNameValidationScheme
        metricNameValidationScheme = validation

        let escapings = ["allow-utf-8", "underscores", "dots", "values"]
        var globalEscaping = global.metricNameEscapingScheme
        if globalEscaping.isEmpty {
            globalEscaping = global.metricNameValidationScheme == .legacy ? "underscores" : "allow-utf-8"
        } else if !escapings.contains(globalEscaping) {
            throw ConfigError("unknown global name escaping method specified, must be one of 'allow-utf-8', 'underscores', 'dots', or 'values', got \(goQuote(globalEscaping))",
                              at: global.marks["metric_name_escaping_scheme"])
        }
        if metricNameEscapingScheme.isEmpty {
            if localValidationUnset {
                metricNameEscapingScheme = globalEscaping
            } else {
                metricNameEscapingScheme = validation == .legacy ? "underscores" : "allow-utf-8"
            }
        }
        switch metricNameEscapingScheme {
        case "allow-utf-8":
            if validation != .utf8 {
                throw ConfigError("utf8 metric names requested but validation scheme is not set to UTF8",
                                  at: marks.byKey["metric_name_escaping_scheme"] ?? marks.byKey["metric_name_validation_scheme"] ?? mark)
            }
        case "underscores", "dots", "values":
            break
        default:
            throw ConfigError("unknown scrape config name escaping method specified, must be one of 'allow-utf-8', 'underscores', 'dots', or 'values', got \(goQuote(metricNameEscapingScheme))",
                              at: marks["metric_name_escaping_scheme"])
        }
        if convertClassicHistogramsToNHCB == nil { convertClassicHistogramsToNHCB = global.convertClassicHistogramsToNHCB }
        if alwaysScrapeClassicHistograms == nil { alwaysScrapeClassicHistograms = global.alwaysScrapeClassicHistograms }
        for rc in relabelConfigs { try rc.validate(scheme: validation) }
        for rc in metricRelabelConfigs { try rc.validate(scheme: validation) }
    }

    /// Every file this job names (HTTP client files and SD configs' own files).
    public var referencedFiles: [String] {
        httpClientConfig.referencedFiles + serviceDiscoveryConfigs.entries.flatMap { $0.config.referencedFiles }
    }

    public mutating func resolvePaths(relativeTo directory: String) {
        for i in serviceDiscoveryConfigs.entries.indices {
            serviceDiscoveryConfigs.entries[i].config.resolvePaths(relativeTo: directory)
        }
        httpClientConfig.resolvePaths(relativeTo: directory)
        scrapeFailureLogFile = FilePath.joinDir(directory, scrapeFailureLogFile)
    }

    /// The file_sd configs of this job.
    public var fileSDConfigs: [FileSDConfig] {
        serviceDiscoveryConfigs.entries.compactMap { $0.config as? FileSDConfig }
    }
}

/// Relabel rules of one list and the position of its first null entry (reported after decoding, as
/// Prometheus checks for nil rules only once the surrounding struct decoded).
struct RelabelList {
    var configs: [RelabelConfig] = []
    var nullMark: Mark?
}

func decodeRelabelList(_ m: inout MappingDecoder, _ key: String) throws(ConfigError) -> RelabelList {
    var out = RelabelList()
    guard let n = m.node(key), !n.isNull else { return out }
    guard case .sequence(let items) = n.content else {
        m.decoder.cannotUnmarshal(n, into: "[]*relabel.Config")
        return out
    }
    for item in items {
        if item.isNull {
            if out.nullMark == nil { out.nullMark = item.mark }
            continue
        }
        out.configs.append(try RelabelConfig(yaml: item, decoder: m.decoder))
    }
    return out
}
