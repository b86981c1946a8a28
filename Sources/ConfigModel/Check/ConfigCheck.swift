import GoCompat

/// What `check config` found for one file, for the CLI to print (promtool's `checkConfig` plus the
/// scrape-config lint).
public struct ConfigCheckResult: Sendable {
    /// A non-fatal finding printed on stdout as `  WARNING: …` (a file_sd pattern matching nothing).
    public struct Warning: Sendable, Equatable {
        public var message: String
        public var mark: Mark?
        public var file: String?
    }

    /// The file as given on the command line.
    public var file: String
    /// The loaded config (nil when loading failed).
    public var config: PrometheusConfig?
    /// The error promtool prints as `  FAILED: …` (nil on success).
    public var error: ConfigError?
    /// Rule files found by globbing `rule_files` (empty with `--syntax-only`); the rule checks run on these.
    public var ruleFiles: [String] = []
    /// Every scrape job, including those from `scrape_config_files` (empty when the check failed).
    public var scrapeConfigs: [ScrapeConfig] = []
    /// Warnings in the order promtool prints them (before the SUCCESS/FAILED lines).
    public var warnings: [Warning] = []
    /// Scrape-config lint problems, printed on stderr as `  FAILED: …` after the blank line.
    public var lintProblems: [ConfigError] = []

    public var succeeded: Bool { error == nil }
}

/// Options of `check config`.
public struct ConfigCheckOptions: Sendable {
    public var syntaxOnly = false
    public var agentMode = false
    /// `--lint` includes `all` or `too-long-scrape-interval` (and not `none`).
    public var lintTooLongScrapeInterval = false
    /// `--query.lookback-delta` (5m by default).
    public var lookbackDelta = PromDuration.minutes(5)
    public init(syntaxOnly: Bool = false, agentMode: Bool = false, lintTooLongScrapeInterval: Bool = false,
                lookbackDelta: PromDuration = .minutes(5)) {
        self.syntaxOnly = syntaxOnly
        self.agentMode = agentMode
        self.lintTooLongScrapeInterval = lintTooLongScrapeInterval
        self.lookbackDelta = lookbackDelta
    }
}

/// promtool's `check config` checks, without any printing.
public enum ConfigChecker {
    /// Loads `path` and runs the post-load checks; never throws (the error is in the result).
    public static func check(path: String, options: ConfigCheckOptions = ConfigCheckOptions()) -> ConfigCheckResult {
        var result = ConfigCheckResult(file: path)
        do {
            let cfg = try PrometheusConfig.load(path: path, agentMode: options.agentMode)
            result.config = cfg
            try postLoadChecks(cfg, options: options, into: &result)
        } catch {
            result.error = error
            result.ruleFiles = []
            result.scrapeConfigs = []
            return result
        }
        if options.lintTooLongScrapeInterval && options.lookbackDelta > .zero && !options.syntaxOnly {
            for job in result.scrapeConfigs where job.scrapeInterval >= options.lookbackDelta {
                result.lintProblems.append(ConfigError(
                    "too long scrape interval found, data point will be marked as stale - job: \(job.jobName), interval: \(job.scrapeInterval)",
                    at: job.marks.byKey["scrape_interval"] ?? job.mark))
                break
            }
        }
        return result
    }

