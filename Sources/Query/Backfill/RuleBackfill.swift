import ConfigModel
import GoCompat
import Engine

/// `promtool tsdb create-blocks-from rules`: evaluates every rule of the rule files over a past time range
/// with range queries against a Prometheus server, and writes the results as TSDB blocks — one block per
/// rule per block-duration range, as promtool 3.14's rule importer writes them: range queries stepped by the
/// group's interval and aligned to the group's evaluation times, results labelled with the rule's labels and
/// named after the rule, appended with Prometheus's head semantics.
public enum RuleBackfill {
    public struct Settings: Sendable {
        public var start: String
        public var end: String?
        public var outputDirectory: String
        /// `--eval-interval` (used by groups without an `interval`), nanoseconds.
        public var evalInterval: Int64
        /// `--max-block-duration`, milliseconds (0: the default 2 h).
        public var maxBlockDuration: Int64
        public var ruleFiles: [String]

        public init(start: String, end: String?, outputDirectory: String, evalInterval: Int64, maxBlockDuration: Int64,
                    ruleFiles: [String]) {
            self.start = start
            self.end = end
            self.outputDirectory = outputDirectory
            self.evalInterval = evalInterval
            self.maxBlockDuration = maxBlockDuration
            self.ruleFiles = ruleFiles
        }
    }

    /// Runs the import; returns the exit code (promtool's messages on `output.err`).
    public static func run(_ connection: RemoteQuery.Connection, _ s: Settings, output: CommandOutput) -> Int32 {
        let endTime: QueryTime
        if let e = s.end {
            guard let t = QueryTime.parse(e) else {
                output.err("error parsing end time: cannot parse \(goQuote(e)) to a valid timestamp\n")
                return 1
            }
            endTime = t
        } else {
            endTime = QueryTime.now().adding(nanos: -3 * 3600 * 1_000_000_000)
        }
        guard let startTime = QueryTime.parse(s.start) else {
            output.err("error parsing start time: cannot parse \(goQuote(s.start)) to a valid timestamp\n")
            return 1
        }
        guard startTime < endTime else {
            output.err("start time is not before end time\n")
            return 1
        }
        let groups: [(file: String, group: RuleGroup)]
        switch loadGroups(s.ruleFiles) {
        case .success(let g): groups = g
        case .failure(let e):
            output.err("rule importer parse error: \(e.message)\n")
            return 1
        }
        return RemoteQuery.withClient(connection, output) { client in
            var errors: [String] = []
            for (file, group) in groups {
                for rule in group.rules {
                    if let e = importRule(rule, group: group, file: file, start: startTime, end: endTime, settings: s, client: client) {
                        errors.append(e)
                    }
                }
            }
            for e in errors { output.err("rule importer error: \(e)\n") }
            if !errors.isEmpty {
                output.err("error importing rules\n")
                return 1
            }
            return 0
        }
    }

    /// The first problem of the rule files, worded as `rulefmt.ParseFile` words it (`FILE: …`).
    public struct LoadError: Error, Sendable {
        public var message: String
    }

    /// Loads and validates every rule file as promtool's rule importer does before it sends any query
    /// (`rules.Manager.LoadGroups`: `rulefmt.ParseFile` with the default PromQL parser, UTF-8 names, unknown
    /// fields rejected): structure, names, every expression and alert template — the `check rules` checks
    /// without the duplicate lint. The first error wins, as promtool reports only that one.
    public static func loadGroups(_ files: [String]) -> Result<[(file: String, group: RuleGroup)], LoadError> {
        let checker = RuleCheckFeatures.makeChecker(options: RuleCheckOptions(lintDuplicateRules: false), features: [])
        var groups: [(file: String, group: RuleGroup)] = []
        for file in files {
            let bytes: [UInt8]
            switch FileSystem.readFile(file) {
            case .success(let b): bytes = b
            case .failure(let e): return .failure(LoadError(message: "\(file): \(e.message)"))
            }
            let (loaded, errors) = checker.analyse(bytes: bytes)
            if let first = errors.first { return .failure(LoadError(message: "\(file): \(first.message)")) }
            for g in loaded?.groups ?? [] { groups.append((file, g)) }
        }
        return .success(groups)
    }

