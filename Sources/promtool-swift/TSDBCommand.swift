import ArgumentParser
import Engine

/// `tsdb ...`: reading Prometheus data directories (promtool 3.14's `tsdb` commands).
struct TSDBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tsdb",
        abstract: "Run tsdb commands.",
        subcommands: [TSDBBench.self, TSDBList.self, TSDBAnalyze.self, TSDBDump.self, TSDBDumpOpenMetrics.self, TSDBCreateBlocksFrom.self]
    )
}

/// Opens `path` read-only or prints the error (promtool's `checkErr`: the error on stderr, exit 1).
private func openDirectory(_ path: String, withHead: Bool = false) throws -> TSDBDirectory {
    do {
        return withHead ? try TSDBDirectory.openWithHead(path: path) : try TSDBDirectory(path: path)
    } catch {
        Output.err(error.description)
        throw ExitCode(1)
    }
}

/// Parses `--match` selectors as `ParseMetricSelector` does, or prints the error and exits 1.
private func parseSelectors(_ texts: [String]) throws -> [[LabelMatcher]] {
    var sets: [[LabelMatcher]] = []
    for t in texts {
        do {
            sets.append(try PromQLParser.parseMetricSelector(t))
        } catch {
            Output.err(error.description)
            throw ExitCode(1)
        }
    }
    return sets
}

struct TSDBList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List tsdb blocks.")

    @Flag(name: [.customShort("r"), .customLong("human-readable")], help: "Print human readable values.")
    var humanReadable = false

    @Argument(help: "Database path (default is data/).")
    var dbPath = "data/"

    func run() throws {
        let dir = try openDirectory(dbPath)
        Output.write(fd: 1, TSDBReport.list(dir, humanReadable: humanReadable))
    }
}

struct TSDBAnalyze: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "analyze", abstract: "Analyze churn, label pair cardinality and compaction efficiency.")

    @Option(help: "How many items to show in each list.")
    var limit = 20

    @Flag(help: "Run extended analysis.")
    var extended = false

    @Option(help: "Series selector to analyze. Only 1 set of matchers is supported now.")
    var match = ""

    @Option(name: [.customShort("o"), .customLong("output")], help: "Output format: text (promtool's) or json (promtool-swift's, for scripts).")
    var output = "text"

    @Argument(help: "Database path (default is data/).")
    var dbPath = "data/"

    @Argument(help: "Block to analyze (default is the last block).")
    var blockID: String?

    func run() throws {
        guard output == "text" || output == "json" else {
            Output.usageError("--output must be text or json, got '\(output)'")
            throw ExitCode(1)
        }
        let matchers = match.isEmpty ? nil : try parseSelectors([match])[0]
        let id: String
        if let blockID {
            id = blockID
        } else {
            guard let last = TSDBDirectory.lastBlockName(in: dbPath) else {
                Output.err("no blocks found")
                throw ExitCode(1)
            }
            id = last
        }
        do {
            let block = try Block(directory: dbPath + "/" + id)
            let a = try TSDBReport.analyze(block, matchers: matchers, matcherText: match.isEmpty ? nil : match, limit: limit, extended: extended)
            Output.write(fd: 1, output == "json" ? TSDBReport.analysisJSON(a) : TSDBReport.analysisText(a))
        } catch {
            Output.err(error.description)
            throw ExitCode(1)
        }
    }
}

/// The flags `dump` and `dump-openmetrics` share.
struct TSDBDumpArguments: ParsableArguments {
    @Option(name: .customLong("sandbox-dir-root"), help: "Accepted for compatibility; promtool-swift never writes to or beside the database.")
    var sandboxDirRoot = ""

    @Option(name: .customLong("min-time"), help: "Minimum timestamp to dump, in milliseconds since the Unix epoch.")
    var minTime = Int64.min

    @Option(name: .customLong("max-time"), help: "Maximum timestamp to dump, in milliseconds since the Unix epoch.")
    var maxTime = Int64.max

    @Option(help: "Series selector. Can be specified multiple times.")
    var match: [String] = []

    @Argument(help: "Database path (default is data/).")
    var dbPath = "data/"

    func run(format: TSDBReport.DumpFormat) throws {
        let sets = try parseSelectors(match.isEmpty ? ["{__name__=~'(?s:.*)'}"] : match)
        let dir = try openDirectory(dbPath, withHead: true)
        do {
            try TSDBReport.dump(dir, matcherSets: sets, mint: minTime, maxt: maxTime, format: format) { Output.write(fd: 1, $0) }
        } catch {
            Output.err(error.description)
            throw ExitCode(1)
        }
    }
}

struct TSDBDump: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dump", abstract: "Dump data (series+samples or optionally just series) from a TSDB.")

    @OptionGroup var common: TSDBDumpArguments

    @Option(help: "Output format of the dump (prom (default) or seriesjson).")
    var format = "prom"

    func run() throws {
        guard format == "prom" || format == "seriesjson" else {
            Output.usageError("enum value must be one of prom,seriesjson, got '\(format)'")
            throw ExitCode(1)
        }
        try common.run(format: format == "prom" ? .prom : .seriesjson)
    }
}

struct TSDBDumpOpenMetrics: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump-openmetrics",
        abstract: "[Experimental] Dump samples from a TSDB into OpenMetrics text format, excluding native histograms and staleness markers, which are not representable in OpenMetrics.")

    @OptionGroup var common: TSDBDumpArguments

    func run() throws { try common.run(format: .openmetrics) }
}
