import ArgumentParser
import Engine
import Query
import ScrapeHTTP

/// `query ...`: PromQL questions to a Prometheus server (promtool 3.14's commands), or, without a server,
/// to `--input` files loaded into the embedded engine (ours).
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run query against a Prometheus server, or against --input files without one.",
        subcommands: [QueryInstant.self, QueryRange.self, QuerySeries.self, QueryLabels.self, QueryAnalyze.self, QueryBacktest.self]
    )
}

/// The flags every `query` subcommand takes (promtool declares them on `query` itself).
struct QueryOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .customLong("format")], help: "Output format of the query (promql, json; unittest for instant and range).")
    var format: ValuePrinter.Format = .promql

    @OptionGroup var server: ServerOptions

    func connection(server address: String) throws -> RemoteQuery.Connection { try server.connection(server: address) }
}

/// How to reach a Prometheus server: the flags of every command that asks one (`query ...`, `query backtest`).
struct ServerOptions: ParsableArguments {
    @Option(name: .customLong("http.config.file"), help: "HTTP client configuration file, see details at https://prometheus.io/docs/prometheus/latest/configuration/promtool")
    var httpConfigFile: String?

    @Option(name: .customLong("header"), help: "Extra headers to send to server (KEY=VALUE, repeatable).")
    var headers: [String] = []

    @Option(name: .customLong("timeout"), help: "Time to wait for the server's answer (promtool: 2m).")
    var timeout: String = "2m"

    /// The connection to `server` with these flags; a timeout of 0 means promtool's default, 2m.
    func connection(server: String) throws -> RemoteQuery.Connection {
        switch GoDuration.parse(timeout) {
        case .success(let d):
            let limit = d.nanos > 0 ? Duration.nanoseconds(d.nanos) : .seconds(120)
            return RemoteQuery.Connection(server: server, httpConfigFile: httpConfigFile, headers: headers, timeout: limit)
        case .failure(let e):
            Output.err("promtool: error: \(e.message), try --help")
            throw ExitCode(1)
        }
    }
}

extension ValuePrinter.Format: ExpressibleByArgument {}

/// The embedded engine's flags (ours): used when no server is given.
struct EmbeddedOptions: ParsableArguments {
    @Option(name: .customLong("input"), help: "OpenMetrics (with timestamps) or Prometheus text file to query without a server (repeatable).")
    var inputs: [String] = []

    @Option(name: .customLong("query.lookback-delta"), help: "The maximum lookback duration of instant selectors (embedded; default 5m).")
    var lookbackDelta: String?

    @Option(name: .customLong("enable-feature"), help: "Comma separated feature names to enable (embedded).")
    var features: [String] = []

    @Option(name: .customLong("config"), help: "Prometheus config whose targets (static and file SD) are scraped first, then queried (embedded).")
    var config: String?

    @Option(name: .customLong("scrapes"), help: "With --config: how many times each target is scraped, at its job's interval.")
    var scrapes: Int = 2

    @Option(name: .customLong("tsdb"), help: "Prometheus data directory to query without a server (read-only: opens nothing for writing, takes no lock).")
    var tsdb: String?

    /// `--config` scrapes for the embedded engine; with a SERVER it would be silently ignored.
    func rejectConfig(withServer server: String?) throws {
        if server != nil && config != nil {
            Output.err("promtool: error: --config queries scraped targets without a server; drop the SERVER or --config, try --help")
            throw ExitCode(1)
        }
    }

    /// The settings to query with, after scraping `--config`'s targets when one is given.
    func settings() async throws -> EmbeddedQuery.Settings {
        var s = EmbeddedQuery.Settings(inputs: inputs, lookbackDelta: lookbackDelta, features: features, configPath: config, scrapes: scrapes)
        s.tsdbPath = tsdb
        let http: ScrapeLoop.FetcherFactory = { @Sendable job throws(ScrapeFetchError) -> any ScrapeFetcher in try TransportScrapeFetcher(job: job) }
        guard let scraped = await EmbeddedQuery.scrape(s, fetcher: http, output: standardStreams) else { throw ExitCode(1) }
        return scraped
    }
}

/// `[SERVER] EXPR`: a server for the remote mode, or none for the embedded one.
func serverAndExpression(_ arguments: [String]) throws -> (server: String?, expr: String) {
    switch arguments.count {
    case 1: return (nil, arguments[0])
    case 2: return (arguments[0], arguments[1])
    default:
        Output.err(arguments.isEmpty ? "promtool: error: required argument 'expr' not provided, try --help"
                                     : "promtool: error: unexpected \(arguments[2]), try --help")
        throw ExitCode(1)
    }
}

/// Rejects `-o unittest` where it means nothing.
func rejectUnitTestFormat(_ format: ValuePrinter.Format) throws {
    if format == .unittest {
        Output.err("promtool: error: -o unittest applies to instant and range queries, try --help")
        throw ExitCode(1)
    }
}

/// The CLI's streams for the library's commands.
let standardStreams = CommandOutput(out: { Output.write(fd: 1, $0) }, err: { Output.write(fd: 2, $0) })

/// Exits with `code` unless it is 0.
func finish(_ code: Int32) throws {
    if code != 0 { throw ExitCode(code) }
}

