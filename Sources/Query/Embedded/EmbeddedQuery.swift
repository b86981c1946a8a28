import GoCompat
import ConfigModel
import Engine

/// `query instant|range|series|labels` without a server (ours): `--input` files loaded into the in-memory
/// TSDB, evaluated by our engine with Prometheus's defaults, printed exactly as the remote mode prints
/// a server's answer (errors too: `query error: bad_data: invalid parameter "query": …`).
public enum EmbeddedQuery {
    public struct Settings: Sendable {
        public var inputs: [String]
        /// `--query.lookback-delta` (Prometheus: 5m).
        public var lookbackDelta: String?
        /// `--enable-feature` values (comma-separated lists allowed).
        public var features: [String]
        /// `--config`: a Prometheus config whose targets are scraped first (`scrape(_:fetcher:output:)`).
        public var configPath: String?
        /// `--scrapes`: how many times each target is scraped.
        public var scrapes: Int
        /// The head to load into: one the scrapes filled, or a new one.
        public var head: Head?
        /// `--tsdb DIR`: query a Prometheus data directory's blocks, read-only, instead of loaded inputs.
        public var tsdbPath: String?

        public init(inputs: [String], lookbackDelta: String? = nil, features: [String] = [],
                    configPath: String? = nil, scrapes: Int = 2, head: Head? = nil) {
            self.inputs = inputs
            self.lookbackDelta = lookbackDelta
            self.features = features
            self.configPath = configPath
            self.scrapes = scrapes
            self.head = head
        }
    }

    /// With `--config`, scrapes its targets into a new head and returns the settings that query it;
    /// without, the settings unchanged. Nil after printing why the config cannot be used.
    public static func scrape(_ s: Settings, fetcher: @escaping ScrapeLoop.FetcherFactory, output: CommandOutput) async -> Settings? {
        guard let path = s.configPath else { return s }
        let head = s.head ?? Head()
        guard await ConfigScrape.run(configPath: path, scrapes: s.scrapes, head: head, fetcher: fetcher, output: output) else { return nil }
        var scraped = s
        scraped.head = head
        return scraped
    }

    /// The loaded data and the engine to ask.
    public struct Loaded: Sendable {
        public var head: Head
        public var engine: PromQLEngine
        /// Newest sample time (ms), nil when nothing was loaded.
        public var maxTime: Int64?
        /// What queries read: the head, or the `--tsdb` directory.
        public var source: any SeriesSource
        /// The `--tsdb` directory, whose read errors are reported after a query.
        public var directory: TSDBDirectory?
    }

    /// The `--tsdb` directory's read error after a query, printed; false when there was one.
    static func readOK(_ l: Loaded, _ output: CommandOutput) -> Bool {
        guard let e = l.directory?.readError else { return true }
        output.err("query error: execution: \(e)\n")
        return false
    }

    /// Loads the inputs; samples without timestamps are taken at `sampleTime` (ms).
    public static func load(_ s: Settings, sampleTime: Int64, output: CommandOutput) -> Loaded? {
        var options = EngineOptions()
        let features = s.features.flatMap { $0.split(separator: ",").map(String.init) }
        options.parserOptions = ParserOptions(enableFeatures: features)
        options.delayedNameRemoval = features.contains("promql-delayed-name-removal")
        if let text = s.lookbackDelta, !text.isEmpty {
            switch GoDuration.parse(text) {
            case .success(let d) where d.nanos > 0: options.lookbackDeltaMillis = d.nanos / 1_000_000
            case .success: break
            case .failure(let e):
                output.err("promtool: error: \(e.message), try --help\n")
                return nil
            }
        }
        let head = s.head ?? Head()
        if let path = s.tsdbPath {
            let dir: TSDBDirectory
            do { dir = try TSDBDirectory.openWithHead(path: path) } catch {
                output.err("error opening TSDB: \(error)\n")
                return nil
            }
            // A block's maxTime is exclusive.
            let newest = (dir.blocks.map { $0.meta.maxTime - 1 } + [dir.head?.stats.maxTime].compactMap { $0 }).max()
            return Loaded(head: head, engine: PromQLEngine(options: options), maxTime: newest, source: dir, directory: dir)
        }
        let loader = InputLoader(head: head, defaultTime: sampleTime)
        for path in s.inputs {
            do { _ = try loader.load(path: path) } catch {
                output.err("error loading input: \(error)\n")
                return nil
            }
        }
        return Loaded(head: head, engine: PromQLEngine(options: options), maxTime: head.stats.maxTime, source: head, directory: nil)
    }

