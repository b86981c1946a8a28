import Engine
import Foundation
import Query
import Testing

/// `query backtest`: alert transitions on generated data with known answers, embedded and against a real
/// Prometheus (the same transitions), and its bad-input messages.
@Suite(.serialized) struct AlertBacktestTests {
    static let start = 1_700_000_000

    /// `errors` every 15 s for an hour: instance a is 5 from +600 s to +1500 s (pending at +600, firing
    /// after `for: 5m` at +900, kept firing 3 m after it stops: resolved at +1680); instance b is 5 from
    /// +300 s to +480 s (pending, then dropped before `for` ran out: resolved at +480).
    static var openMetrics: String {
        var lines = ["# TYPE errors gauge"]
        for i in 0..<240 {
            let offset = i * 15
            lines.append("errors{instance=\"a\"} \((600..<1500).contains(offset) ? 5 : 0) \(start + offset)")
            lines.append("errors{instance=\"b\"} \((300..<480).contains(offset) ? 5 : 0) \(start + offset)")
        }
        lines.append("# EOF")
        return lines.joined(separator: "\n") + "\n"
    }

    static let rules = """
        groups:
          - name: slow
            interval: 1m
            rules:
              - alert: High
                expr: errors > 1
                for: 5m
                keep_firing_for: 3m
                labels:
                  severity: page
          - name: fast
            interval: 30s
            rules:
              - record: instance:errors:max
                expr: max by (instance) (errors)
              - alert: AnyErrors
                expr: instance:errors:max > 1

        """

    static func t(_ offset: Int) -> String { String(start + offset) }

    static var expectedText: String {
        func rfc(_ offset: Int) -> String {
            let f = ISO8601DateFormatter()
            f.timeZone = TimeZone(identifier: "UTC")
            return f.string(from: Date(timeIntervalSince1970: TimeInterval(start + offset)))
        }
        func line(_ state: String, _ offset: Int) -> String {
            "  " + state + String(repeating: " ", count: 10 - state.count) + rfc(offset) + " (" + t(offset) + ")\n"
        }
        return "AnyErrors{instance=\"a\"}\n" + line("firing", 600) + line("resolved", 1500)
            + "AnyErrors{instance=\"b\"}\n" + line("firing", 300) + line("resolved", 480)
            + "High{instance=\"a\", severity=\"page\"}\n" + line("pending", 600) + line("firing", 900) + line("resolved", 1680)
            + "High{instance=\"b\", severity=\"page\"}\n" + line("pending", 300) + line("resolved", 480)
    }

    static var expectedJSON: String {
        "[{\"alertname\":\"AnyErrors\",\"labels\":{\"alertname\":\"AnyErrors\",\"instance\":\"a\"},\"transitions\":[{\"state\":\"firing\",\"time\":\(t(600))},{\"state\":\"resolved\",\"time\":\(t(1500))}]},"
            + "{\"alertname\":\"AnyErrors\",\"labels\":{\"alertname\":\"AnyErrors\",\"instance\":\"b\"},\"transitions\":[{\"state\":\"firing\",\"time\":\(t(300))},{\"state\":\"resolved\",\"time\":\(t(480))}]},"
            + "{\"alertname\":\"High\",\"labels\":{\"alertname\":\"High\",\"instance\":\"a\",\"severity\":\"page\"},\"transitions\":[{\"state\":\"pending\",\"time\":\(t(600))},{\"state\":\"firing\",\"time\":\(t(900))},{\"state\":\"resolved\",\"time\":\(t(1680))}]},"
            + "{\"alertname\":\"High\",\"labels\":{\"alertname\":\"High\",\"instance\":\"b\",\"severity\":\"page\"},\"transitions\":[{\"state\":\"pending\",\"time\":\(t(300))},{\"state\":\"resolved\",\"time\":\(t(480))}]}]\n"
    }

    func files() throws -> (dir: String, input: String, rules: String) {
        let dir = try Processes.temporaryDirectory("backtest")
        try Self.openMetrics.write(toFile: dir + "/input.om", atomically: true, encoding: .utf8)
        try Self.rules.write(toFile: dir + "/rules.yml", atomically: true, encoding: .utf8)
        return (dir, dir + "/input.om", dir + "/rules.yml")
    }

    func run(_ args: [String]) throws -> Processes.Result { try Processes.run(try Processes.ourBinary(), args) }

