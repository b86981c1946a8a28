import GoCompat

/// A whole prometheus.yml as Prometheus 3.14 loads it: strictly decoded, defaulted, validated, with
/// relative file paths made absolute against the config file's folder.
public struct PrometheusConfig: YAMLDecodable, Sendable {
    public var global = GlobalConfig()
    public var runtime = RuntimeConfig()
    public var alerting = AlertingConfig()
    /// Rule file globs (resolved against the config's folder by `load`).
    public var ruleFiles: [String] = []
    /// Positions of the `rule_files` entries.
    public var ruleFileMarks: [Mark] = []
    public var scrapeConfigFiles: [String] = []
    public var scrapeConfigFileMarks: [Mark] = []
    public var scrapeConfigs: [ScrapeConfig] = []
    public var storage = StorageConfig()
    /// Nil when the file has no `tracing` section.
    public var tracing: TracingConfig?
    public var remoteWrite: [RemoteWriteConfig] = []
    public var remoteRead: [RemoteReadConfig] = []
    public var otlp = OTLPConfig()
    /// The file this config was loaded from (empty when parsed from text).
    public var path = ""
    public var marks = FieldMarks()

    public static var goTypeName: String { "config.plain" }

    public init() {}

    /// `config.LoadFile`: reads and parses `path`, wraps load errors as `parsing YAML file PATH: …`, applies
    /// the agent-mode restrictions and resolves relative paths.
    public static func load(path: String, agentMode: Bool = false) throws(ConfigError) -> PrometheusConfig {
        let bytes: [UInt8]
        switch FileSystem.readFile(path) {
        case .success(let b): bytes = b
        case .failure(let e): throw e
        }
        var cfg: PrometheusConfig
        do {
            cfg = try parse(bytes: bytes)
        } catch {
            throw error.prefixed("parsing YAML file \(path): ")
        }
        cfg.path = path
        if agentMode {
            if !cfg.alerting.alertmanagers.isEmpty || !cfg.alerting.alertRelabelConfigs.isEmpty {
                throw ConfigError("field alerting is not allowed in agent mode", at: cfg.marks["alerting"])
            }
            if !cfg.ruleFiles.isEmpty {
                throw ConfigError("field rule_files is not allowed in agent mode", at: cfg.marks["rule_files"])
            }
            if !cfg.remoteRead.isEmpty {
                throw ConfigError("field remote_read is not allowed in agent mode", at: cfg.marks["remote_read"])
            }
        }
        cfg.resolvePaths(relativeTo: FilePath.dir(path))
        return cfg
    }

    /// `config.Load`: parses YAML text (the first document) into a validated config, without path resolution.
    public static func parse(_ text: String, environment: (String) -> String? = getenvString) throws(ConfigError) -> PrometheusConfig {
        try parse(bytes: Array(text.utf8), environment: environment)
    }