    /// The time an instant query without `--time` runs at: the newest loaded sample (now when empty).
    static func defaultTime(_ l: Loaded) -> QueryTime { l.maxTime.map { QueryTime(millis: $0) } ?? .now() }

    public static func instant(_ s: Settings, expr: String, time: String?, format: ValuePrinter.Format, output: CommandOutput) -> Int32 {
        var t: QueryTime?
        if let time, !time.isEmpty {
            guard let parsed = QueryTime.parse(time) else {
                output.err("error parsing evaluation time: cannot parse \(goQuote(time)) to a valid timestamp\n")
                return 1
            }
            t = parsed
        }
        guard let loaded = load(s, sampleTime: (t ?? .now()).millis, output: output) else { return 1 }
        let at = (t ?? defaultTime(loaded)).serverMillis
        let parsed: Expr
        do { parsed = try PromQLParser.parse(expr, options: loaded.engine.options.parserOptions) } catch {
            output.err("query error: bad_data: invalid parameter \"query\": \(error)\n")
            return 1
        }
        do {
            let result = try loaded.engine.instantQuery(parsed, at: at, source: loaded.source)
            guard readOK(loaded, output) else { return 1 }
            output.out(ValuePrinter.value(APIValue(result.value), format: format))
            return 0
        } catch {
            output.err("query error: execution: \(error.message)\n")
            return 1
        }
    }

    public static func range(_ s: Settings, expr: String, start: String?, end: String?, step: String?,
                             format: ValuePrinter.Format, output: CommandOutput) -> Int32 {
        guard let loaded = load(s, sampleTime: QueryTime.now().millis, output: output) else { return 1 }
        let window: (QueryTime, QueryTime, GoDuration)
        switch RemoteQuery.rangeWindow(start: start, end: end, step: step, now: defaultTime(loaded)) {
        case .success(let w): window = w
        case .failure(let e):
            output.err(e.message + "\n")
            return 1
        }
        let parsed: Expr
        do { parsed = try PromQLParser.parse(expr, options: loaded.engine.options.parserOptions) } catch {
            output.err("query error: bad_data: invalid parameter \"query\": \(error)\n")
            return 1
        }
        let stepMillis = window.2.nanos / 1_000_000
        guard stepMillis > 0 else {
            output.err("query error: bad_data: invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer\n")
            return 1
        }
        do {
            let result = try loaded.engine.rangeQuery(parsed, start: window.0.serverMillis, end: window.1.serverMillis, step: stepMillis, source: loaded.source)
            guard readOK(loaded, output) else { return 1 }
            output.out(ValuePrinter.value(APIValue(result.value), format: format))
            return 0
        } catch {
            // Prometheus's API: the expression's type is checked when the query is made (a parameter error).
            let kind = error.message.hasPrefix("invalid expression type") ? "bad_data: invalid parameter \"query\"" : "execution"
            output.err("query error: \(kind): \(error.message)\n")
            return 1
        }
    }

    /// The matchers of each `--match` selector, or the API's error line.
    static func matcherSets(_ selectors: [String], options: ParserOptions) -> Result<[[LabelMatcher]], QueryError> {
        var out: [[LabelMatcher]] = []
        for sel in selectors {
            let expr: Expr
            do { expr = try PromQLParser.parse(sel, options: options) } catch {
                return .failure(QueryError("query error: bad_data: invalid parameter \"match[]\": \(error)"))
            }
            guard case .vectorSelector(let vs) = expr else {
                return .failure(QueryError("query error: bad_data: invalid parameter \"match[]\": 1:1: parse error: unexpected expression, expected a vector selector"))
            }
            out.append(vs.matchers)
        }
        return .success(out)
    }

