import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import GoCompat
import Lint

extension OutputFormat: ExpressibleByArgument {}

/// `--fail-on` levels: a severity, or `never`.
enum FailOn: String, ExpressibleByArgument, CaseIterable {
    case error, warning, info, never

    var severity: Severity? {
        switch self {
        case .error: return .error
        case .warning: return .warning
        case .info: return .info
        case .never: return nil
        }
    }
}

/// `lint [FILES|DIRS...]`: checks that configs and rules will work, beyond what Prometheus validates.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Lint Prometheus configurations and rule files: will they work, not just load?",
        discussion: """
        Directories are walked for .yml/.yaml files, skipping hidden directories (.build, .git), \
        node_modules, Fuzz and what .gitignore ignores; - reads standard input. Prometheus configurations, \
        rule files (plain, multi-document, PrometheusRule) and promtool unit-test files are told apart by \
        content. A configuration's rule files are linted in its context (scrape intervals, evaluation \
        interval, external labels); a unit-test file's rule files on their own.
        Settings come from .promtool-swift.yml at the repository root (or --config-file). Silence a finding \
        with `# promtool-swift: disable=ID` on the line (or the rule) it is about, or \
        `# promtool-swift: disable-file=ID` anywhere in the file.
        Exit codes: 0 clean, 3 findings at or above --fail-on, 1 unreadable or invalid input.
        """
    )

    @Argument(help: "Files and directories to lint, - for standard input (default: the current directory).")
    var paths: [String] = []

    @Option(name: [.short, .customLong("output")], help: "Output format: text, json, sarif or github.")
    var output: OutputFormat = .text

    @Option(name: .customLong("fail-on"), help: "Lowest severity that makes the exit code 3: error, warning, info or never.")
    var failOn: FailOn = .warning

    @Option(name: .customLong("config-file"), help: "Lint configuration file (default: .promtool-swift.yml at the repository root).")
    var configFile: String?

    @Option(name: .customLong("prometheus-version"), help: "Prometheus version targeted (2.x or 3.x), overriding the configuration.")
    var prometheusVersion: String?

    @Option(name: .customLong("enable"), help: "Enable a check (id, category/*, or all); repeatable.")
    var enable: [String] = []

    @Option(name: .customLong("disable"), help: "Disable a check (id, category/*, or all); repeatable.")
    var disable: [String] = []

    @Flag(name: .customLong("list-checks"), help: "List every check with its default severity and exit.")
    var listChecks = false

    @Option(name: .customLong("explain"), help: "Explain one check and exit.")
    var explain: String?

    func run() throws {
        let catalogue = CheckCatalogue.standard
        if listChecks {
            print(CheckDocs.list(catalogue), terminator: "")
            return
        }
        if let id = explain {
            guard let text = CheckDocs.explain(id, catalogue) else {
                Output.err("unknown check \"\(id)\"; see --list-checks")
                throw ExitCode(1)
            }
            print(text, terminator: "")
            return
        }
        var version: PrometheusVersion?
        if let v = prometheusVersion {
            guard let pv = PrometheusVersion(parsing: v) else {
                throw ValidationError("--prometheus-version must be 2.x or 3.x, not \"\(v)\"")
            }
            version = pv
        }
        for sel in enable + disable where catalogue.resolve(selector: sel).isEmpty {
            throw ValidationError("unknown check \"\(sel)\"; see --list-checks")
        }
        var options = LintOptions(paths: paths.isEmpty ? ["."] : paths, configFile: configFile,
                                  prometheusVersion: version)
        options.enable = enable
        options.disable = disable
        if paths.contains("-") { options.standardInput = Output.readStandardInput() }
        let result = Linter(catalogue: catalogue).run(options)
        let colour = TextReporter.shouldColour(isTerminal: isatty(STDOUT_FILENO) == 1,
                                               environment: ProcessEnvironment.current())
        let text = output.render(result.diagnostics, catalogue: catalogue, colour: colour)
        Output.write(fd: 1, text)
        let code = result.exitCode(failOn: failOn.severity)
        if code != 0 { throw ExitCode(code) }
    }
}
