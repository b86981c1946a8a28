import Engine
import Foundation
import Query
import Testing
import TestSupport

/// The embedded mode's loading (formats, timestamps, positioned errors) and `-o unittest`.
@Suite struct EmbeddedQueryTests {
    func run(_ args: [String]) throws -> Processes.Result { try Processes.run(try Processes.ourBinary(), args) }

    func write(_ text: String, _ name: String) throws -> String {
        let dir = try Processes.temporaryDirectory("embedded")
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func prometheusTextWithoutTimestampsIsTakenAtTheQueryTime() throws {
        let path = try write("# TYPE x gauge\nx{a=\"1\"} 1.5\nx{a=\"2\"} 2 1000\n", "now.prom")
        #expect(try run(["query", "instant", "--input", path, "x", "--time", "100"])
            == Processes.Result(status: 0, stdout: "x{a=\"1\"} => 1.5 @[100]\nx{a=\"2\"} => 2 @[100]\n", stderr: ""))
    }

    /// The README's `--input` example on the committed `testdata/demo/sse-requests.prom`, output as shown there.
    @Test func readmeExampleOnTheCommittedFile() throws {
        let root = Processes.packageRoot.path
        let input = root + "/testdata/demo/sse-requests.prom"
        let ratio = "sum by (instance) (rate(sse_requests_total{status=\"error\"}[5m])) / sum by (instance) (rate(sse_requests_total[5m]))"
        #expect(try run(["query", "instant", "--input", input, ratio, "--time", "1700000900"])
            == Processes.Result(status: 0, stdout: "{instance=\"app-1\"} => 0 @[1700000900]\n{instance=\"app-2\"} => 0.19999999999999998 @[1700000900]\n", stderr: ""))
        #expect(try run(["query", "backtest", root + "/testdata/alerts/sse_alerts.yml", "--input", input])
            == Processes.Result(status: 0, stdout: """
                HighErrorRate{severity="warning"}
                  pending   2023-11-14T22:25:20Z (1700000720)
                  firing    2023-11-14T22:27:20Z (1700000840)
                  resolved  2023-11-14T22:36:05Z (1700001365)

                """, stderr: ""))
    }

    @Test func withoutTimeTheNewestSampleIsTheEvaluationTime() throws {
        let path = try write("# TYPE c counter\nc_total 1 1000\nc_total 4 1030\n# EOF\n", "c.om")
        #expect(try run(["query", "instant", "--input", path, "c_total"])
            == Processes.Result(status: 0, stdout: "c_total => 4 @[1030]\n", stderr: ""))
    }

    @Test(arguments: [
        ("a{b=\"c\"} 1\nbad line here\n", "bad.prom", "error loading input: DIR/bad.prom:2:5: strconv.ParseFloat: parsing \"line\": invalid syntax while parsing: \"bad line\"\n"),
        ("a{b=\"c\"} 1 1000\na{b=\"c\"} 2 500\n", "ooo.prom", "error loading input: DIR/ooo.prom:2:1: out of order sample for series {__name__=\"a\", b=\"c\"}\n"),
    ])
    func badInputIsAPositionedError(text: String, name: String, expected: String) throws {
        let path = try write(text, name)
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let r = try run(["query", "instant", "--input", path, "a"])
        #expect(r == Processes.Result(status: 1, stdout: "", stderr: expected.replacingOccurrences(of: "DIR", with: dir)))
    }

    @Test func missingInputFile() throws {
        #expect(try run(["query", "instant", "--input", "/nonexistent/in.om", "a"])
            == Processes.Result(status: 1, stdout: "", stderr: "error loading input: /nonexistent/in.om: open /nonexistent/in.om: no such file or directory\n"))
    }

    @Test func loaderDetectsOpenMetricsByItsEOFLine() {
        #expect(InputLoader.isOpenMetrics(Array("a 1 2\n# EOF\n".utf8)))
        #expect(InputLoader.isOpenMetrics(Array("# EOF".utf8)))
        #expect(!InputLoader.isOpenMetrics(Array("a 1 2\n".utf8)))
        #expect(!InputLoader.isOpenMetrics(Array("a 1 2 # EOF\n".utf8)))
    }

    @Test func rangeAsUnitTestSeriesMarksGaps() {
        let m: APIValue = .matrix([
            APISeries(metric: ["__name__": "up", "job": "it's"], values: [.init(timestamp: 0, value: 1), .init(timestamp: 60_000, value: 0), .init(timestamp: 240_000, value: 1)]),
        ])
        #expect(UnitTestSeriesPrinter.inputSeries(m) == """
            # promtool-swift query -o unittest: paste into a test of a `test rules` file.
            interval: 1m
            input_series:
              - series: 'up{job="it''s"}'
                values: '1 0 _x2 1'

            """)
    }

    /// `-o unittest` output, pasted into a `test rules` file, is accepted by promtool and reproduces the data.
    @Test(.needsExecutables(PrometheusFixture.promtoolPath)) func unitTestOutputRunsUnderPromtool() throws {
        let promtool = PrometheusFixture.promtoolPath
        let input = try write(SampleData.openMetrics, "in.om")
        let dir = URL(fileURLWithPath: input).deletingLastPathComponent().path
        let series = try run(["query", "range", "-o", "unittest", "--input", input, "temp",
                              "--start", "1700000000", "--end", "1700000300", "--step", "1m"])
        #expect(series.status == 0)
        let indented = series.stdout.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { "    " + $0 }.joined(separator: "\n")
        let test = """
            rule_files: []
            tests:
              - \(indented.dropFirst(4))
                promql_expr_test:
                  - expr: temp
                    eval_time: 3m
                    exp_samples:
                      - labels: 'temp{room="k\\"it\\\\chen"}'
                        value: 21.25
            """
        try test.write(toFile: dir + "/test.yml", atomically: true, encoding: .utf8)
        let r = try Processes.run(promtool, ["test", "rules", dir + "/test.yml"])
        #expect(r.status == 0, "\(r)\n\(test)")
    }
}
