import ConfigModel
import GoCompat

/// A string read from YAML together with its position.
public struct PositionedString: YAMLDecodable, Hashable {
    public var value: String
    public var mark: Mark
    public static var goTypeName: String { "string" }

    public init(_ value: String, mark: Mark) {
        self.value = value
        self.mark = mark
    }

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        value = try String(yaml: node, decoder: decoder)
        mark = node.mark
    }
}

/// Settings as written in `.promtool-swift.yml` (top level, or one `overrides` entry): every field optional.
public struct LintSettingsPatch: Sendable, Hashable {
    public var enable: [PositionedString] = []
    public var disable: [PositionedString] = []
    public var severity: [(id: PositionedString, severity: Severity)] = []
    public var requiredAlertLabels: [String]?
    public var requiredAlertAnnotations: [String]?
    public var highCardinalityLabels: [String]?
    /// Added to the high-cardinality list instead of replacing it.
    public var extraHighCardinalityLabels: [String] = []
    public var prometheusVersion: PrometheusVersion?
    public var scrapeInterval: PromDuration?
    public var evaluationInterval: PromDuration?
    /// Files holding metric types (exposition text or a saved `/api/v1/metadata` response).
    public var metricMetadata: [PositionedString]?

    public init() {}

    public static func == (a: Self, b: Self) -> Bool {
        a.enable == b.enable && a.disable == b.disable && a.requiredAlertLabels == b.requiredAlertLabels
            && a.requiredAlertAnnotations == b.requiredAlertAnnotations
            && a.highCardinalityLabels == b.highCardinalityLabels && a.prometheusVersion == b.prometheusVersion
            && a.severity.map(\.id) == b.severity.map(\.id) && a.severity.map(\.severity) == b.severity.map(\.severity)
            && a.extraHighCardinalityLabels == b.extraHighCardinalityLabels
            && a.scrapeInterval == b.scrapeInterval && a.evaluationInterval == b.evaluationInterval
            && a.metricMetadata == b.metricMetadata
    }

    public func hash(into h: inout Hasher) {
        h.combine(enable)
        h.combine(disable)
    }

    /// Reads the settings keys of a mapping (the caller finishes the mapping).
    init(fields m: inout MappingDecoder) throws(ConfigError) {
        enable = try m.decode("enable", default: [])
        disable = try m.decode("disable", default: [])
        if let sev = m.node("severity") {
            let map = try OrderedStringMap<PositionedString>(yaml: sev, decoder: m.decoder)
            for e in map {
                guard let s = Severity(rawValue: e.value.value.lowercased()) else {
                    throw ConfigError(
                        "unknown severity \(goQuote(e.value.value)) for check \(goQuote(e.key)): use error, warning or info",
                        at: e.valueMark)
                }
                severity.append((PositionedString(e.key, mark: e.keyMark), s))
            }
        }
        requiredAlertLabels = try m.decodeIfPresent("required_alert_labels")
        requiredAlertAnnotations = try m.decodeIfPresent("required_alert_annotations")
        highCardinalityLabels = try m.decodeIfPresent("high_cardinality_labels")
        extraHighCardinalityLabels = try m.decode("extra_high_cardinality_labels", default: [])
        if let vNode = m.node("prometheus_version"), !vNode.isNull {
            let v = try String(yaml: vNode, decoder: m.decoder)
            guard let pv = PrometheusVersion(parsing: v) else {
                throw ConfigError("unsupported prometheus_version \(goQuote(v)): use \"2.x\" or \"3.x\"", at: vNode.mark)
            }
            prometheusVersion = pv
        }
        scrapeInterval = try Self.positiveDuration(&m, "scrape_interval")
        evaluationInterval = try Self.positiveDuration(&m, "evaluation_interval")
        metricMetadata = try m.decodeIfPresent("metric_metadata")
    }

    static func positiveDuration(_ m: inout MappingDecoder, _ key: String) throws(ConfigError) -> PromDuration? {
        guard let n = m.node(key), !n.isNull else { return nil }
        let d = try PromDuration(yaml: n, decoder: m.decoder)
        if d.milliseconds <= 0 { throw ConfigError("\(key) must be greater than 0", at: n.mark) }
        return d
    }

    /// Applies this patch on top of `base`; `resolve` expands a check selector (`id`, `category/*`, `all`).
    func apply(to base: LintSettings, baseDirectory: String = ".", resolve: (String) -> [CheckID]) -> LintSettings {
        var s = base
        // Disable first, so that `disable: [all]` with `enable: [x]` leaves x on.
        for d in disable {
            for id in resolve(d.value) {
                s.disabled.insert(id)
                s.enabled.remove(id)
            }
        }
        for e in enable {
            for id in resolve(e.value) {
                s.enabled.insert(id)
                s.disabled.remove(id)
            }
        }
        for (id, sev) in severity {
            for c in resolve(id.value) { s.severityOverrides[c] = sev }
        }
        if let l = requiredAlertLabels { s.requiredAlertLabels = l }
        if let a = requiredAlertAnnotations {
            s.requiredAlertAnnotations = a
            s.requiredAlertAnnotationsConfigured = true
        }
        if let h = highCardinalityLabels { s.highCardinalityLabels = Set(h) }
        s.highCardinalityLabels.formUnion(extraHighCardinalityLabels)
        if let v = prometheusVersion { s.prometheusVersion = v }
        if let d = scrapeInterval { s.assumedScrapeInterval = d }
        if let d = evaluationInterval { s.assumedEvaluationInterval = d }
        if let files = metricMetadata {
            s.metricMetadataFiles = files.map { Paths.absolute($0.value, cwd: baseDirectory) }
        }
        return s
    }

