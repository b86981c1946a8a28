import GoCompat
import ConfigModel
import Engine

/// `query backtest RULE_FILE... (--input FILE... | SERVER) [--start --end]` (ours): evaluates the alerting
/// rules of the files over a past range, at their groups' intervals, and prints when each alert instance
/// went pending, firing and resolved. The data is the `--input` files, or the raw samples the rules select,
/// read from a Prometheus server; either way the rules run on the embedded engine.
public enum AlertBacktest {
    public struct Request: Sendable {
        public var ruleFiles: [String]
        /// The input files, lookback delta and features (the embedded engine's settings).
        public var settings: EmbeddedQuery.Settings
        /// Where to read the data instead of `settings.inputs`.
        public var server: RemoteQuery.Connection?
        /// `--start`/`--end` as given; without a server they default to the first and last input sample.
        public var start: String?
        public var end: String?
        /// `--evaluation-interval`: for groups without `interval:` (Prometheus's default 1m).
        public var evaluationInterval: String?
        public var format: BacktestPrinter.Format

        public init(ruleFiles: [String], settings: EmbeddedQuery.Settings, server: RemoteQuery.Connection? = nil,
                    start: String? = nil, end: String? = nil, evaluationInterval: String? = nil, format: BacktestPrinter.Format = .text) {
            self.ruleFiles = ruleFiles
            self.settings = settings
            self.server = server
            self.start = start
            self.end = end
            self.evaluationInterval = evaluationInterval
            self.format = format
        }
    }

    public static func run(_ r: Request, output: CommandOutput) -> Int32 {
        guard !r.ruleFiles.isEmpty else {
            output.err("promtool: error: required argument 'rule-files' not provided, try --help\n")
            return 1
        }
        var defaultInterval = AlertBacktester.defaultIntervalMillis
        if let text = r.evaluationInterval, !text.isEmpty {
            switch GoDuration.parse(text) {
            case .success(let d) where d.nanos >= 1_000_000: defaultInterval = d.nanos / 1_000_000
            case .success: output.err("promtool: error: --evaluation-interval must be at least 1ms, try --help\n"); return 1
            case .failure(let e): output.err("promtool: error: \(e.message), try --help\n"); return 1
            }
        }
        // Times given must parse before anything is loaded.
        var start: Int64?, end: Int64?
        for (text, which) in [(r.start, "start"), (r.end, "end")] {
            guard let text, !text.isEmpty else {
                if r.server != nil {
                    output.err("promtool: error: required flag --\(which) not provided, try --help\n")
                    return 1
                }
                continue
            }
            guard let t = QueryTime.parse(text) else {
                output.err("error parsing \(which) time: cannot parse \(goQuote(text)) to a valid timestamp\n")
                return 1
            }
            if which == "start" { start = t.serverMillis } else { end = t.serverMillis }
        }
        if let s = start, let e = end, s > e {
            output.err("start time is not before end time\n")
            return 1
        }

        // The rule files, checked as `check rules` checks them (positioned errors, exit 1).
        let checker = RuleCheckFeatures.makeChecker(options: RuleCheckOptions(lintDuplicateRules: false),
                                                    features: RuleCheckFeatures.parse(r.settings.features).enabled)
        var groups: [(file: String, group: RuleGroup)] = []
        for path in r.ruleFiles {
            let result = checker.checkFile(path: path)
            guard !result.hasErrors, let file = result.file else {
                let lines = result.output.dropFirst().map(\.text).filter { !$0.isEmpty }
                output.err("Checking \(path)\n" + lines.map { $0 + "\n" }.joined())
                return 1
            }
            for g in file.groups { groups.append((path, g)) }
        }

        // The data: the input files, or (with a server) an empty head filled below.
        var settings = r.settings
        if r.server != nil { settings.inputs = [] }
        guard let loaded = EmbeddedQuery.load(settings, sampleTime: end ?? QueryTime.now().millis, output: output) else { return 1 }
        var backtester: AlertBacktester
        do {
            backtester = try AlertBacktester(groups: groups, defaultIntervalMillis: defaultInterval,
                                             parserOptions: loaded.engine.options.parserOptions)
        } catch {
            output.err("error loading rules: \(error)\n")
            return 1
        }
        let from: Int64, to: Int64
        if let server = r.server {
            guard let s = start, let e = end else { return 1 }
            from = s
            to = e
            do { try backtester.checkEvaluationCount(start: s, end: e) } catch {
                output.err("error: \(error.message)\n")
                return 1
            }
            let code = fetch(server, backtester: backtester, lookbackMillis: loaded.engine.options.lookbackDeltaMillis,
                             start: s, end: e, into: loaded.head, output: output)
            if code != 0 { return code }
        } else {
            guard let s = start ?? loaded.head.stats.minTime, let e = end ?? loaded.head.stats.maxTime else {
                output.err("error: no samples in the --input files, and no --start and --end to evaluate at\n")
                return 1
            }
            guard s <= e else {
                output.err("start time is not before end time\n")
                return 1
            }
            from = s
            to = e
        }

        let outcome: AlertBacktester.Outcome
        do {
            outcome = try backtester.run(querier: RuleQuerier(engine: loaded.engine, head: loaded.head), start: from, end: to)
        } catch {
            output.err("error: \(error.message)\n")
            return 1
        }
        for f in outcome.failures {
            let times = f.count == 1 ? "1 evaluation" : "\(f.count) evaluations"
            output.err("warning: \(f.file): group \(goQuote(f.group)), rule \(goQuote(f.rule)) failed in \(times), first at \(BacktestPrinter.seconds(f.firstTime)): \(f.message)\n")
        }
        output.out(BacktestPrinter.render(outcome.alerts, format: r.format, start: from, end: to))
        return 0
    }

    /// Reads the samples the rules need for [start, end] from the server into `head`.
    static func fetch(_ c: RemoteQuery.Connection, backtester: AlertBacktester, lookbackMillis: Int64, start: Int64, end: Int64,
                      into head: Head, output: CommandOutput) -> Int32 {
        RemoteQuery.withClient(c, output) { client in
            let ranges = backtester.selectorTimeRanges(start: start, end: end, lookbackMillis: lookbackMillis)
            let windows = RemoteSampleLoader.windows(ranges, excludingNames: backtester.recordedNames)
            do throws(PrometheusAPIClient.Failure) {
                let loaded = try RemoteSampleLoader(client: client).load(windows, into: head)
                for w in loaded.warnings { output.err("query warning: \(w)\n") }
                return 0
            } catch {
                output.err(error.promtoolMessage + "\n")
                return 1
            }
        }
    }
}
