import Foundation
import Testing

/// `query …` and `check ready|healthy` as real processes against a real Prometheus with backfilled data.
/// Where promtool 2.42 and 3.14 print the same, the installed `/usr/bin/promtool` is the oracle (same
/// arguments, same stdout, stderr and exit code); where 3.14 differs, the expected text is spelled out.
@Suite(.serialized) struct RemoteQueryProcessTests {
    static let t = "1700000907.5"

    /// Arguments after `query`, `SERVER` standing for the server URL.
    static let sameAsPromtool: [[String]] = [
        ["instant", "SERVER", "http_requests_total", "--time", t],
        ["instant", "-o", "json", "SERVER", "rate(http_requests_total[1m])", "--time", t],
        ["instant", "SERVER", "sum by (job) (rate(http_requests_total[2m]))", "--time", "1700000333.123"],
        ["instant", "SERVER", "scalar(temp)", "--time", "1700000100"],
        ["instant", "-o", "json", "SERVER", "scalar(temp)", "--time", "1700000100"],
        ["instant", "-o", "json", "SERVER", "nonexistent", "--time", t],
        ["instant", "SERVER", "nonexistent", "--time", t],
        ["instant", "SERVER", "temp", "--time", "2023-11-14T22:15:00.250Z"],
        ["instant", "SERVER", "histogram_quantile(0.9, rate(lat_bucket[5m]))", "--time", t],
        ["instant", "SERVER", "foo(", "--time", t],
        ["instant", "SERVER", "up", "--time", "abc"],
        ["range", "SERVER", "temp", "--start", "1700000000", "--end", "1700000100", "--step", "30s"],
        ["range", "-o", "json", "SERVER", "temp", "--start", "1700000000", "--end", "1700000030", "--step", "30s"],
        ["range", "SERVER", "rate(http_requests_total[1m])", "--start", "1700000007", "--end", "1700000307", "--step", "45s"],
        ["range", "SERVER", "temp", "--start", "1700000000", "--end", "1700000600"],
        ["range", "SERVER", "temp", "--start", "1700000100", "--end", "1700000000"],
        ["range", "SERVER", "temp", "--start", "yesterday", "--end", "1700000000"],
        ["series", "SERVER", "--match", "http_requests_total", "--match", "temp", "--start", "1699999000"],
        ["series", "-o", "json", "SERVER", "--match", "temp", "--start", "1699999000"],
        ["series", "SERVER", "--match", "{", "--start", "1699999000"],
        ["labels", "SERVER", "job", "--start", "1699999000"],
        ["labels", "-o", "json", "SERVER", "__name__", "--start", "1699999000"],
        ["labels", "SERVER", "job", "--start", "1699999000", "--match", "nonexistent"],
        ["labels", "-o", "json", "SERVER", "job", "--start", "1699999000", "--end", "1700000000", "--match", "temp"],
    ]

    /// More expressions for the embedded-versus-server comparison (off-grid times, functions, operators).
    static let embeddedOnly: [[String]] = [
        ["instant", "SERVER", "\"abc\"", "--time", "1700000100"],
        ["instant", "SERVER", "sum(rate(http_requests_total[5m])) by (job) / on(job) group_left count by (job) (http_requests_total)", "--time", "1700001111.111"],
        ["instant", "-o", "json", "SERVER", "increase(http_requests_total{job=\"api\"}[90s] offset 1m)", "--time", "1700000999"],
        ["instant", "SERVER", "max_over_time(temp[10m]) - min_over_time(temp[10m])", "--time", "1700001234"],
        ["instant", "SERVER", "topk(2, http_requests_total)", "--time", "1700000500"],
        ["instant", "SERVER", "sort_desc(http_requests_total)", "--time", "1700000500"],
        ["instant", "SERVER", "quantile_over_time(0.9, temp[15m:1m])", "--time", "1700001500"],
        ["instant", "SERVER", "histogram_quantile(0.5, sum by (le) (rate(lat_bucket[2m])))", "--time", "1700000777"],
        ["instant", "SERVER", "label_replace(temp, \"r\", \"$1\", \"room\", \"(.*)\\\\\\\\.*\")", "--time", "1700000100"],
        ["instant", "SERVER", "absent(nothing)", "--time", "1700000100"],
        ["instant", "SERVER", "temp", "--time", "1700009999"],
        ["range", "SERVER", "deriv(temp[3m])", "--start", "1700000123", "--end", "1700000723", "--step", "1m"],
        ["range", "-o", "json", "SERVER", "sum by (job) (irate(http_requests_total[1m]))", "--start", "1700000061", "--end", "1700000421", "--step", "37s"],
        ["range", "SERVER", "time() - timestamp(temp)", "--start", "1700000000", "--end", "1700000300", "--step", "20s"],
        ["range", "SERVER", "temp > 20.5", "--start", "1700000000", "--end", "1700000300", "--step", "15s"],
    ]

