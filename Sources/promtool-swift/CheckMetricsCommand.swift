import ArgumentParser
import Lint

/// `check metrics`: lints a text exposition read from standard input (promtool-compatible).
struct CheckMetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Pass Prometheus metrics over stdin to lint them for consistency and correctness, and optionally perform cardinality analysis.",
        discussion: """
        examples:

        $ cat metrics.prom | promtool check metrics

        $ curl -s http://localhost:9090/metrics | promtool check metrics --extended

        $ curl -s http://localhost:9100/metrics | promtool check metrics --extended --lint=none
        """
    )

    @Flag(name: .long, help: "Print extended information related to the cardinality of the metrics.")
    var extended = false

    @Option(name: .long, help: "Linting checks to apply for metrics. Available options are: all, none. Use --lint=none to disable metrics linting.")
    var lint = "all"

    func run() throws {
        let input = Output.readStandardInput()
        let out = CheckMetrics(extended: extended, lint: lint).run(input)
        if !out.stderr.isEmpty { Output.write(fd: 2, out.stderr) }
        if !out.stdout.isEmpty { Output.write(fd: 1, out.stdout) }
        if out.exitCode != 0 { throw ExitCode(out.exitCode) }
    }
}
