import ArgumentParser
import ConfigModel
import Engine
import Lint
import GoCompat

/// `check config FILE...`: promtool's config check, with one extra `  at FILE:LINE:COL` line after each
/// positioned FAILED or WARNING line.
struct CheckConfigCommand: ParsableCommand {
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

    @Argument(help: "The config files to check.")
    var configFiles: [String]

    func run() throws {
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
        for w in lintSettings.warnings { Output.out(w) }
        let options = ConfigCheckOptions(syntaxOnly: syntaxOnly, agentMode: agent,
                                         lintTooLongScrapeInterval: lintSettings.tooLongScrapeInterval, lookbackDelta: lookback)
        var failed = false
        var hasErrors = false
        for f in configFiles {
            Output.out("Checking \(f)")
            let result = ConfigChecker.check(path: f, options: options)
            for w in result.warnings {
                Output.out("  WARNING: \(w.message)")
                if let at = Output.position(w.mark, file: w.file ?? f) { Output.out(at) }
            }
            if let e = result.error {
                Output.err("  FAILED: \(e.message)")
                if let at = Output.position(e.mark, file: e.file ?? f) { Output.err(at) }
                failed = true
                hasErrors = true
            } else {
                if !result.ruleFiles.isEmpty { Output.out("  SUCCESS: \(result.ruleFiles.count) rule files found") }
                Output.out(" SUCCESS: \(f) is valid prometheus config file syntax")
            }
            Output.out("")
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
                        case .stdout: Output.out(line.text)
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
        if failed && hasErrors { throw ExitCode(1) }
        if failed && lintFatal { throw ExitCode(3) }
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
