import GoCompat
import ArgumentParser
import ConfigModel
import Engine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `test ...`: unit tests for rules and PromQL scripts.
struct TestGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Unit testing.",
        subcommands: [TestRules.self, TestPromQL.self]
    )
}

/// `test promql FILE...`: runs promqltest scripts (the format of Prometheus's own PromQL tests).
struct TestPromQL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promql",
        abstract: "Run PromQL test scripts (load/eval format) against the embedded engine.",
        discussion: "The engine is configured as upstream's own test run: every experimental feature, delayed __name__ removal and a 10,000-sample limit. The last line counts eval commands."
    )

    @Argument(help: "Script files.")
    var files: [String]

    @Flag(name: .long, help: "Print every eval, not only failures.")
    var verbose = false

    func run() throws {
        var passed = 0, failed = 0
        for file in files {
            guard let bytes = Output.readFile(file) else {
                Output.err("\(file): cannot read file")
                failed += 1
                continue
            }
            let report = PromQLTestRunner().run(script: String(decoding: bytes, as: UTF8.self), file: file)
            if let e = report.scriptError {
                Output.err(e)
            }
            for o in report.outcomes {
                if let f = o.failure {
                    Output.err("FAIL \(file):\(o.line): \(f)")
                } else if verbose {
                    print("ok   \(file):\(o.line): \(o.expr)")
                }
            }
            print("\(file): \(report.passed) passed, \(report.failed) failed")
            passed += report.passed
            failed += report.failed
        }
        print("\(passed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode(1) }
    }
}

/// `test rules FILE...`: promtool's rule unit tests (Prometheus 3.14 output and exit codes), with positions,
/// coverage, JSON output and a strict mode for rule_files patterns that match nothing.
struct TestRules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Unit tests for rules."
    )

    @Argument(help: "The unit test file.")
    var files: [String]

    @Option(name: .customLong("run"), help: "If set, will only run test groups whose names match the regular expression. Can be specified multiple times.")
    var runPatterns: [String] = []

    @Option(name: .customLong("junit"), help: "File path to store JUnit XML test results.")
    var junit: String?

    @Flag(name: .customLong("debug"), help: "Enable unit test debugging.")
    var debug = false

    @Flag(name: .customLong("diff"), help: "[Experimental] Print differential output between expected & received output.")
    var diff = false

    @Flag(name: .customLong("ignore-unknown-fields"), help: "Ignore unknown fields in the rule files.")
    var ignoreUnknownFields = false

    @Option(name: .customLong("enable-feature"), help: "Comma separated feature names to enable (promql-experimental-functions, promql-delayed-name-removal, promql-extended-range-selectors, promql-binop-fill-modifiers).")
    var enableFeature: [String] = []

    @Flag(name: .customLong("coverage"), help: "After the run, list alerting and recording rules no test exercised.")
    var coverage = false

    @Option(name: .customLong("coverage-fail-under"), help: "Exit 1 when fewer than PCT percent of the rules are tested (implies --coverage).")
    var coverageFailUnder: Double?

    @Flag(name: .customLong("fail-on-warnings"), help: "Fail when a rule_files pattern matches nothing (promtool only warns).")
    var failOnWarnings = false

    @Option(name: [.customShort("o"), .customLong("output")], help: "Output format: text (promtool's) or json.")
    var output: String = "text"

    func run() throws {
        for path in files {
            var st = stat()
            if stat(path, &st) != 0 {
                Output.err("promtool: error: path '\(path)' does not exist, try --help")
                throw ExitCode(1)
            }
        }
        guard output == "text" || output == "json" else {
            Output.err("promtool: error: unknown output format \(goQuote(output)) (text or json)")
            throw ExitCode(1)
        }
        let features = RuleCheckFeatures.parse(enableFeature)
        // With `-o json` stdout carries the JSON document only: everything else goes to stderr.
        let json = output == "json"
        for warning in features.warnings { Output.write(fd: json ? 2 : 1, warning) }
        let options = RulesTestOptions(runPatterns: runPatterns, diff: diff, debug: debug, ignoreUnknownFields: ignoreUnknownFields,
                                       parserOptions: RuleCheckFeatures.parserOptions(features.enabled),
                                       delayedNameRemoval: features.enabled.contains("promql-delayed-name-removal"))
        let runner: RulesTestRunner
        do {
            runner = try RulesTestRunner(options: options)
        } catch {
            Output.err("promtool: error: invalid --run pattern: \(error)")
            throw ExitCode(1)
        }
        var results: [RulesTestFileResult] = []
        for file in files {
            let result = runner.run(path: file)
            // promtool's text; in JSON mode only its stderr part (warnings, debug, failures).
            for line in result.output where !json || line.stream == .stderr {
                Output.write(fd: line.stream == .stdout ? 1 : 2, line.text + "\n")
            }
            results.append(result)
        }
        if json { Output.out(RulesTestJSON.render(results)) }
        if let junit {
            guard let f = fopen(junit, "wb") else {
                Output.err("failed to write JUnit XML: open \(junit): cannot create file")
                throw ExitCode(1)
            }
            _ = RulesTestJUnit.xml(results).withCString { fputs($0, f) }
            fclose(f)
        }
        var failed = results.contains { $0.failed }
        if failOnWarnings && results.contains(where: { !$0.warnings.isEmpty }) { failed = true }
        if coverage || coverageFailUnder != nil {
            let report = RulesCoverage(results: results, parserOptions: options.parserOptions)
            for line in report.lines { Output.write(fd: json ? 2 : 1, line + "\n") }
            if let minimum = coverageFailUnder, report.percent < minimum { failed = true }
        }
        if failed { throw ExitCode(1) }
    }
}