    @Test func embeddedTransitionsArePendingFiringResolved() throws {
        let f = try files()
        let range = ["--start", Self.t(0), "--end", Self.t(3585)]
        #expect(try run(["query", "backtest", f.rules, "--input", f.input] + range)
            == Processes.Result(status: 0, stdout: Self.expectedText, stderr: ""))
        #expect(try run(["query", "backtest", "-o", "json", f.rules, "--input", f.input] + range)
            == Processes.Result(status: 0, stdout: Self.expectedJSON, stderr: ""))
        // Without --start/--end: the inputs' first and last sample.
        #expect(try run(["query", "backtest", f.rules, "--input", f.input]).stdout == Self.expectedText)
    }

    @Test func aRangeWithoutAlertsSaysSo() throws {
        let f = try files()
        #expect(try run(["query", "backtest", f.rules, "--input", f.input, "--start", Self.t(0), "--end", Self.t(120)])
            == Processes.Result(status: 0, stdout: "No alert went pending or firing between 2023-11-14T22:13:20Z and 2023-11-14T22:15:20Z.\n", stderr: ""))
        #expect(try run(["query", "backtest", "-o", "json", f.rules, "--input", f.input, "--start", Self.t(0), "--end", Self.t(120)]).stdout == "[]\n")
    }

    @Test(.needsPrometheus) func serverGivesTheSameTransitionsAsTheFile() throws {
        let prometheus = try PrometheusFixture.start(openMetrics: Self.openMetrics)
        defer { prometheus.stop() }
        let f = try files()
        let range = ["--start", Self.t(0), "--end", Self.t(3585)]
        #expect(try run(["query", "backtest", f.rules, prometheus.url] + range)
            == Processes.Result(status: 0, stdout: Self.expectedText, stderr: ""))
        #expect(try run(["query", "backtest", "-o", "json", f.rules, prometheus.url] + range)
            == Processes.Result(status: 0, stdout: Self.expectedJSON, stderr: ""))
        // An off-grid range: both modes still agree.
        let offGrid = ["--start", "1700000333.5", "--end", "1700002222"]
        let fromServer = try run(["query", "backtest", f.rules, prometheus.url] + offGrid)
        #expect(fromServer.status == 0)
        #expect(try run(["query", "backtest", f.rules, "--input", f.input] + offGrid) == fromServer)
        // A server needs the range.
        #expect(try run(["query", "backtest", f.rules, prometheus.url, "--start", Self.t(0)])
            == Processes.Result(status: 1, stdout: "", stderr: "promtool: error: required flag --end not provided, try --help\n"))
    }

    /// Rules whose selectors read outside the evaluation range (`@`, offsets, duration expressions,
    /// subqueries): against the server, the windows fetched are widened exactly as far, so the transitions
    /// are the embedded ones on the same data. The range starts at +1800 s, after instance b's errors
    /// (+300…+480 s), which only the widened windows reach, and ends at +3000 s, where the negative offset
    /// reads data up to +3600 s.
    static let modifierRules = """
        groups:
          - name: modifiers
            interval: 1m
            rules:
              - alert: AtFixed
                expr: errors @ \(start + 450) > 1
              - alert: AtStart
                expr: errors @ start() offset 20m > 1
              - alert: Offset
                expr: errors offset 25m > 1
              - alert: OffsetExpr
                expr: errors offset (12m30s * 2) > 1
              - alert: RangeExpr
                expr: max_over_time(errors[20m + 10m]) > 1
              - alert: StepExpr
                expr: max_over_time(errors[25m + step()]) > 1
              - alert: Subquery
                expr: max_over_time(max_over_time(errors[1m])[10m:1m] offset 20m) > 1
              - alert: SubqueryAt
                expr: max_over_time((errors @ \(start + 600))[5m:1m]) > 1
              - alert: NegativeOffset
                expr: errors offset -10m == 0

        """

    @Test(.needsPrometheus) func serverWindowsFollowAtOffsetsAndDurationExpressions() throws {
        let prometheus = try PrometheusFixture.start(openMetrics: Self.openMetrics)
        defer { prometheus.stop() }
        let f = try files()
        let rules = f.dir + "/modifiers.yml"
        try Self.modifierRules.write(toFile: rules, atomically: true, encoding: .utf8)
        let args = ["--enable-feature", "promql-duration-expr", "--start", Self.t(1800), "--end", Self.t(3000)]
        let embedded = try run(["query", "backtest", "-o", "json", rules, "--input", f.input] + args)
        #expect(embedded.status == 0)
        #expect(embedded.stderr == "")
        for name in ["AtFixed", "AtStart", "Offset", "OffsetExpr", "RangeExpr", "StepExpr", "Subquery", "SubqueryAt", "NegativeOffset"] {
            #expect(embedded.stdout.contains("\"alertname\":\"\(name)\""), "\(name) never fired")
        }
        // instance b's errors are seen only through AtFixed (and the windows reaching back to them).
        #expect(embedded.stdout.contains("\"alertname\":\"AtFixed\",\"labels\":{\"alertname\":\"AtFixed\",\"instance\":\"b\"}"))
        let remote = try run(["query", "backtest", "-o", "json", rules, prometheus.url] + args)
        #expect(remote == embedded)
    }

    /// A range needing too many evaluations is refused before anything is fetched (the server here is unreachable).
    @Test func tooManyEvaluationsFailsBeforeFetching() throws {
        let f = try files()
        let r = try run(["query", "backtest", f.rules, "http://127.0.0.1:1", "--start", "0", "--end", "100000000"])
        #expect(r == Processes.Result(status: 1, stdout: "", stderr: "error: the range needs 5000001 rule group evaluations; at most 2000000 are allowed (shorten --start..--end)\n"))
    }

    @Test func unknownRuleFile() throws {
        let f = try files()
        #expect(try run(["query", "backtest", f.dir + "/missing.yml", "--input", f.input])
            == Processes.Result(status: 1, stdout: "", stderr: "Checking \(f.dir)/missing.yml\n  FAILED:\n\(f.dir)/missing.yml: open \(f.dir)/missing.yml: no such file or directory\n"))
    }

    @Test func ruleFileFailingCheckRulesIsPositioned() throws {
        let f = try files()
        let bad = f.dir + "/bad.yml"
        try "groups:\n  - name: g\n    rules:\n      - alert: X\n        expr: sum(errors\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let r = try run(["query", "backtest", bad, "--input", f.input])
        // The same lines `check rules` prints after its `Checking` line.
        let check = try run(["check", "rules", bad])
        #expect(r.status == 1)
        #expect(r.stdout == "")
        #expect(r.stderr.contains("  at \(bad):5:"))
        #expect(r.stderr == "Checking \(bad)\n" + check.stderr)
    }

    @Test func startAfterEnd() throws {
        let f = try files()
        #expect(try run(["query", "backtest", f.rules, "--input", f.input, "--start", Self.t(600), "--end", Self.t(0)])
            == Processes.Result(status: 1, stdout: "", stderr: "start time is not before end time\n"))
        #expect(try run(["query", "backtest", f.rules, "--input", f.input, "--start", "yesterday"])
            == Processes.Result(status: 1, stdout: "", stderr: "error parsing start time: cannot parse \"yesterday\" to a valid timestamp\n"))
    }

    @Test func noDataSource() throws {
        let f = try files()
        #expect(try run(["query", "backtest", f.rules])
            == Processes.Result(status: 1, stdout: "", stderr: "promtool: error: give --input FILE or a SERVER after the rule files, try --help\n"))
    }

    /// The server flags are the `query` commands' own (one option group): same parsing, same messages.
    @Test func serverFlagsAreThoseOfTheQueryCommands() throws {
        let f = try files()
        for (flags, message) in [(["--timeout", "soon"], "promtool: error: time: invalid duration \"soon\", try --help\n"),
                                 (["--header", "novalue"], "promtool: error: expected KEY=VALUE got 'novalue', try --help\n"),
                                 (["--http.config.file", "/nonexistent/http.yml"], "promtool: error: path '/nonexistent/http.yml' does not exist, try --help\n")] {
            let expected = Processes.Result(status: 1, stdout: "", stderr: message)
            #expect(try run(["query", "backtest", f.rules, "http://127.0.0.1:9", "--start", Self.t(0), "--end", Self.t(600)] + flags) == expected, "\(flags)")
            #expect(try run(["query", "instant", "http://127.0.0.1:9", "up"] + flags) == expected, "\(flags)")
        }
    }

    /// The backtester directly: the recorded history follows the evaluator's states, `keep_firing_for` included.
    @Test func backtesterRecordsKeepFiringFor() throws {
        let head = Head()
        var app = head.appender()
        for i in 0..<40 {
            try app.append(Labels([("__name__", "up"), ("job", "x")]), t: Int64(i) * 60_000, v: (10..<20).contains(i) ? 0 : 1)
        }
        app.commit()
        let rule = AlertingRule(name: "Down", expr: try PromQLParser.parse("up == 0"), holdMillis: 120_000,
                                keepFiringForMillis: 300_000, labels: Labels(), annotations: Labels())
        var b = AlertBacktester(evaluators: [RuleGroupEvaluator(name: "g", file: "f", queryOffsetMillis: 0, limit: 0, rules: [.alerting(rule)])],
                                intervals: [60_000])
        let outcome = try b.run(querier: RuleQuerier(engine: PromQLEngine(), head: head), start: 0, end: 39 * 60_000)
        #expect(outcome.failures.isEmpty)
        #expect(outcome.alerts == [AlertHistory(alertname: "Down", labels: Labels([("alertname", "Down"), ("job", "x")]), transitions: [
            .init(.pending, at: 600_000), .init(.firing, at: 720_000), .init(.resolved, at: 1_500_000),
        ])])
    }
}
