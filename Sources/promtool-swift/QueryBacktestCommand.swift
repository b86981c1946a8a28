import ArgumentParser
import Query

extension BacktestPrinter.Format: ExpressibleByArgument {}

/// `query backtest RULE_FILE... (--input FILE... | SERVER)` (ours): when would these alerts have fired?
struct QueryBacktest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Evaluate alerting rules over a past range and print when each alert went pending, firing and resolved.",
        discussion: """
            The data is the --input files (or the --config targets, scraped first), or, when no --input is given, the server named by the last argument \
            (the raw samples the rules select are read from it, then the rules are evaluated locally). Groups \
            are evaluated at their interval (--evaluation-interval when they set none) from --start to --end.
            """
    )

    @Option(name: [.customShort("o"), .customLong("format")], help: "Output format (text, json).")
    var format: BacktestPrinter.Format = .text

    @OptionGroup var embedded: EmbeddedOptions

    @Option(help: "Start of the range (RFC3339 or Unix timestamp); with --input defaults to the first sample.")
    var start: String?

    @Option(help: "End of the range (RFC3339 or Unix timestamp); with --input defaults to the last sample.")
    var end: String?

    @Option(name: .customLong("evaluation-interval"), help: "Interval of groups that set none.")
    var evaluationInterval: String = "1m"

    @OptionGroup var serverOptions: ServerOptions

    @Argument(help: ArgumentHelp("RULE_FILE... [SERVER]: rule files, then the server when no --input is given.", valueName: "rule-files"))
    var arguments: [String] = []

    func run() async throws {
        var ruleFiles = arguments
        var server: RemoteQuery.Connection?
        if embedded.inputs.isEmpty && embedded.config == nil {
            guard arguments.count >= 2 else {
                Output.err(arguments.isEmpty ? "promtool: error: required argument 'rule-files' not provided, try --help"
                                             : "promtool: error: give --input FILE or a SERVER after the rule files, try --help")
                throw ExitCode(1)
            }
            server = try serverOptions.connection(server: ruleFiles.removeLast())
        }
        let request = AlertBacktest.Request(ruleFiles: ruleFiles, settings: try await embedded.settings(), server: server, start: start, end: end,
                                            evaluationInterval: evaluationInterval, format: format)
        try finish(AlertBacktest.run(request, output: standardStreams))
    }
}