    /// Seconds of a time, floored (Go's `Time.Unix`).
    static func unixSeconds(_ t: QueryTime) -> Int64 {
        let q = t.nanos / 1_000_000_000
        return t.nanos % 1_000_000_000 < 0 ? q - 1 : q
    }

    /// A rule group's evaluation time at or before `nanos` (Prometheus's `Group.EvalTimestamp`): the interval
    /// grid shifted by the hash of the group's name and file.
    public static func evalTimestamp(nanos: Int64, interval: Int64, name: String, file: String) -> Int64 {
        guard interval > 0 else { return nanos }
        var key: [UInt8] = []
        key += Array("file".utf8) + [0xFF] + Array(file.utf8) + [0xFF]
        key += Array("name".utf8) + [0xFF] + Array(name.utf8) + [0xFF]
        let offset = Int64(XXHash64.hash(key) % UInt64(interval))
        let adjusted = nanos &- offset
        return adjusted &- (adjusted % interval) &+ offset
    }

    /// One rule over the whole range, one block per block range; an error as promtool words it.
    static func importRule(_ rule: Rule, group: RuleGroup, file: String, start: QueryTime, end: QueryTime,
                           settings s: Settings, client: PrometheusAPIClient) -> String? {
        let duration = OpenMetricsBackfill.blockDuration(forMax: s.maxBlockDuration)
        let interval = group.interval.map { $0.milliseconds &* 1_000_000 } ?? s.evalInterval
        guard interval > 0 else { return "query range: zero evaluation interval" }
        let startSeconds = unixSeconds(start), endSeconds = unixSeconds(end)
        let startMs = startSeconds &* 1000, endMs = endSeconds &* 1000
        var blockStart = duration &* (startMs / duration)
        while blockStart <= endMs {
            defer { blockStart &+= duration }
            let blockEnd = blockStart &+ duration &- 1
            let currentStart = max(blockStart / 1000, startSeconds)
            var aligned = evalTimestamp(nanos: currentStart &* 1_000_000_000, interval: interval,
                                        name: group.name?.value ?? "", file: file)
            while unixSeconds(QueryTime(nanos: aligned)) < currentStart { aligned &+= interval }
            let queryEnd = min(blockEnd / 1000, endSeconds) &* 1_000_000_000
            if queryEnd < aligned { break }
            let value: APIValue
            do {
                value = try client.queryRange(rule.exprText, start: QueryTime(nanos: aligned), end: QueryTime(nanos: queryEnd),
                                              step: GoDuration(nanos: interval)).value
            } catch {
                return "query range: \(error.plainMessage)"
            }
            guard case .matrix(let matrix) = value else { return "rule result is wrong type \(typeName(value))" }
            var window = BackfillWindow(start: blockStart, chunkRange: duration &* 2)
            for series in matrix ?? [] {
                var labels = series.metric
                for l in rule.labels { labels[l.name] = l.value.value }
                labels["__name__"] = rule.name
                let sorted = labels.filter { !$0.value.isEmpty }.map { (name: $0.key, value: $0.value) }
                    .sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
                for p in series.values {
                    window.append(labels: sorted, t: p.timestamp, v: p.value)
                    if let f = window.failure { return "add: multiappender append: \(f)" }
                }
            }
            var blockSeries = window.takeBlockSeries()
            do {
                _ = try BlockWriter.write(series: &blockSeries, minTime: window.minTime, maxTime: window.maxTime == .max ? .max : window.maxTime + 1,
                                          into: s.outputDirectory)
            } catch {
                return "flush and commit: multiappender flush: compactor write: \(error.message)"
            }
        }
        return nil
    }

    static func typeName(_ v: APIValue) -> String {
        switch v {
        case .scalar: return "scalar"
        case .string: return "string"
        case .vector: return "vector"
        case .matrix: return "matrix"
        }
    }
}
