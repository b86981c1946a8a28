import GoCompat

/// A scrape protocol name (`PrometheusProto`, `OpenMetricsText1.0.0`, …) as written.
public struct ScrapeProtocol: YAMLDecodable, Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var mark: Mark
    public static var goTypeName: String { "config.ScrapeProtocol" }

    /// Every protocol Prometheus can negotiate, sorted as its error message lists them.
    public static let supported = ["OpenMetricsText0.0.1", "OpenMetricsText1.0.0", "PrometheusProto", "PrometheusText0.0.4", "PrometheusText1.0.0"]
    public static let defaults = ["OpenMetricsText1.0.0", "OpenMetricsText0.0.1", "PrometheusText1.0.0", "PrometheusText0.0.4"]
    public static let protoFirstDefaults = ["PrometheusProto"] + defaults

    public init(_ name: String, mark: Mark = Mark(line: 0, column: 0)) {
        self.name = name
        self.mark = mark
    }
    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        name = try String(yaml: node, decoder: decoder)
        mark = node.mark
    }
    public var description: String { name }
    public static func == (a: ScrapeProtocol, b: ScrapeProtocol) -> Bool { a.name == b.name }
    public func hash(into h: inout Hasher) { h.combine(name) }

    /// `ScrapeProtocol.Validate()`.
    public func validate() throws(ConfigError) {
        guard ScrapeProtocol.supported.contains(name) else {
            throw ConfigError("unknown scrape protocol \(name), supported: [\(ScrapeProtocol.supported.joined(separator: " "))]", at: mark)
        }
    }

    /// `validateAcceptScrapeProtocols`: non-empty, no duplicates (case-insensitive), all known.
    static func validateList(_ list: [ScrapeProtocol], at mark: Mark?) throws(ConfigError) {
        if list.isEmpty { throw ConfigError("scrape_protocols cannot be empty", at: mark) }
        var seen: Set<String> = []
        for p in list {
            if seen.contains(p.name.lowercased()) {
                throw ConfigError("duplicated protocol in scrape_protocols, got [\(list.map(\.name).joined(separator: " "))]", at: p.mark)
            }
            do { try p.validate() } catch { throw error.prefixed("scrape_protocols: ") }
            seen.insert(p.name.lowercased())
        }
    }
}

/// `metric_name_validation_scheme` as written: unset, `utf8` or `legacy` (anything else is an error).
func decodeValidationScheme(_ m: inout MappingDecoder, _ key: String) throws(ConfigError) -> NameValidationScheme? {
    guard let n = m.node(key), !n.isNull else { return nil }
    let s = try String(yaml: n, decoder: m.decoder)
    guard n.scalarValue != nil else { return nil }
    switch s {
    case "": return nil
    case "utf8": return .utf8
    case "legacy": return .legacy
    default: throw ConfigError("unrecognized ValidationScheme: \(goQuote(s))", at: n.mark)
    }
}

/// The `global` section: defaults for every scrape job and rule group, and the external labels.
public struct GlobalConfig: YAMLDecodable, Sendable {
    public var scrapeInterval = PromDuration.minutes(1)
    public var scrapeTimeout = PromDuration.seconds(10)
    /// Nil when not configured (each job then picks its default from its native-histogram setting).
    public var scrapeProtocols: [ScrapeProtocol]?
    public var evaluationInterval = PromDuration.minutes(1)
    public var ruleQueryOffset = PromDuration.zero
    public var queryLogFile = ""
    public var scrapeFailureLogFile = ""
    /// External labels in name order, after `$VAR` expansion on load.
    public var externalLabels: [(name: String, value: String)] = []
    public var bodySizeLimit = Base2Bytes.zero
    public var sampleLimit: UInt = 0
    public var targetLimit: UInt = 0
    public var labelLimit: UInt = 0
    public var labelNameLengthLimit: UInt = 0
    public var labelValueLengthLimit: UInt = 0
    public var keepDroppedTargets: UInt = 0
    public var metricNameValidationScheme = NameValidationScheme.utf8
    /// Empty when not configured.
    public var metricNameEscapingScheme = ""
    public var scrapeNativeHistograms = false
    public var convertClassicHistogramsToNHCB = false
    public var alwaysScrapeClassicHistograms = false
    public var extraScrapeMetrics = false
    public var marks = FieldMarks()

    public static var goTypeName: String { "config.plain" }
    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        marks = FieldMarks(m, keys: m.keys)
        let interval = try m.decode("scrape_interval", default: PromDuration.zero)
        let timeout = try m.decode("scrape_timeout", default: PromDuration.zero)
        scrapeProtocols = try m.decodeIfPresent("scrape_protocols", as: [ScrapeProtocol].self)
        let evaluation = try m.decode("evaluation_interval", default: PromDuration.zero)
        ruleQueryOffset = try m.decode("rule_query_offset", default: .zero)
        queryLogFile = try m.decode("query_log_file", default: "")
        scrapeFailureLogFile = try m.decode("scrape_failure_log_file", default: "")
        let labels = try m.decode("external_labels", default: OrderedStringMap<String>())
        bodySizeLimit = try m.decode("body_size_limit", default: .zero)
        sampleLimit = try m.decode("sample_limit", default: 0)
        targetLimit = try m.decode("target_limit", default: 0)
        labelLimit = try m.decode("label_limit", default: 0)
        labelNameLengthLimit = try m.decode("label_name_length_limit", default: 0)
        labelValueLengthLimit = try m.decode("label_value_length_limit", default: 0)
        keepDroppedTargets = try m.decode("keep_dropped_targets", default: 0)
        let scheme = try decodeValidationScheme(&m, "metric_name_validation_scheme")
        metricNameEscapingScheme = try m.decode("metric_name_escaping_scheme", default: "")
        scrapeNativeHistograms = try m.decode("scrape_native_histograms", default: false)
        convertClassicHistogramsToNHCB = try m.decode("convert_classic_histograms_to_nhcb", default: false)
        alwaysScrapeClassicHistograms = try m.decode("always_scrape_classic_histograms", default: false)
        extraScrapeMetrics = try m.decode("extra_scrape_metrics", default: false)
        guard m.finish() else { return }

