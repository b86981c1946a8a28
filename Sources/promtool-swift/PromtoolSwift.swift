import ArgumentParser
import Engine
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The command tree. Parsing goes through `Main` (not ArgumentParser's own `main()`), so that usage errors,
/// `--version` and promtool's global flags behave as promtool's (kingpin's) do.
struct PromtoolSwift: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promtool-swift",
        abstract: "Tooling for the Prometheus monitoring system: a drop-in for promtool, with positions and a linter.",
        discussion: """
        promtool's global flags are accepted before or after the command, as promtool accepts them: \
        --enable-feature=F,... (PromQL features for the commands that parse PromQL), --experimental \
        (accepted; the promql commands do not require it here), and --version (prints the version, exit 0).
        Usage errors (unknown flag or command, missing argument) print one `<name>: error: ..., try --help` \
        line on stderr and exit 1, as promtool does.
        """,
        subcommands: [Check.self, PromQLCommand.self, LintCommand.self, TestGroup.self, QueryCommand.self, TSDBCommand.self]
    )
}

/// `check ...`: the promtool-compatible validators.
struct Check: ParsableCommand {
    // Named explicitly: without it ArgumentParser derives the name from the type's name at run time, and every
    // invocation that walks past `check` paid for the runtime's type-name demangler.
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the resources for validity.",
        subcommands: [CheckRulesCommand.self, CheckMetricsCommand.self, CheckConfigCommand.self, CheckWebConfigCommand.self, CheckServiceDiscoveryCommand.self, CheckHealthyCommand.self, CheckReadyCommand.self]
    )
}

@main
enum Main {
    static func main() async {
        var invocation = Invocation(arguments: Array(CommandLine.arguments.dropFirst()))
        if invocation.wantsVersion {
            Output.write(fd: 1, BuildInfo.versionText(program: Output.programName))
            return
        }
        do {
            let command = try invocation.parse()
            if let group = CommandTree.unselectedGroup(command) {
                usageFailure("must select a subcommand of '\(group)'")
            }
            // promtool reports unknown feature names for any command, once, before running it.
            for warning in RuleCheckFeatures.parse(invocation.enableFeature).warnings { Output.write(fd: 1, warning) }
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var runnable = command
                try runnable.run()
            }
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            // Help requests (`--help`, `-h`, `help COMMAND`) come as errors that exit 0: printed by ArgumentParser.
            if PromtoolSwift.exitCode(for: error) == .success { PromtoolSwift.exit(withError: error) }
            usageFailure(invocation.kingpinMessage(for: error))
        }
    }

    /// promtool's (kingpin's) usage error: one line on stderr, exit code 1.
    static func usageFailure(_ message: String) -> Never {
        Output.usageError(message)
        exit(1)
    }
}