    static func postLoadChecks(_ cfg: PrometheusConfig, options: ConfigCheckOptions, into result: inout ConfigCheckResult) throws(ConfigError) {
        let syntaxOnly = options.syntaxOnly
        if !syntaxOnly {
            for (i, rf) in cfg.ruleFiles.enumerated() {
                let mark = i < cfg.ruleFileMarks.count ? cfg.ruleFileMarks[i] : nil
                let matches: [String]
                switch FileSystem.glob(rf) {
                case .success(let m): matches = m
                case .failure(let e): throw ConfigError(e.message, at: mark)
                }
                if !rf.contains("*") {
                    guard let first = matches.first else {
                        throw ConfigError("\(goQuote(rf)) does not point to an existing file", at: mark)
                    }
                    if let e = FileSystem.statError(first) {
                        throw ConfigError("error checking rule file \(goQuote(first)): \(e)", at: mark)
                    }
                }
                result.ruleFiles.append(contentsOf: matches)
            }
        }
        let jobs: [ScrapeConfig]
        if syntaxOnly {
            jobs = cfg.scrapeConfigs
        } else {
            do { jobs = try cfg.allScrapeConfigs() } catch { throw error.prefixed("error loading scrape configs: ") }
        }
        // Static targets depend on nothing but their job: check them on all cores up front, and report each
        // job's result where the sequential checks below reach it (so the first error is the same one).
        let staticTargetErrors = ParallelWork.map(jobs) { TargetCheck.checkScrapeTargets($0.staticConfigs, job: $0, file: $0.sourceFile) }
        for (jobIndex, job) in jobs.enumerated() {
            let jobFile = job.sourceFile
            if !syntaxOnly, let auth = job.httpClientConfig.effectiveAuthorization, let e = FileSystem.statErrorIfSet(auth.credentialsFile) {
                throw ConfigError("error checking authorization credentials or bearer token file \(goQuote(auth.credentialsFile)): \(e)",
                                  at: job.httpClientConfig.marks.first(of: "authorization", "bearer_token_file"), file: jobFile)
            }
            try checkTLS(job.httpClientConfig.tlsConfig, syntaxOnly: syntaxOnly, at: job.httpClientConfig.marks["tls_config"], file: jobFile)
            for entry in job.serviceDiscoveryConfigs.entries {
                if entry.mechanism == "kubernetes", let http = Mirror(reflecting: entry.config).children.lazy.compactMap({ $0.value as? HTTPClientConfig }).first {
                    try checkTLS(http.tlsConfig, syntaxOnly: syntaxOnly, at: entry.mark, file: jobFile)
                }
                guard let fileSD = entry.config as? FileSDConfig, !syntaxOnly else { continue }
                for (i, pattern) in fileSD.files.enumerated() {
                    let found = try globFileSD(pattern, at: fileSD.mark(ofFile: i))
                    if found.isEmpty {
                        result.warnings.append(.init(message: "file \(goQuote(pattern)) for file_sd in scrape job \(goQuote(job.jobName)) does not exist",
                                                     mark: fileSD.mark(ofFile: i), file: jobFile))
                        continue
                    }
                    for f in found {
                        let groups = try loadSDFile(f, pattern: pattern)
                        if let e = TargetCheck.checkScrapeTargets(groups, job: job, file: f) { throw e }
                    }
                }
            }
            if let e = staticTargetErrors[jobIndex] { throw e }
        }
        for am in cfg.alerting.alertmanagers {
            for entry in am.serviceDiscoveryConfigs.entries {
                guard let fileSD = entry.config as? FileSDConfig, !syntaxOnly else { continue }
                for (i, pattern) in fileSD.files.enumerated() {
                    let found = try globFileSD(pattern, at: fileSD.mark(ofFile: i))
                    if found.isEmpty {
                        result.warnings.append(.init(message: "file \(goQuote(pattern)) for file_sd in alertmanager config does not exist",
                                                     mark: fileSD.mark(ofFile: i), file: nil))
                        continue
                    }
                    for f in found {
                        let groups = try loadSDFile(f, pattern: pattern)
                        if let e = TargetCheck.checkAlertmanagerTargets(groups, config: am, file: f) { throw e }
                    }
                }
            }
            if let e = TargetCheck.checkAlertmanagerTargets(am.staticConfigs, config: am) { throw e }
        }
        result.scrapeConfigs = jobs
    }

    private static func globFileSD(_ pattern: String, at mark: Mark) throws(ConfigError) -> [String] {
        switch FileSystem.glob(pattern) {
        case .success(let m): return m
        case .failure(let e): throw ConfigError(e.message, at: mark)
        }
    }

    private static func loadSDFile(_ file: String, pattern: String) throws(ConfigError) -> [TargetGroup] {
        do {
            return try TargetGroupFile.load(file)
        } catch {
            throw ConfigError("checking SD file \(goQuote(pattern)): \(error.message)", at: error.mark, file: error.file ?? (error.mark == nil ? nil : file))
        }
    }

    /// promtool's `checkTLSConfig`: cert and key come in pairs, and (unless syntax-only) must exist.
    static func checkTLS(_ tls: TLSConfig, syntaxOnly: Bool, at mark: Mark?, file: String?) throws(ConfigError) {
        let at = tls.mark.line > 0 ? tls.mark : mark
        if !tls.certFile.isEmpty && tls.keyFile.isEmpty {
            throw ConfigError("client cert file \(goQuote(tls.certFile)) specified without client key file", at: at, file: file)
        }
        if !tls.keyFile.isEmpty && tls.certFile.isEmpty {
            throw ConfigError("client key file \(goQuote(tls.keyFile)) specified without client cert file", at: at, file: file)
        }
        if syntaxOnly { return }
        if let e = FileSystem.statErrorIfSet(tls.certFile) {
            throw ConfigError("error checking client cert file \(goQuote(tls.certFile)): \(e)", at: at, file: file)
        }
        if let e = FileSystem.statErrorIfSet(tls.keyFile) {
            throw ConfigError("error checking client key file \(goQuote(tls.keyFile)): \(e)", at: at, file: file)
        }
    }
}

extension FileSystem {
    /// promtool's `checkFileExists`: nothing to check for an empty name.
    static func statErrorIfSet(_ path: String) -> String? { path.isEmpty ? nil : statError(path) }
}