    public static func parse(bytes: [UInt8], environment: (String) -> String? = getenvString) throws(ConfigError) -> PrometheusConfig {
        let docs: [Node]
        var work = YAMLComposer.Work()
        do {
            docs = try YAMLComposer.compose(bytes: bytes, firstDocumentOnly: true, deferAliasBudget: true, work: &work)
        } catch {
            throw ConfigError(error.message, at: error.mark)
        }
        var cfg = PrometheusConfig()
        if let root = docs.first, !root.isNull {
            let decoder = YAMLDecoder()
            decoder.aliasBudget = work.decodeBudget
            cfg = try decoder.decodeDocument(PrometheusConfig.self, from: root)
        }
        cfg.global.expandExternalLabels(environment)
        switch cfg.otlp.translationStrategy {
        case "UnderscoreEscapingWithSuffixes", "UnderscoreEscapingWithoutSuffixes", "":
            break
        case "NoTranslation", "NoUTF8EscapingWithSuffixes":
            if cfg.global.metricNameValidationScheme == .legacy {
                throw ConfigError("OTLP translation strategy \(goQuote(cfg.otlp.translationStrategy)) is not allowed when UTF8 is disabled",
                                  at: cfg.otlp.marks["translation_strategy"])
            }
        default:
            throw ConfigError("unsupported OTLP translation strategy \(goQuote(cfg.otlp.translationStrategy))", at: cfg.otlp.marks["translation_strategy"])
        }
        return cfg
    }

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        marks = FieldMarks(m, keys: m.keys)
        if let g = try m.decodeIfPresent("global", as: GlobalConfig.self) { global = g }
        if let r = try m.decodeIfPresent("runtime", as: RuntimeConfig.self) { runtime = r }
        alerting = try m.decode("alerting", default: AlertingConfig())
        (ruleFiles, ruleFileMarks) = try PrometheusConfig.stringList(&m, "rule_files")
        (scrapeConfigFiles, scrapeConfigFileMarks) = try PrometheusConfig.stringList(&m, "scrape_config_files")
        var nullScrapeMark: Mark?
        if let n = m.node("scrape_configs"), !n.isNull {
            if case .sequence(let items) = n.content {
                for item in items {
                    if item.isNull { nullScrapeMark = nullScrapeMark ?? item.mark; continue }
                    scrapeConfigs.append(try ScrapeConfig(yaml: item, decoder: decoder))
                }
            } else {
                decoder.cannotUnmarshal(n, into: "[]*config.ScrapeConfig")
            }
        }
        if let n = m.node("storage") {
            storage = n.isNull ? StorageConfig(exemplarsDisabled: ()) : try StorageConfig(yaml: n, decoder: decoder)
        }
        tracing = try m.decodeIfPresent("tracing")
        var nullWriteMark: Mark?
        var nullReadMark: Mark?
        if let n = m.node("remote_write"), !n.isNull {
            if case .sequence(let items) = n.content {
                for item in items {
                    if item.isNull { nullWriteMark = nullWriteMark ?? item.mark; continue }
                    remoteWrite.append(try RemoteWriteConfig(yaml: item, decoder: decoder))
                }
            } else {
                decoder.cannotUnmarshal(n, into: "[]*config.RemoteWriteConfig")
            }
        }
        if let n = m.node("remote_read"), !n.isNull {
            if case .sequence(let items) = n.content {
                for item in items {
                    if item.isNull { nullReadMark = nullReadMark ?? item.mark; continue }
                    remoteRead.append(try RemoteReadConfig(yaml: item, decoder: decoder))
                }
            } else {
                decoder.cannotUnmarshal(n, into: "[]*config.RemoteReadConfig")
            }
        }
        if let o = try m.decodeIfPresent("otlp", as: OTLPConfig.self) { otlp = o }
        guard m.finish() else { return }

