import ArgumentParser
import ConfigModel
import Engine
import Lint
import GoCompat
import Query
import ScrapeHTTP
#if canImport(Glibc)
import Glibc
#endif

/// `check config FILE...`: promtool's config check, with one extra `  at FILE:LINE:COL` line after each
/// positioned FAILED or WARNING line. `--probe` (ours) then scrapes each valid config's targets once.
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check if the config files are valid or not."
    )

    @Flag(name: .customLong("syntax-only"), help: "Only check the config file syntax, ignoring file and content validation referenced in the config")
    var syntaxOnly = false

    @Option(name: .customLong("lint"), help: "Linting checks to apply to the rules/scrape configs specified in the config. Available options are: all, duplicate-rules, none, too-long-scrape-interval. Use --lint=none to disable linting")
    var lint = "duplicate-rules"

    @Flag(name: .customLong("lint-fatal"), help: "Make lint errors exit with exit code 3.")
    var lintFatal = false

    @Flag(name: .customLong("ignore-unknown-fields"), help: "Ignore unknown fields in the rule groups read by the config files.")
    var ignoreUnknownFields = false

    @Flag(name: .customLong("agent"), help: "Check config file for Prometheus in Agent mode.")
    var agent = false

    @Flag(name: .customLong("lint-extended"), help: "promtool-swift's addition: also run its linter (`promtool-swift lint`) on each valid config and its rule files. Findings print on stderr after `  LINT:` and never change the exit code (use `promtool-swift lint` to fail on them).")
    var lintExtended = false

    @Option(name: .customLong("enable-feature"), help: "promtool's global flag: comma separated PromQL feature names for the rule files' expressions.")
    var enableFeature: [String] = []

    @Option(name: .customLong("query.lookback-delta"), help: "The server's maximum query lookback duration.")
    var lookbackDelta = "5m"

    @Flag(name: .customLong("probe"), help: "promtool-swift's addition: scrape every target of each valid config once and report, positioned at the job, targets down (and why), responses that are not expositions, slow scrapes, series per target, high-cardinality labels, naming problems in what was scraped, and rules selecting metrics no target exposes. The findings go to stdout in the -o format, the check's own lines to stderr. Exit code 3 when a target is down or another error finding exists.")
    var probe = false

    @Option(name: .customLong("probe-timeout"), help: "With --probe: the timeout of each scrape, instead of the job's scrape_timeout.")
    var probeTimeout: String?

    @Option(name: .customLong("probe-cardinality-threshold"), help: "With --probe: report a label of one metric with more values than this on one target.")
    var probeCardinalityThreshold = 100

    @Option(name: [.short, .customLong("output")], help: "With --probe: output format of the findings: text, json, sarif or github.")
    var output: OutputFormat = .text

    @Argument(help: "The config files to check.")
    var configFiles: [String]

    func validate() throws {
        if let t = probeTimeout, case .failure(let e) = PromDuration.parse(t) {
            throw ValidationError("invalid value for --probe-timeout: \(e.message)")
        }
        if probeCardinalityThreshold < 1 {
            throw ValidationError("--probe-cardinality-threshold must be at least 1")
        }
    }

    func run() async throws {
        // Under --probe, stdout holds only the findings (machine-readable with -o json/sarif/github).
        let toStderr = probe
        let say: (String) -> Void = { line in if toStderr { Output.err(line) } else { Output.out(line) } }
        let (code, validConfigs) = try check(say: say)
        guard probe else {
            if code != 0 { throw ExitCode(code) }
            return
        }
        var options = ProbeOptions(cardinalityThreshold: probeCardinalityThreshold, now: QueryTime.now().millis)
        if let t = probeTimeout, case .success(let d) = PromDuration.parse(t) { options.timeout = d }
        var diagnostics: [Diagnostic] = []
        var probeCode: Int32 = 0
        for f in validConfigs {
            let result = await ConfigProbe.run(configPath: f, options: options) { @Sendable job throws(ScrapeFetchError) -> any ScrapeFetcher in
                try TransportScrapeFetcher(job: job)
            }
            diagnostics += result.diagnostics
            probeCode = max(probeCode, result.exitCode)
        }
        let colour = TextReporter.shouldColour(isTerminal: isatty(STDOUT_FILENO) == 1, environment: ProcessEnvironment.current())
        Output.write(fd: 1, output.render(diagnostics, catalogue: ProbeChecks.catalogue, colour: colour))
        if code == 1 || probeCode == 1 { throw ExitCode(1) }
        if code != 0 || probeCode != 0 { throw ExitCode(3) }
    }

    /// promtool's check of every file; returns the exit code it would have and the configs that loaded.
    private func check(say: (String) -> Void) throws -> (Int32, [String]) {
        for f in configFiles {
            if FileSystem.statError(f) != nil {
                Output.usageError("path '\(f)' does not exist")
                throw ExitCode(1)
            }
            if FileSystem.isDirectory(f) {
                Output.usageError("'\(f)' is a directory")
                throw ExitCode(1)
            }
        }
        let lookback: PromDuration
        switch PromDuration.parse(lookbackDelta) {
        case .success(let d): lookback = d
        case .failure(let e):
            Output.usageError(e.message)
            throw ExitCode(1)
        }
        let lintSettings = LintSettings(lint)
        for w in lintSettings.warnings { say(w) }
        let options = ConfigCheckOptions(syntaxOnly: syntaxOnly, agentMode: agent,
                                         lintTooLongScrapeInterval: lintSettings.tooLongScrapeInterval, lookbackDelta: lookback)
        var failed = false
        var hasErrors = false
        var valid: [String] = []
        for f in configFiles {
            say("Checking \(f)")
            let result = ConfigChecker.check(path: f, options: options)
            for w in result.warnings {
                say("  WARNING: \(w.message)")
                if let at = Output.position(w.mark, file: w.file ?? f) { say(at) }
            }
            if let e = result.error {
                Output.err("  FAILED: \(e.message)")
                if let at = Output.position(e.mark, file: e.file ?? f) { Output.err(at) }
                failed = true
                hasErrors = true
            } else {
                valid.append(f)
                if !result.ruleFiles.isEmpty { say("  SUCCESS: \(result.ruleFiles.count) rule files found") }
                say(" SUCCESS: \(f) is valid prometheus config file syntax")
            }
            say("")
            if !syntaxOnly {
                for p in result.lintProblems {
                    Output.err("  FAILED: \(p.message)")
                    if let at = Output.position(p.mark, file: p.file ?? f) { Output.err(at) }
                    failed = true
                }
                // Each rule file is checked exactly as `check rules` checks it.
                let ruleOptions = RuleCheckOptions(lintDuplicateRules: lintSettings.duplicateRules, lintFatal: lintFatal,
                                                   ignoreUnknownFields: ignoreUnknownFields)
                let checker = RuleCheckFeatures.makeChecker(options: ruleOptions,
                                                            features: RuleCheckFeatures.parse(enableFeature).enabled)
                for r in checker.checkFiles(paths: result.ruleFiles) {
                    for line in r.output {
                        switch line.stream {
                        case .stdout: say(line.text)
                        case .stderr: Output.err(line.text)
                        }
                    }
                    if r.failed { failed = true }
                    if r.hasErrors { hasErrors = true }
                }
                // `--lint-extended` also runs this tool's linter on the config (and its rule files, in context);
                // its findings are informational here, whatever `--lint-fatal` says.
                if lintExtended && result.error == nil {
                    let extra = PromtoolLintAll.run(paths: [f], workingDirectory: FileSystem.currentDirectory())
                    if !extra.lines.isEmpty {
                        Output.err("  LINT:")
                        for line in extra.lines { Output.err("  " + line) }
                    }
                }
            }
        }
        if failed && hasErrors { return (1, valid) }
        if failed && lintFatal { return (3, valid) }
        return (0, valid)
    }
}

/// promtool's `--lint` parsing for `check config` (scrape-config and rule lints): `all` is exactly
/// `duplicate-rules` + `too-long-scrape-interval`, as in promtool.
struct LintSettings {
    var tooLongScrapeInterval = false
    var duplicateRules = false
    /// `WARNING: unknown lint option: "x"` lines, printed before anything else.
    var warnings: [String] = []

    init(_ value: String) {
        var none = false
        var ruleOptions: [String] = []
        for option in value.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            switch option {
            case "all":
                tooLongScrapeInterval = true
                ruleOptions.append(option)
            case "too-long-scrape-interval":
                tooLongScrapeInterval = true
            case "none":
                none = true
            default:
                ruleOptions.append(option)
            }
        }
        if none {
            tooLongScrapeInterval = false
            ruleOptions = []
        }
        for option in ruleOptions {
            switch option {
            case "all", "duplicate-rules": duplicateRules = true
            case "none": break
            default: warnings.append("WARNING: unknown lint option: \(goQuote(option))")
            }
        }
    }
}