    /// Every check selector written in this patch, for validation.
    var selectors: [PositionedString] { enable + disable + severity.map(\.id) }
}

/// One `overrides` entry: settings for files matching any of its globs.
public struct LintOverride: Sendable, Hashable {
    public var files: [GlobPattern]
    public var settings: LintSettingsPatch
}

/// The contents of a `.promtool-swift.yml` file.
///
/// ```yaml
/// prometheus_version: "3.x"
/// disable: [cardinality/no-sample-limit]
/// enable: [promql/recording-name-format]
/// severity: {interval/rate-window: error}
/// required_alert_labels: [severity, team]
/// required_alert_annotations: [summary, runbook_url]
/// scrape_interval: 30s        # assumed for rule files linted without their prometheus.yml
/// evaluation_interval: 30s
/// metric_metadata: [metadata.json]   # metric types: exposition text or a saved /api/v1/metadata response
/// high_cardinality_labels: [id, user_id, path]
/// overrides:
///   - files: ["legacy/**"]
///     disable: [labels/required]
/// ```
public struct LintConfiguration: Sendable {
    /// The standard file name looked for at the repository root.
    public static let fileNames = [".promtool-swift.yml", ".promtool-swift.yaml"]

    /// Where the file was read from ("" for the built-in defaults).
    public var path: String
    /// Directory that override globs are relative to.
    public var baseDirectory: String
    public var base: LintSettingsPatch
    public var overrides: [LintOverride]

    /// Built-in defaults: no file.
    public init(baseDirectory: String = ".") {
        path = ""
        self.baseDirectory = baseDirectory
        base = LintSettingsPatch()
        overrides = []
    }

    /// Parses a configuration file strictly (unknown keys, wrong types and unknown check ids are errors).
    /// - Returns: the configuration, or the positioned errors found.
    public static func parse(_ text: String, path: String, baseDirectory: String,
                             catalogue: CheckCatalogue) -> Result<LintConfiguration, LintConfigurationError> {
        let docs: [Node]
        do {
            docs = try YAMLComposer.compose(text)
        } catch {
            return .failure(LintConfigurationError(errors: [ConfigError(error.message, at: error.mark)]))
        }
        var cfg = LintConfiguration(baseDirectory: baseDirectory)
        cfg.path = path
        guard let doc = docs.first, !doc.isNull else { return .success(cfg) }
        if docs.count > 1 {
            return .failure(LintConfigurationError(errors: [
                ConfigError("the lint configuration must be a single YAML document", at: docs[1].mark),
            ]))
        }
        let decoder = YAMLDecoder()
        do throws(ConfigError) {
            var m = decoder.mapping(doc, goType: "lint configuration")
            cfg.base = try LintSettingsPatch(fields: &m)
            if let ovNode = m.node("overrides"), !ovNode.isNull {
                guard case .sequence(let items) = ovNode.content else {
                    throw ConfigError("overrides must be a list of {files: [globs], ...settings}", at: ovNode.mark)
                }
                for item in items {
                    var om = decoder.mapping(item, goType: "lint override")
                    let files: [String] = try om.decode("files", default: [])
                    if files.isEmpty {
                        throw ConfigError("an override needs a non-empty `files` list of globs", at: item.mark)
                    }
                    let patch = try LintSettingsPatch(fields: &om)
                    om.finish()
                    cfg.overrides.append(LintOverride(files: files.map(GlobPattern.init), settings: patch))
                }
            }
            m.finish()
            try decoder.throwCollectedTypeErrors()
        } catch {
            // yaml.v2 folds type errors into one message; split them back into positioned entries.
            if !decoder.typeErrors.isEmpty {
                var errs = decoder.typeErrors.map { ConfigError($0.text, at: $0.mark) }
                if !error.message.hasPrefix("yaml: unmarshal errors:") { errs.insert(error, at: 0) }
                return .failure(LintConfigurationError(errors: errs))
            }
            return .failure(LintConfigurationError(errors: [error]))
        }
        var unknown: [ConfigError] = []
        for sel in cfg.base.selectors + cfg.overrides.flatMap(\.settings.selectors)
        where catalogue.resolve(selector: sel.value).isEmpty {
            unknown.append(ConfigError(
                "unknown check \(goQuote(sel.value)): run `promtool-swift lint --list-checks` for the ids",
                at: sel.mark))
        }
        if !unknown.isEmpty { return .failure(LintConfigurationError(errors: unknown)) }
        return .success(cfg)
    }

    /// The settings in force for a file at `relativePath` (relative to `baseDirectory`, `/`-separated).
    public func settings(forRelativePath relativePath: String?, catalogue: CheckCatalogue,
                         defaults: LintSettings = LintSettings()) -> LintSettings {
        var s = base.apply(to: defaults, baseDirectory: baseDirectory, resolve: catalogue.resolve(selector:))
        guard let rel = relativePath else { return s }
        for o in overrides where o.files.contains(where: { $0.matches(rel) }) {
            s = o.settings.apply(to: s, baseDirectory: baseDirectory, resolve: catalogue.resolve(selector:))
        }
        return s
    }
}

/// A configuration file that could not be used, with every positioned problem found in it.
public struct LintConfigurationError: Error, Sendable {
    public var errors: [ConfigError]
}