    /// Label sets of the series with samples in the window matching any of the matcher sets (all when none).
    static func selectedLabels(_ l: Loaded, _ sets: [[LabelMatcher]], start: QueryTime, end: QueryTime) -> [Labels] {
        var seen = Set<Labels>()
        // No selector: every series (a matcher that matches any name, as the head needs at least one).
        let everything = (try? LabelMatcher(.regexMatch, "__name__", ".+")).map { [[$0]] } ?? []
        for matchers in sets.isEmpty ? everything : sets {
            // `select` returns only series with a sample in the window (the head's and the directory's alike), so
            // no sample needs decoding here.
            for series in l.source.select(matchers, mint: start.millis, maxt: end.millis) { seen.insert(series.labels) }
        }
        return seen.sorted()
    }

    /// Loads the inputs and selects the series `query series` / `query labels` see; nil after printing an error.
    static func selectSeries(_ s: Settings, matchers: [String], start: String?, end: String?, output: CommandOutput) -> [Labels]? {
        guard let loaded = load(s, sampleTime: QueryTime.now().millis, output: output) else { return nil }
        let window: (QueryTime, QueryTime)
        switch RemoteQuery.seriesWindow(start: start, end: end) {
        case .success(let w): window = w
        case .failure(let e):
            output.err(e.message + "\n")
            return nil
        }
        switch matcherSets(matchers, options: loaded.engine.options.parserOptions) {
        case .failure(let e):
            output.err(e.message + "\n")
            return nil
        case .success(let sets):
            let labels = selectedLabels(loaded, sets, start: window.0, end: window.1)
            return readOK(loaded, output) ? labels : nil
        }
    }

    public static func series(_ s: Settings, matchers: [String], start: String?, end: String?,
                              format: ValuePrinter.Format, output: CommandOutput) -> Int32 {
        guard let labels = selectSeries(s, matchers: matchers, start: start, end: end, output: output) else { return 1 }
        output.out(ValuePrinter.series(labels.map(APIMetric.init), format: format))
        return 0
    }

    public static func labels(_ s: Settings, name: String, matchers: [String], start: String?, end: String?,
                              format: ValuePrinter.Format, output: CommandOutput) -> Int32 {
        guard let labels = selectSeries(s, matchers: matchers, start: start, end: end, output: output) else { return 1 }
        let values = Set(labels.compactMap { $0[name] }.filter { !$0.isEmpty })
        output.out(ValuePrinter.labelValues(values.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }, format: format))
        return 0
    }
}

extension APIMetric {
    init(_ labels: Labels) {
        self.init(minimumCapacity: labels.count)
        for l in labels.labels { self[l.name] = l.value }
    }
}

extension APIValue {
    /// The engine's result in the API's shape (as Prometheus's HTTP API would encode it).
    public init(_ v: QueryValue) {
        switch v {
        case .scalar(let t, let f): self = .scalar(t, f)
        case .string(let t, let s): self = .string(t, s)
        case .vector(let samples):
            self = .vector(samples.map { s in
                APISample(metric: APIMetric(s.labels), timestamp: s.t, value: s.h == nil ? s.f : 0, histogram: s.h.map(APIHistogram.init))
            })
        case .matrix(let series):
            self = .matrix(series.map { s in
                APISeries(metric: APIMetric(s.labels), values: s.floats.map { APIPoint(timestamp: $0.t, value: $0.f) },
                          histograms: s.histograms.map { APIHistogramPoint(timestamp: $0.t, histogram: APIHistogram($0.h)) })
            })
        }
    }
}

extension APIHistogram {
    /// Prometheus's JSON form of a native histogram: count, sum, and the non-empty buckets in order.
    public init(_ h: FloatHistogram) {
        let buckets = h.allBuckets().filter { $0.count != 0 }.map { b in
            APIBucket(boundaries: b.lowerInclusive ? (b.upperInclusive ? 3 : 1) : (b.upperInclusive ? 0 : 2),
                      lower: b.lower, upper: b.upper, count: b.count)
        }
        self.init(count: h.count, sum: h.sum, buckets: buckets)
    }
}
