import GoCompat
import ConfigModel
import HTTPTransport

/// promtool 3.14's remote `query` subcommands and `check healthy|ready`: argument checks, the calls, and
/// what is printed, with promtool's exit codes (0 success, 1 any failure).
public enum RemoteQuery {
    /// The settings every remote command shares.
    public struct Connection: Sendable {
        public var server: String
        public var httpConfigFile: String?
        /// `--header KEY=VALUE` flags as given.
        public var headers: [String]
        /// Per request; promtool uses 2 minutes for queries and 10 seconds for health checks.
        public var timeout: Duration

        public init(server: String, httpConfigFile: String? = nil, headers: [String] = [], timeout: Duration = .seconds(120)) {
            self.server = server
            self.httpConfigFile = httpConfigFile
            self.headers = headers
            self.timeout = timeout
        }
    }

    /// A usage-level failure: promtool prints `promtool: error: MESSAGE` (plus `, try --help` for flag errors).
    struct Usage: Error {
        var line: String
    }

    /// Parses the connection settings the way promtool's kingpin flags and `main` do, then runs `body`
    /// with a client whose transport is shut down afterwards.
    static func withClient(_ c: Connection, _ output: CommandOutput, _ body: (PrometheusAPIClient) -> Int32) -> Int32 {
        let server: GoURL
        switch GoURL.parse(c.server) {
        case .success(let u): server = u
        case .failure(let e):
            output.err("promtool: error: invalid URL: \(e.message), try --help\n")
            return 1
        }
        var headers: [(String, String)] = []
        for h in c.headers {
            guard let eq = h.firstIndex(of: "=") else {
                output.err("promtool: error: expected KEY=VALUE got '\(h)', try --help\n")
                return 1
            }
            let key = String(h[..<eq])
            // kingpin's StringMap: a repeated key keeps its last value.
            headers.removeAll { $0.0 == key }
            headers.append((key, String(h[h.index(after: eq)...])))
        }
        var config = HTTPClientConfig()
        if let path = c.httpConfigFile {
            if FileSystem.statError(path) != nil {
                output.err("promtool: error: path '\(path)' does not exist, try --help\n")
                return 1
            }
            if server.username != nil {
                output.err("promtool: error: Cannot set base auth in the server URL and use a http.config.file at the same time\n")
                return 1
            }
            do { config = try HTTPClientConfigFile.load(path: path) } catch {
                var line = "promtool: error: Failed to load HTTP config file: \(error.message)\n"
                if let m = error.mark, m.line > 0 { line += "  at \(error.file ?? path):\(m.line):\(m.column)\n" }
                output.err(line)
                return 1
            }
        }
        let transport: HTTPTransport
        do { transport = try HTTPTransport(config: config) } catch {
            output.err("promtool: error: Failed to create a new HTTP round tripper: \(error.message)\n")
            return 1
        }
        defer { transport.shutdown() }
        return body(PrometheusAPIClient(server: server, transport: transport, headers: headers, timeout: c.timeout))
    }

    /// `query instant SERVER EXPR [--time]`.
    public static func instant(_ c: Connection, expr: String, time: String?, format: ValuePrinter.Format, output: CommandOutput) -> Int32 {
        withClient(c, output) { client in
            var t = QueryTime.now()
            if let time, !time.isEmpty {
                guard let parsed = QueryTime.parse(time) else {
                    output.err("error parsing evaluation time: cannot parse \(goQuote(time)) to a valid timestamp\n")
                    return 1
                }
                t = parsed
            }
            return report(output) { () throws(PrometheusAPIClient.Failure) in
                ValuePrinter.value(try client.query(expr, at: t).value, format: format)
            }
        }
    }

    /// `query range SERVER EXPR [--start --end --step]`.
    public static func range(_ c: Connection, expr: String, start: String?, end: String?, step: String?,
                             format: ValuePrinter.Format, output: CommandOutput) -> Int32 {
        withClient(c, output) { client in
            let window: (QueryTime, QueryTime, GoDuration)
            switch rangeWindow(start: start, end: end, step: step) {
            case .success(let w): window = w
            case .failure(let e):
                output.err(e.message + "\n")
                return 1
            }
            return report(output) { () throws(PrometheusAPIClient.Failure) in
                ValuePrinter.value(try client.queryRange(expr, start: window.0, end: window.1, step: window.2).value, format: format)
            }
        }
    }

    /// promtool's range defaults: end now, start five minutes before, step about 250 points.
    public static func rangeWindow(start: String?, end: String?, step: String?, now: QueryTime = .now()) -> Result<(QueryTime, QueryTime, GoDuration), QueryError> {
        var e = now
        if let end, !end.isEmpty {
            guard let t = QueryTime.parse(end) else { return .failure(QueryError("error parsing end time: cannot parse \(goQuote(end)) to a valid timestamp")) }
            e = t
        }
        var s = e.adding(nanos: -300_000_000_000)
        if let start, !start.isEmpty {
            guard let t = QueryTime.parse(start) else { return .failure(QueryError("error parsing start time: cannot parse \(goQuote(start)) to a valid timestamp")) }
            s = t
        }
        guard s < e else { return .failure(QueryError("start time is not before end time")) }
        var d = GoDuration(nanos: 0)
        if let step, !step.isEmpty {
            switch GoDuration.parse(step) {
            case .success(let v): d = v
            case .failure(let err): return .failure(QueryError("promtool: error: \(err.message), try --help"))
            }
        }
        if d.nanos == 0 {
            let span = Double(e.nanos.subtractingReportingOverflow(s.nanos).partialValue) / 1e9
            let resolution = max((span / 250).rounded(.down), 1)
            d = GoDuration(nanos: Int64(min(resolution, 9e9)) * 1_000_000_000)
        }
        return .success((s, e, d))
    }