    @Test(.needsPrometheus) func queriesPrintWhatPromtoolPrints() throws {
        let prometheus = try PrometheusFixture.start()
        defer { prometheus.stop() }
        let ours = try Processes.ourBinary()
        for args in Self.sameAsPromtool {
            let concrete = ["query"] + args.map { $0 == "SERVER" ? prometheus.url : $0 }
            let expected = try Processes.run(PrometheusFixture.promtoolPath, concrete)
            let actual = try Processes.run(ours, concrete)
            #expect(actual == expected, "\(concrete.joined(separator: " "))")
        }

        // Embedded (`--input` instead of a server) answers exactly as the server does on the same data.
        let input = prometheus.directory + "/input.om"
        // (A range query's parse error is `invalid parameter "query": …` from 3.14's API, not 2.42's, so it is
        // compared with 3.14's text below instead.)
        for args in Self.sameAsPromtool + Self.embeddedOnly where !(args[0] == "range" && args.contains("foo(")) {
            let remote = ["query"] + args.map { $0 == "SERVER" ? prometheus.url : $0 }
            let embedded = ["query"] + args.filter { $0 != "SERVER" } + ["--input", input]
            let fromServer = try Processes.run(ours, remote)
            let fromFile = try Processes.run(ours, embedded)
            #expect(fromFile == fromServer, "embedded: \(args.joined(separator: " "))")
        }

        let badRange = try Processes.run(ours, ["query", "range", "foo(", "--start", "1", "--end", "2", "--input", input])
        #expect(badRange == Processes.Result(status: 1, stdout: "", stderr: "query error: bad_data: invalid parameter \"query\": 1:5: parse error: unclosed left parenthesis\n"))

        // 3.14 decodes string results (2.42's client could not).
        let string = try Processes.run(ours, ["query", "instant", prometheus.url, "\"abc\"", "--time", "1700000100"])
        #expect(string == Processes.Result(status: 0, stdout: "abc\n", stderr: ""))
        let stringJSON = try Processes.run(ours, ["query", "instant", "-o", "json", prometheus.url, "\"a<b\"", "--time", "1700000100"])
        #expect(stringJSON.stdout == "[1700000100,\"a\\u003cb\"]\n")

        // `query analyze` is 3.x only.
        let analyze = try Processes.run(ours, ["query", "analyze", "--server", prometheus.url, "--type", "histogram",
                                               "--match", "lat_bucket", "--time", "1700001800"])
        #expect(analyze == Processes.Result(status: 0, stdout: """
            Bucket stats for each histogram series over time
            ------------------------------------------------
            First the min, avg, and max number of populated buckets, followed by the total
            number of buckets (only if different from the max number of populated buckets
            which is typical for classic but not native histograms).

            - lat_bucket{} (classic): 0/2.975/3

            Aggregated bucket stats
            -----------------------
            Each line shows min/avg/max over the series above.

            Classic histogram series (1 in total):
            - min populated: 0/0.000/0
            - avg populated: 2/2.000/2
            - max populated: 3/3.000/3

            """, stderr: ""))
        let wrongType = try Processes.run(ours, ["query", "analyze", "--server", prometheus.url, "--type", "summary", "--match", "lat_bucket"])
        #expect(wrongType == Processes.Result(status: 1, stdout: "", stderr: "analyze type is summary, must be 'histogram'\n"))

        // `check ready` / `check healthy` (3.x only).
        let ready = try Processes.run(ours, ["check", "ready", "--url", prometheus.url])
        #expect(ready == Processes.Result(status: 0, stdout: "", stderr: "  SUCCESS:  Prometheus Server is Ready.\n\n"))
        let healthy = try Processes.run(ours, ["check", "healthy", "--url", prometheus.url + "/"])
        #expect(healthy == Processes.Result(status: 0, stdout: "", stderr: "  SUCCESS:  Prometheus Server is Healthy.\n\n"))
    }

    @Test func unreachableServerFailsLikePromtool() throws {
        let port = try Processes.freePort()
        let ours = try Processes.ourBinary()
        let args = ["query", "instant", "http://127.0.0.1:\(port)", "up", "--time", "1700000000"]
        let actual = try Processes.run(ours, args)
        #expect(actual.status == 1)
        #expect(actual.stdout == "")
        #expect(actual.stderr == "query error: Post \"http://127.0.0.1:\(port)/api/v1/query\": dial tcp 127.0.0.1:\(port): connect: connection refused\n")
        if let promtool = Processes.installed(PrometheusFixture.promtoolPath) {
            #expect(try Processes.run(promtool, args) == actual)
        }
        let ready = try Processes.run(ours, ["check", "ready", "--url", "http://127.0.0.1:\(port)"])
        #expect(ready == Processes.Result(status: 1, stdout: "", stderr: "Get \"http://127.0.0.1:\(port)/-/ready\": dial tcp 127.0.0.1:\(port): connect: connection refused\n"))
    }

    @Test func usageErrorsMatchPromtool() throws {
        let ours = try Processes.ourBinary()
        let args = ["query", "instant", "127.0.0.1:9", "up"]
        let actual = try Processes.run(ours, args)
        #expect(actual == Processes.Result(status: 1, stdout: "", stderr: "promtool: error: invalid URL: parse \"127.0.0.1:9\": first path segment in URL cannot contain colon, try --help\n"))
        if let promtool = Processes.installed(PrometheusFixture.promtoolPath) {
            #expect(try Processes.run(promtool, args) == actual)
        }
        // Flags 2.42 does not have: 3.14's kingpin texts.
        #expect(try Processes.run(ours, ["query", "instant", "http://127.0.0.1:9", "up", "--header", "novalue"])
            == Processes.Result(status: 1, stdout: "", stderr: "promtool: error: expected KEY=VALUE got 'novalue', try --help\n"))
        #expect(try Processes.run(ours, ["query", "instant", "http://127.0.0.1:9", "up", "--http.config.file", "/nonexistent/http.yml"])
            == Processes.Result(status: 1, stdout: "", stderr: "promtool: error: path '/nonexistent/http.yml' does not exist, try --help\n"))
    }
}