        // Config.UnmarshalYAML's checks, in its order.
        for (i, rf) in ruleFiles.enumerated() where !PrometheusConfig.isValidFilePattern(rf) {
            throw ConfigError("invalid rule file path \(goQuote(rf))", at: ruleFileMarks[i])
        }
        for (i, sf) in scrapeConfigFiles.enumerated() where !PrometheusConfig.isValidFilePattern(sf) {
            throw ConfigError("invalid scrape config file path \(goQuote(sf))", at: scrapeConfigFileMarks[i])
        }
        if let at = nullScrapeMark { throw ConfigError("empty or null scrape config section", at: at) }
        var jobNames: Set<String> = []
        for i in scrapeConfigs.indices {
            try scrapeConfigs[i].validate(global: global)
            let name = scrapeConfigs[i].jobName
            if jobNames.contains(name) {
                throw ConfigError("found multiple scrape configs with job name \(goQuote(name))", at: scrapeConfigs[i].marks["job_name"])
            }
            jobNames.insert(name)
        }
        if let at = alerting.nullAlertmanagerMark { throw ConfigError("empty or null Alertmanager config section", at: at) }
        try alerting.validate(scheme: global.metricNameValidationScheme)
        if let at = nullWriteMark { throw ConfigError("empty or null remote write config section", at: at) }
        var writeNames: Set<String> = []
        for rw in remoteWrite {
            if !rw.name.isEmpty && writeNames.contains(rw.name) {
                throw ConfigError("found multiple remote write configs with job name \(goQuote(rw.name))", at: rw.marks["name"])
            }
            try rw.validate(scheme: global.metricNameValidationScheme)
            writeNames.insert(rw.name)
        }
        if let at = nullReadMark { throw ConfigError("empty or null remote read config section", at: at) }
        var readNames: Set<String> = []
        for rr in remoteRead {
            if !rr.name.isEmpty && readNames.contains(rr.name) {
                throw ConfigError("found multiple remote read configs with job name \(goQuote(rr.name))", at: rr.mark)
            }
            readNames.insert(rr.name)
        }
    }

    /// `^[^*]*(\*[^/]*)?$`: at most one `*` level, in the last path element.
    static func isValidFilePattern(_ s: String) -> Bool {
        guard let star = s.firstIndex(of: "*") else { return true }
        return !s[s.index(after: star)...].contains("/")
    }

    private static func stringList(_ m: inout MappingDecoder, _ key: String) throws(ConfigError) -> ([String], [Mark]) {
        guard let n = m.node(key), !n.isNull else { return ([], []) }
        let list = try [String](yaml: n, decoder: m.decoder)
        var marks: [Mark] = []
        if case .sequence(let items) = n.content { marks = items.map(\.mark) }
        while marks.count < list.count { marks.append(n.mark) }
        return (list, marks)
    }

    /// `Config.SetDirectory`: joins relative file paths with `directory`.
    public mutating func resolvePaths(relativeTo directory: String) {
        global.resolvePaths(relativeTo: directory)
        for i in alerting.alertmanagers.indices { alerting.alertmanagers[i].resolvePaths(relativeTo: directory) }
        tracing?.resolvePaths(relativeTo: directory)
        ruleFiles = ruleFiles.map { FilePath.joinDir(directory, $0) }
        scrapeConfigFiles = scrapeConfigFiles.map { FilePath.joinDir(directory, $0) }
        for i in scrapeConfigs.indices { scrapeConfigs[i].resolvePaths(relativeTo: directory) }
        for i in remoteWrite.indices { remoteWrite[i].resolvePaths(relativeTo: directory) }
        for i in remoteRead.indices { remoteRead[i].resolvePaths(relativeTo: directory) }
    }

    /// `Config.GetScrapeConfigs`: the jobs of this file followed by those of every `scrape_config_files`
    /// match, each validated against this file's `global` section and checked for duplicate job names.
    public func allScrapeConfigs() throws(ConfigError) -> [ScrapeConfig] {
        var out = scrapeConfigs
        var jobNames: [String: String] = [:]
        for s in scrapeConfigs { jobNames[s.jobName] = "main config file" }
        for pattern in scrapeConfigFiles {
            let files: [String]
            switch FileSystem.glob(pattern) {
            case .success(let f): files = f
            case .failure(let e): throw ConfigError("error retrieving scrape config files for \(goQuote(pattern)): \(e.message)")
            }
            for filename in files {
                let abs = FileSystem.absolute(filename)
                func fileErr(_ e: ConfigError) -> ConfigError {
                    ConfigError("\(goQuote(abs)): \(e.message)", at: e.mark, file: e.mark == nil ? nil : filename)
                }
                let bytes: [UInt8]
                switch FileSystem.readFile(filename) {
                case .success(let b): bytes = b
                case .failure(let e): throw fileErr(e)
                }
                var configs: [ScrapeConfig] = []
                do {
                    configs = try ScrapeConfigsFile.parse(bytes: bytes)
                } catch {
                    throw fileErr(error)
                }
                for var scfg in configs {
                    do { try scfg.validate(global: global) } catch { throw fileErr(error) }
                    if let first = jobNames[scfg.jobName] {
                        throw fileErr(ConfigError("found multiple scrape configs with job name \(goQuote(scfg.jobName)), first found in \(first)",
                                                  at: scfg.marks["job_name"]))
                    }
                    jobNames[scfg.jobName] = goQuote(abs)
                    scfg.resolvePaths(relativeTo: FilePath.dir(filename))
                    scfg.sourceFile = filename
                    out.append(scfg)
                }
            }
        }
        return out
    }
}

/// A file named by `scrape_config_files`: just `scrape_configs`.
struct ScrapeConfigsFile: YAMLDecodable {
    var scrapeConfigs: [ScrapeConfig] = []
    var nullMark: Mark?
    static var goTypeName: String { "config.ScrapeConfigs" }

    init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        if let n = m.node("scrape_configs"), !n.isNull {
            if case .sequence(let items) = n.content {
                for item in items {
                    if item.isNull { nullMark = nullMark ?? item.mark; continue }
                    scrapeConfigs.append(try ScrapeConfig(yaml: item, decoder: decoder))
                }
            } else {
                decoder.cannotUnmarshal(n, into: "[]*config.ScrapeConfig")
            }
        }
        m.finish()
    }

    static func parse(bytes: [UInt8]) throws(ConfigError) -> [ScrapeConfig] {
        let docs: [Node]
        do {
            docs = try YAMLComposer.compose(bytes: bytes, firstDocumentOnly: true)
        } catch {
            throw ConfigError(error.message, at: error.mark)
        }
        guard let root = docs.first, !root.isNull else { return [] }
        let file = try YAMLDecoder().decodeDocument(ScrapeConfigsFile.self, from: root)
        if let at = file.nullMark { throw ConfigError("empty or null scrape config section", at: at) }
        return file.scrapeConfigs
    }
}

extension StorageConfig {
    /// The zero value Go gives `storage: ~` (no exemplar settings at all).
    init(exemplarsDisabled: Void) {
        self.init()
        exemplars = nil
    }
}