        metricNameValidationScheme = scheme ?? .utf8
        // labels.Labels keeps labels sorted by name; validation reports the first bad one in that order.
        let sorted = labels.entries.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
        for e in sorted {
            if !metricNameValidationScheme.isValidLabelName(e.key) {
                throw ConfigError("\(goQuote(e.key)) is not a valid label name", at: e.keyMark)
            }
            if !LabelNames.isValidLabelValue(e.value) {
                throw ConfigError("\(goQuote(e.value)) is not a valid label value", at: e.valueMark)
            }
        }
        externalLabels = sorted.map { ($0.key, $0.value) }
        externalLabelMarks = sorted.map(\.keyMark)

        scrapeInterval = interval == .zero ? .minutes(1) : interval
        if timeout > scrapeInterval {
            throw ConfigError("global scrape timeout greater than scrape interval", at: marks.last(of: "scrape_timeout", "scrape_interval"))
        }
        scrapeTimeout = timeout == .zero ? min(.seconds(10), scrapeInterval) : timeout
        evaluationInterval = evaluation == .zero ? .minutes(1) : evaluation
        if let protocols = scrapeProtocols {
            do { try ScrapeProtocol.validateList(protocols, at: marks["scrape_protocols"]) } catch {
                throw ConfigError(error.message + " for global config", at: error.mark)
            }
        }
    }

    /// Positions of the external label names, in `externalLabels` order.
    public var externalLabelMarks: [Mark] = []

    /// The escaping scheme in effect: as configured, else derived from the validation scheme.
    public var effectiveEscapingScheme: String {
        if !metricNameEscapingScheme.isEmpty { return metricNameEscapingScheme }
        return metricNameValidationScheme == .legacy ? "underscores" : "allow-utf-8"
    }

    mutating func resolvePaths(relativeTo directory: String) {
        queryLogFile = FilePath.joinDir(directory, queryLogFile)
        scrapeFailureLogFile = FilePath.joinDir(directory, scrapeFailureLogFile)
    }

    /// Replaces `$VAR`/`${VAR}` in external label values from the environment (`$$` is `$`), as `Load` does.
    mutating func expandExternalLabels(_ getenv: (String) -> String?) {
        externalLabels = externalLabels.map { ($0.name, GlobalConfig.expand($0.value, getenv)) }
    }

    /// Go's `os.Expand` with Prometheus's mapping (`$$` → `$`, unset → empty).
    static func expand(_ s: String, _ getenv: (String) -> String?) -> String {
        let b = Array(s.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        func isShellSpecial(_ c: Unicode.Scalar) -> Bool { "*#$@!?-0123456789".unicodeScalars.contains(c) }
        func isAlnum(_ c: Unicode.Scalar) -> Bool {
            c == "_" || (c.value >= 0x30 && c.value <= 0x39) || (c.value >= 0x41 && c.value <= 0x5A) || (c.value >= 0x61 && c.value <= 0x7A)
        }
        func lookup(_ name: String) -> String { name == "$" ? "$" : (getenv(name) ?? "") }
        while i < b.count {
            if b[i] == "$" && i + 1 < b.count {
                let j = i + 1
                if b[j] == "{" {
                    if j + 1 < b.count, b[j + 1] == "}" {
                        i = j + 2 // "${}" is dropped
                        continue
                    }
                    var k = j + 1
                    while k < b.count, b[k] != "}" { k += 1 }
                    if k >= b.count { i = j + 1; continue } // bad syntax: eat "${"
                    var name = String.UnicodeScalarView()
                    name.append(contentsOf: b[(j + 1)..<k])
                    out.append(contentsOf: lookup(String(name)).unicodeScalars)
                    i = k + 1
                    continue
                }
                if isShellSpecial(b[j]) {
                    out.append(contentsOf: lookup(String(b[j])).unicodeScalars)
                    i = j + 1
                    continue
                }
                var k = j
                while k < b.count, isAlnum(b[k]) { k += 1 }
                if k == j { out.append("$"); i = j; continue } // not followed by a name: kept
                var name = String.UnicodeScalarView()
                name.append(contentsOf: b[j..<k])
                out.append(contentsOf: lookup(String(name)).unicodeScalars)
                i = k
                continue
            }
            out.append(b[i])
            i += 1
        }
        return String(out)
    }
}

/// The `runtime` section.
public struct RuntimeConfig: YAMLDecodable, Sendable {
    /// Go's GOGC percentage (75 by default, or from the `GOGC` environment variable).
    public var goGC: Int
    public static var goTypeName: String { "config.RuntimeConfig" }
    public static var defaultGoGC: Int {
        if let env = getenvString("GOGC"), !env.isEmpty {
            if env.lowercased() == "off" { return -1 }
            if let i = Int(env) { return i }
        }
        return 75
    }
    public init() { goGC = RuntimeConfig.defaultGoGC }
    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        goGC = try m.decode("gogc", default: 0)
        m.finish()
        if goGC == 0 { goGC = RuntimeConfig.defaultGoGC }
    }
}