struct QueryInstant: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "instant",
        abstract: "Run instant query.",
        discussion: "With a SERVER, asks that Prometheus. Without one, evaluates EXPR on the --input files (at the newest sample unless --time is given)."
    )

    @OptionGroup var options: QueryOptions
    @OptionGroup var embedded: EmbeddedOptions

    @Option(help: "Query evaluation time (RFC3339 or Unix timestamp).")
    var time: String?

    @Argument(help: ArgumentHelp("[SERVER] EXPR: Prometheus server to query (omit it to query --input files), PromQL query expression.", valueName: "server-and-expr"))
    var arguments: [String] = []

    func run() async throws {
        let (server, expr) = try serverAndExpression(arguments)
        try embedded.rejectConfig(withServer: server)
        if let server {
            try finish(RemoteQuery.instant(try options.connection(server: server), expr: expr, time: time,
                                           format: options.format, output: standardStreams))
        } else {
            try finish(EmbeddedQuery.instant(try await embedded.settings(), expr: expr, time: time, format: options.format, output: standardStreams))
        }
    }
}

struct QueryRange: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "range",
        abstract: "Run range query.",
        discussion: "With a SERVER, asks that Prometheus. Without one, evaluates EXPR on the --input files (ending at the newest sample unless --end is given)."
    )

    @OptionGroup var options: QueryOptions
    @OptionGroup var embedded: EmbeddedOptions

    @Option(help: "Query range start time (RFC3339 or Unix timestamp).")
    var start: String?

    @Option(help: "Query range end time (RFC3339 or Unix timestamp).")
    var end: String?

    @Option(help: "Query step size (duration).")
    var step: String?

    @Argument(help: ArgumentHelp("[SERVER] EXPR: Prometheus server to query (omit it to query --input files), PromQL query expression.", valueName: "server-and-expr"))
    var arguments: [String] = []

    func run() async throws {
        let (server, expr) = try serverAndExpression(arguments)
        try embedded.rejectConfig(withServer: server)
        if let server {
            try finish(RemoteQuery.range(try options.connection(server: server), expr: expr, start: start, end: end, step: step,
                                         format: options.format, output: standardStreams))
        } else {
            try finish(EmbeddedQuery.range(try await embedded.settings(), expr: expr, start: start, end: end, step: step,
                                           format: options.format, output: standardStreams))
        }
    }
}

struct QuerySeries: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "series", abstract: "Run series query (on --input files when no SERVER is given).")

    @OptionGroup var options: QueryOptions
    @OptionGroup var embedded: EmbeddedOptions

    @Option(name: .customLong("match"), help: "Series selector. Can be specified multiple times.")
    var matchers: [String] = []

    @Option(help: "Start time (RFC3339 or Unix timestamp).")
    var start: String?

    @Option(help: "End time (RFC3339 or Unix timestamp).")
    var end: String?

    @Argument(help: "Prometheus server to query (omit it to query --input files).")
    var server: String?

    func run() async throws {
        if matchers.isEmpty {
            Output.err("promtool: error: required flag --match not provided, try --help")
            throw ExitCode(1)
        }
        try rejectUnitTestFormat(options.format)
        try embedded.rejectConfig(withServer: server)
        if let server {
            try finish(RemoteQuery.series(try options.connection(server: server), matchers: matchers, start: start, end: end,
                                          format: options.format, output: standardStreams))
        } else {
            try finish(EmbeddedQuery.series(try await embedded.settings(), matchers: matchers, start: start, end: end,
                                            format: options.format, output: standardStreams))
        }
    }
}

struct QueryLabels: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "labels", abstract: "Run labels query (on --input files when no SERVER is given).")

    @OptionGroup var options: QueryOptions
    @OptionGroup var embedded: EmbeddedOptions

    @Option(help: "Start time (RFC3339 or Unix timestamp).")
    var start: String?

    @Option(help: "End time (RFC3339 or Unix timestamp).")
    var end: String?

    @Option(name: .customLong("match"), help: "Series selector. Can be specified multiple times.")
    var matchers: [String] = []

    @Argument(help: ArgumentHelp("[SERVER] NAME: Prometheus server to query (omit it to query --input files), label name to provide label values for.", valueName: "server-and-name"))
    var arguments: [String] = []

    func run() async throws {
        try rejectUnitTestFormat(options.format)
        let (server, name) = try serverAndExpression(arguments)
        try embedded.rejectConfig(withServer: server)
        if let server {
            try finish(RemoteQuery.labels(try options.connection(server: server), name: name, matchers: matchers, start: start, end: end,
                                          format: options.format, output: standardStreams))
        } else {
            try finish(EmbeddedQuery.labels(try await embedded.settings(), name: name, matchers: matchers, start: start, end: end,
                                            format: options.format, output: standardStreams))
        }
    }
}

struct QueryAnalyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Run queries against your Prometheus to analyze the usage pattern of certain metrics."
    )

    @OptionGroup var options: QueryOptions

    @Option(help: "Prometheus server to query.")
    var server: String?

    @Option(help: "Type of metric: histogram.")
    var type: String?

    @Option(help: "Time frame to analyze.")
    var duration: String = "1h"

    @Option(help: "Query time (RFC3339 or Unix timestamp), defaults to now.")
    var time: String?

    @Option(name: .customLong("match"), help: "Series selector. Can be specified multiple times.")
    var matchers: [String] = []

    func run() throws {
        for (value, flag) in [(server != nil, "server"), (type != nil, "type"), (!matchers.isEmpty, "match")] where !value {
            Output.err("promtool: error: required flag --\(flag) not provided, try --help")
            throw ExitCode(1)
        }
        try finish(RemoteQuery.analyze(try options.connection(server: server ?? ""), type: type ?? "", duration: duration,
                                       time: time, matchers: matchers, output: standardStreams))
    }
}
