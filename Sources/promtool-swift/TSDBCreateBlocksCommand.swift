import ArgumentParser
import Engine
import Query
import ConfigModel

/// `tsdb create-blocks-from openmetrics|rules`: promtool 3.14's backfilling commands.
struct TSDBCreateBlocksFrom: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-blocks-from",
        abstract: "[Experimental] Import samples from input and produce TSDB blocks. Please refer to the storage docs for more details.",
        subcommands: [TSDBCreateBlocksFromOpenMetrics.self, TSDBCreateBlocksFromRules.self]
    )
}

/// The flags promtool puts on `create-blocks-from` itself (given after the subcommand here).
struct CreateBlocksOptions: ParsableArguments {
    @Flag(name: [.customShort("r"), .customLong("human-readable")], help: "Print human readable values.")
    var humanReadable = false

    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "Do not print created blocks.")
    var quiet = false

    @Option(name: .customLong("max-block-duration"), help: ArgumentHelp("Maximum duration created blocks may span. Anything less than 2h is ignored.", visibility: .hidden))
    var maxBlockDuration: String?

    /// `--max-block-duration` in milliseconds (0 when absent), or promtool's usage error.
    func maxBlockDurationMillis() throws -> Int64 {
        guard let text = maxBlockDuration else { return 0 }
        return try Self.durationNanos(text, flag: "max-block-duration") / 1_000_000
    }

    /// A kingpin duration flag's value in nanoseconds, or promtool's usage error.
    static func durationNanos(_ text: String, flag: String) throws -> Int64 {
        switch GoDuration.parse(text) {
        case .success(let d): return d.nanos
        case .failure(let e):
            Output.usageError("invalid value \"\(text)\" for flag --\(flag): \(e.message)")
            throw ExitCode(1)
        }
    }
}

/// `tsdb create-blocks-from openmetrics INPUT [OUTPUT]`.
struct TSDBCreateBlocksFromOpenMetrics: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openmetrics",
        abstract: "Import samples from OpenMetrics input and produce TSDB blocks. Please refer to the storage docs for more details."
    )

    @OptionGroup var options: CreateBlocksOptions

    @Option(name: .customLong("label"), help: "Label to attach to metrics. Can be specified multiple times. Example --label=label_name=label_value")
    var labels: [String] = []

    @Argument(help: "OpenMetrics file to read samples from.")
    var inputFile: String

    @Argument(help: "Output directory for generated blocks.")
    var outputDirectory = "data/"

    func run() throws {
        var extra: [(name: String, value: String)] = []
        for l in labels {
            guard let eq = l.firstIndex(of: "=") else {
                Output.usageError("expected KEY=VALUE got '\(l)'")
                throw ExitCode(1)
            }
            let name = String(l[..<eq]), value = String(l[l.index(after: eq)...])
            extra.removeAll { $0.name == name }
            extra.append((name, value))
        }
        let backfill = OpenMetricsBackfill(outputDirectory: outputDirectory,
                                           maxBlockDuration: try options.maxBlockDurationMillis(), extraLabels: extra)
        var wroteHeader = false
        let quiet = options.quiet, human = options.humanReadable
        do {
            try backfill.run(inputPath: inputFile) { block in
                guard !quiet else { return }
                for line in BlockTable.lines([block], header: !wroteHeader, humanReadable: human) { Output.out(line) }
                wroteHeader = true
            }
        } catch {
            Output.err(error.message)
            throw ExitCode(1)
        }
    }
}

/// `tsdb create-blocks-from rules --start … [--end …] [--url …] RULE_FILES…`.
struct TSDBCreateBlocksFromRules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Create blocks of data for new recording rules."
    )

    @OptionGroup var options: CreateBlocksOptions

    @Option(name: .customLong("http.config.file"), help: "HTTP client configuration file, see details at https://prometheus.io/docs/prometheus/latest/configuration/promtool")
    var httpConfigFile: String?

    @Option(name: .customLong("url"), help: "The URL for the Prometheus API with the data where the rule will be backfilled from.")
    var url = "http://localhost:9090"

    @Option(name: .customLong("start"), help: "The time to start backfilling the new rule from. Must be a RFC3339 formatted date or Unix timestamp. Required.")
    var start: String

    @Option(name: .customLong("end"), help: "If an end time is provided, all recording rules in the rule files provided will be backfilled to the end time. Default will backfill up to 3 hours ago. Must be a RFC3339 formatted date or Unix timestamp.")
    var end: String?

    @Option(name: .customLong("output-dir"), help: "Output directory for generated blocks.")
    var outputDir = "data/"

    @Option(name: .customLong("eval-interval"), help: "How frequently to evaluate rules when backfilling if a value is not set in the recording rule files.")
    var evalInterval = "60s"

    @Argument(help: "A list of one or more files containing recording rules to be backfilled. All recording rules listed in the files will be backfilled. Alerting rules are not evaluated.")
    var ruleFiles: [String]

    func run() throws {
        let interval = try CreateBlocksOptions.durationNanos(evalInterval, flag: "eval-interval")
        if ruleFiles.isEmpty {
            Output.usageError("required argument 'rule-files' not provided")
            throw ExitCode(1)
        }
        for f in ruleFiles where FileSystem.statError(f) != nil {
            Output.usageError("path '\(f)' does not exist")
            throw ExitCode(1)
        }
        let settings = RuleBackfill.Settings(start: start, end: end, outputDirectory: outputDir, evalInterval: interval,
                                             maxBlockDuration: try options.maxBlockDurationMillis(), ruleFiles: ruleFiles)
        let output = CommandOutput(out: { Output.write(fd: 1, $0) }, err: { Output.write(fd: 2, $0) })
        let code = RuleBackfill.run(RemoteQuery.Connection(server: url, httpConfigFile: httpConfigFile), settings, output: output)
        if code != 0 { throw ExitCode(code) }
    }
}
