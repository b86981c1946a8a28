import ArgumentParser
import ConfigModel
import Engine
import Lint

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `check rules FILE...`: promtool's rule-file check, plus `  at FILE:L:C` lines for errors.
struct CheckRulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Check if the rule files are valid or not."
    )

    @Argument(help: "The rule files to check, default is read from standard input (also `-`).")
    var ruleFiles: [String] = []

    @Option(name: .customLong("lint"), help: "Linting checks to apply. Available options are: all, duplicate-rules, none. Use --lint=none to disable linting")
    var lint: String = "duplicate-rules"

    @Flag(name: .customLong("lint-fatal"), help: "Make lint errors exit with exit code 3.")
    var lintFatal = false

    @Flag(name: .customLong("ignore-unknown-fields"), help: "Ignore unknown fields in the rule files.")
    var ignoreUnknownFields = false

    @Option(name: .customLong("enable-feature"), help: "promtool's global flag: comma separated feature names to enable (promql-experimental-functions, promql-duration-expr, promql-extended-range-selectors, promql-binop-fill-modifiers, promql-delayed-name-removal).")
    var enableFeature: [String] = []

    @Flag(name: .customLong("lint-extended"), help: "promtool-swift's addition: also run its linter (`promtool-swift lint`) on each rule file that loads. Findings print on stderr after `  LINT:` and never change the exit code (use `promtool-swift lint` to fail on them).")
    var lintExtended = false

    func run() throws {
        for path in ruleFiles where path != "-" {
            var st = stat()
            if stat(path, &st) != 0 {
                Output.usageError("path '\(path)' does not exist")
                throw ExitCode(1)
            }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                let base = path.split(separator: "/").last.map(String.init) ?? path
                Output.usageError("'\(base)' is a directory")
                throw ExitCode(1)
            }
        }
        // Unknown feature names were already reported by `Main`, as promtool reports them for any command.
        let features = RuleCheckFeatures.parse(enableFeature)
        let (duplicates, warnings) = RuleCheckOptions.lintSettings(lint)
        for w in warnings { Output.write(fd: 1, w + "\n") }
        let options = RuleCheckOptions(lintDuplicateRules: duplicates, lintFatal: lintFatal,
                                       ignoreUnknownFields: ignoreUnknownFields)
        let checker = RuleCheckFeatures.makeChecker(options: options, features: features.enabled)

        var results: [RuleFileCheckResult] = []
        let inputs = ruleFiles.isEmpty ? ["-"] : ruleFiles
        for input in inputs {
            let result = input == "-" ? checker.checkStandardInput(Output.readStandardInput()) : checker.checkFile(path: input)
            emit(result)
            results.append(result)
            // `--lint-extended` also runs this tool's linter on each rule file that loaded (informational).
            if lintExtended && input != "-" && !result.hasErrors {
                let extra = PromtoolLintAll.run(paths: [input], workingDirectory: FileSystem.currentDirectory())
                if !extra.lines.isEmpty {
                    Output.err("  LINT:")
                    for line in extra.lines { Output.err("  " + line) }
                }
            }
        }
        let code = RuleFileChecker.exitCode(for: results, lintFatal: lintFatal)
        if code != 0 { throw ExitCode(code) }
    }

    private func emit(_ result: RuleFileCheckResult) {
        for line in result.output {
            switch line.stream {
            case .stdout: Output.write(fd: 1, line.text + "\n")
            case .stderr: Output.write(fd: 2, line.text + "\n")
            }
        }
    }
}