    /// promtool's `parseStartTimeAndEndTime`: 9999 hours either side of now by default.
    public static func seriesWindow(start: String?, end: String?, now: QueryTime = .now()) -> Result<(QueryTime, QueryTime), QueryError> {
        let span: Int64 = 9999 * 3_600_000_000_000
        var s = now.adding(nanos: -span), e = now.adding(nanos: span)
        if let start, !start.isEmpty {
            guard let t = QueryTime.parse(start) else { return .failure(QueryError("error parsing start time: cannot parse \(goQuote(start)) to a valid timestamp")) }
            s = t
        }
        if let end, !end.isEmpty {
            guard let t = QueryTime.parse(end) else { return .failure(QueryError("error parsing end time: cannot parse \(goQuote(end)) to a valid timestamp")) }
            e = t
        }
        return .success((s, e))
    }

    /// `query series SERVER --match… [--start --end]`.
    public static func series(_ c: Connection, matchers: [String], start: String?, end: String?,
                              format: ValuePrinter.Format, output: CommandOutput) -> Int32 {
        withClient(c, output) { client in
            inSeriesWindow(start: start, end: end, output) { w in
                report(output) { () throws(PrometheusAPIClient.Failure) in
                    ValuePrinter.series(try client.series(matching: matchers, start: w.0, end: w.1).value, format: format)
                }
            }
        }
    }

    /// `query labels SERVER NAME [--match… --start --end]`: warnings go to stderr as `query warning: …`.
    public static func labels(_ c: Connection, name: String, matchers: [String], start: String?, end: String?,
                              format: ValuePrinter.Format, output: CommandOutput) -> Int32 {
        withClient(c, output) { client in
            inSeriesWindow(start: start, end: end, output) { w in
                report(output) { () throws(PrometheusAPIClient.Failure) in
                    let answer = try client.labelValues(name, matching: matchers, start: w.0, end: w.1)
                    for warning in answer.warnings { output.err("query warning: \(warning)\n") }
                    return ValuePrinter.labelValues(answer.value, format: format)
                }
            }
        }
    }

    /// Parses `--start`/`--end` as `parseStartTimeAndEndTime` does and runs `body` with them, or prints the error.
    static func inSeriesWindow(start: String?, end: String?, _ output: CommandOutput, _ body: ((QueryTime, QueryTime)) -> Int32) -> Int32 {
        switch seriesWindow(start: start, end: end) {
        case .failure(let e):
            output.err(e.message + "\n")
            return 1
        case .success(let w):
            return body(w)
        }
    }

    /// Runs one API call: prints what `body` returns on stdout (exit 0), or promtool's `query error:` line (exit 1).
    static func report(_ output: CommandOutput, _ body: () throws(PrometheusAPIClient.Failure) -> String) -> Int32 {
        do {
            output.out(try body())
            return 0
        } catch {
            output.err(error.promtoolMessage + "\n")
            return 1
        }
    }

    /// `query analyze --server --type=histogram --match… [--duration --time]`.
    public static func analyze(_ c: Connection, type: String, duration: String, time: String?, matchers: [String],
                               output: CommandOutput) -> Int32 {
        let d: GoDuration
        switch GoDuration.parse(duration) {
        case .success(let v): d = v
        case .failure(let e):
            output.err("promtool: error: \(e.message), try --help\n")
            return 1
        }
        return withClient(c, output) { client in
            guard type == "histogram" else {
                output.err("analyze type is \(type), must be 'histogram'\n")
                return 1
            }
            var end = QueryTime.now()
            if let time, !time.isEmpty {
                guard let t = QueryTime.parse(time) else {
                    output.err("error parsing time '\(time)': cannot parse \(goQuote(time)) to a valid timestamp\n")
                    return 1
                }
                end = t
            }
            let analysis = HistogramAnalysis(duration: d)
            do throws(PrometheusAPIClient.Failure) {
                try analysis.run(matchers: matchers, output: output.out) { (query: String) throws(PrometheusAPIClient.Failure) -> APIValue in
                    try client.query(query, at: end).value
                }
                return 0
            } catch {
                output.err(error.plainMessage + "\n")
                return 1
            }
        }
    }

    /// `check healthy` / `check ready`: GET `/-/healthy` or `/-/ready` (10 s), `  SUCCESS:  BODY` on stderr.
    public static func checkServer(_ c: Connection, endpoint: String, output: CommandOutput) -> Int32 {
        withClient(c, output) { client in
            do throws(PrometheusAPIClient.Failure) {
                let response = try client.get(path: endpoint)
                guard response.status == 200 else {
                    output.err("check failed: URL=\(client.serverDescription), status=\(response.status)\n")
                    return 1
                }
                output.err("  SUCCESS:  " + String(decoding: response.body, as: UTF8.self) + "\n")
                return 0
            } catch {
                output.err(error.plainMessage + "\n")
                return 1
            }
        }
    }
}
