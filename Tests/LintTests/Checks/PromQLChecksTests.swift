import Testing
@testable import Lint

@Suite struct RateWindowTests {
    let config = """
        global:
          scrape_interval: 15s
          evaluation_interval: 15s
        rule_files: [r.yml]
        scrape_configs:
          - job_name: fast
          - job_name: slow
            scrape_interval: 1m
            scrape_timeout: 10s

        """

    func lint(_ expr: String, withConfig: Bool = true, lintConfig: String? = nil) throws -> [Diagnostic] {
        var files = ["r.yml": ruleFile(record("job:x:rate", expr: expr))]
        if withConfig { files["prometheus.yml"] = config }
        if let l = lintConfig { files[".promtool-swift.yml"] = l }
        return only("interval/rate-window", try lintFiles(files))
    }

    @Test func windowBelowTwiceTheJobIntervalIsAnError() throws {
        let ds = try lint("sum(rate(http_requests_total{job=\"slow\"}[1m]))")
        #expect(ds.count == 1)
        #expect(ds.first?.severity == .error)
        #expect(ds.first?.message.contains("job \"slow\"") == true)
        #expect(ds.first?.range.start == SourcePosition(line: 5, column: 24))
        #expect(ds.first?.range.end == SourcePosition(line: 5, column: 59))
    }

    @Test func windowBelowFourTimesIsAWarning() throws {
        let ds = try lint("sum(increase(http_requests_total{job=~\"sl.*\"}[3m]))")
        #expect(ds.count == 1)
        #expect(ds.first?.severity == .warning)
    }

    @Test func globalIntervalWithoutJobMatcherAndLongWindowsAreFine() throws {
        #expect(try lint("sum(rate(http_requests_total[1m]))").isEmpty)  // 4 × 15s
        #expect(try lint("sum(rate(http_requests_total{job=\"fast\"}[1m]))").isEmpty)
        #expect(try lint("sum(rate(http_requests_total{job=\"slow\"}[5m]))").isEmpty)
        #expect(try lint("avg_over_time(temperature{job=\"slow\"}[10m])").isEmpty)
        #expect(try lint("sum(rate(http_requests_total[30s]))").count == 1)  // 2 × 15s: warning
    }

    @Test func withoutConfigOnlyAnAssumedIntervalIsUsed() throws {
        #expect(try lint("sum(rate(http_requests_total[2m]))", withConfig: false).isEmpty)
        let ds = try lint("sum(rate(http_requests_total[2m]))", withConfig: false, lintConfig: "scrape_interval: 1m\n")
        #expect(ds.count == 1)
        #expect(ds.first?.message.contains("scrape_interval 1m assumed in the lint configuration") == true)
        #expect(try lint("sum(rate(http_requests_total[2m]))", withConfig: false, lintConfig: "scrape_interval: 30s\n").isEmpty)
    }
}

@Suite struct PromQLChecksTests {
    @Test func subqueryStep() throws {
        let fires = try lintRules(record("job:x:max", expr: "max_over_time(sum(rate(x_total[5m]))[1h:10s])"), "interval/subquery-step")
        #expect(fires.count == 1)
        #expect(fires.first?.message.contains("360 points") == true)
        #expect(try lintRules(record("job:x:max", expr: "max_over_time(sum(rate(x_total[5m]))[1h:])"), "interval/subquery-step").isEmpty)
        #expect(try lintRules(record("job:x:max", expr: "max_over_time(sum(rate(x_total[5m]))[1h:5m])"), "interval/subquery-step").isEmpty)
    }

    @Test func templateReferencingDroppedLabel() throws {
        let rules = """
                  - alert: HighErrors
                    expr: sum by (job) (rate(errors_total[5m])) > 1
                    labels: {severity: page}
                    annotations:
                      summary: "{{ $labels.instance }} of {{ $labels.job }} fails"

            """
        let ds = try lintRules(rules, "labels/template-dropped")
        #expect(ds.count == 1)
        #expect(ds.first?.message.contains("$labels.instance") == true)
        #expect(ds.first?.range.start == SourcePosition(line: 8, column: 24))
        let ok = """
                  - alert: HighErrors
                    expr: sum without (path) (rate(errors_total[5m])) > 1
                    labels: {severity: page}
                    annotations:
                      summary: "{{ $labels.instance }} of {{ $labels.job }} fails"

            """
        #expect(try lintRules(ok, "labels/template-dropped").isEmpty)
        let onMatching = alert("Ratio", expr: "(a_total / on(job) b_total) > 1",
                               extra: "annotations: {}").replacingOccurrences(of: "annotations: {summary: something is wrong}\n", with: "annotations: {summary: \"{{ $labels.instance }}\"}\n")
        #expect(try lintRules(onMatching, "labels/template-dropped").count == 1)
    }

    @Test func regexMatchAllAndNoName() throws {
        let fires = try lintRules(record("job:x:sum", expr: "sum(x_total{path=~\".*\"}) + sum({job=\"a\"})"), "cardinality/regex-match-all")
        #expect(fires.count == 1)
        #expect(fires.first?.severity == .warning)
        let plus = try lintRules(record("job:x:sum", expr: "sum(x_total{path=~\".+\"})"), "cardinality/regex-match-all")
        #expect(plus.first?.severity == .info)
        #expect(try lintRules(record("job:x:sum", expr: "sum(x_total{path=~\"/api/.*\"})"), "cardinality/regex-match-all").isEmpty)

        let noName = try lintRules(record("job:x:sum", expr: "sum(x_total) + count({job=\"a\"})"), "cardinality/no-metric-name")
        #expect(noName.count == 1)
        #expect(noName.first?.message.contains("up{job=\"a\"}") == true)
        #expect(try lintRules(record("job:x:sum", expr: "count({__name__=~\"node_.*\", job=\"a\"})"), "cardinality/no-metric-name").isEmpty)
    }

    @Test func highCardinalityBy() throws {
        let fires = try lintRules(record("user:req:rate5m", expr: "sum by (user_id) (rate(req_total[5m]))"), "cardinality/high-cardinality-by")
        #expect(fires.count == 1)
        #expect(try lintRules(record("job:req:rate5m", expr: "sum by (job) (rate(req_total[5m]))"), "cardinality/high-cardinality-by").isEmpty)
        #expect(try lintRules(record("job:req:rate5m", expr: "sum without (user_id) (rate(req_total[5m]))"), "cardinality/high-cardinality-by").isEmpty)
        // The list comes from the lint configuration.
        let custom = try lintRules(record("job:req:rate5m", expr: "sum by (pod) (rate(req_total[5m]))"), "cardinality/high-cardinality-by",
                              extra: [".promtool-swift.yml": "high_cardinality_labels: [pod]\n"])
        #expect(custom.count == 1)
    }

    @Test func recordingWithoutAggregation() throws {
        let fires = try lintRules(record("instance:x:copy", expr: "x_total * 2"), "cardinality/recording-no-aggregation")
        #expect(fires.count == 1)
        #expect(fires.first?.severity == .info)
        #expect(try lintRules(record("job:x:sum", expr: "sum without (instance) (x_total)"), "cardinality/recording-no-aggregation").isEmpty)
        #expect(try lintRules(record("job:x:absent", expr: "absent(up{job=\"a\"})"), "cardinality/recording-no-aggregation").isEmpty)
    }

    @Test func alertWithoutCondition() throws {
        let fires = try lintRules(alert("Errors", expr: "rate(errors_total[5m])"), "promql/alert-no-condition")
        #expect(fires.count == 1)
        let bool = try lintRules(alert("Errors", expr: "rate(errors_total[5m]) > bool 1"), "promql/alert-no-condition")
        #expect(bool.first?.message.contains("bool") == true)
        let orOneSide = try lintRules(alert("Errors", expr: "(rate(errors_total[5m]) > 1) or rate(x_total[5m])"), "promql/alert-no-condition")
        #expect(orOneSide.count == 1)
        for ok in ["rate(errors_total[5m]) > 1", "absent(up{job=\"a\"})", "sum(rate(e_total[5m])) / sum(rate(r_total[5m])) > 0.1",
                   "up unless on(job) (x_total == 1)", "count(up == 0) by (job)"] {
            #expect(try lintRules(alert("A", expr: "'\(ok)'"), "promql/alert-no-condition").isEmpty, "\(ok)")
        }
        // A watchdog is always firing on purpose; recording rules need no condition.
        #expect(try lintRules(alert("Watchdog", expr: "vector(1)"), "promql/alert-no-condition").isEmpty)
        #expect(try lintRules(record("job:e:rate5m", expr: "rate(errors_total[5m])"), "promql/alert-no-condition").isEmpty)
    }

    @Test func rateOnGauge() throws {
        let fires = try lintRules(record("job:mem:rate5m", expr: "sum(rate(node_memory_free_bytes[5m]))"), "promql/rate-on-gauge")
        #expect(fires.count == 1)
        #expect(fires.first?.message.contains("node_memory_free_bytes") == true)
        for ok in ["rate(http_requests_total[5m])", "increase(x_bucket[5m])", "rate(x_count[5m])", "rate(job:x:sum[5m])",
                   "deriv(node_memory_free_bytes[5m])"] {
            #expect(try lintRules(record("job:a:b", expr: "sum(\(ok))"), "promql/rate-on-gauge").isEmpty, "\(ok)")
        }
    }

    @Test func deltaOnCounter() throws {
        let fires = try lintRules(record("job:x:delta5m", expr: "sum(delta(http_requests_total[5m]))"), "promql/delta-on-counter")
        #expect(fires.count == 1)
        #expect(fires.first?.message.contains("use increase()") == true)
        for ok in ["delta(temperature_celsius[5m])", "deriv(job:x_total:sum[5m])", "increase(http_requests_total[5m])"] {
            #expect(try lintRules(record("job:a:b", expr: "sum(\(ok))"), "promql/delta-on-counter").isEmpty, "\(ok)")
        }
    }

    @Test func histogramQuantileLostLe() throws {
        let fires = try lintRules(record("job:lat:p90", expr: "histogram_quantile(0.9, sum by (job) (rate(lat_seconds_bucket[5m])))"),
                             "promql/histogram-quantile-le")
        #expect(fires.count == 1)
        #expect(fires.first?.severity == .error)
        for ok in ["histogram_quantile(0.9, sum by (job, le) (rate(lat_seconds_bucket[5m])))",
                   "histogram_quantile(0.9, sum without (instance) (rate(lat_seconds_bucket[5m])))",
                   "histogram_quantile(0.9, sum by (job) (rate(lat_seconds[5m])))"] {
            #expect(try lintRules(record("job:lat:p90", expr: ok), "promql/histogram-quantile-le").isEmpty, "\(ok)")
        }
    }

    @Test func divisionGuard() throws {
        let on = [".promtool-swift.yml": "enable: [promql/division-guard]\n"]
        let ratio = alert("Ratio", expr: "'sum(rate(e_total[5m])) / sum(rate(r_total[5m])) > 0.1'")
        let fires = try lintRules(ratio, "promql/division-guard", extra: on)
        #expect(fires.count == 1)
        #expect(fires.first?.severity == .info)
        // Off by default: a NaN ratio usually just means "no alert".
        #expect(try lintRules(ratio, "promql/division-guard").isEmpty)
        for ok in ["sum(rate(e_total[5m])) / (sum(rate(r_total[5m])) > 0)",
                   "sum(rate(e_total[5m])) / clamp_min(sum(rate(r_total[5m])), 1) > 0.1",
                   "sum(rate(e_total[5m])) / 60 > 1",
                   "sum(rate(e_total[5m])) / sum(rate(r_total[5m])) > 0.1 and sum(rate(r_total[5m])) > 0",
                   "(sum by (job) (rate(e_total[5m])) / sum by (job) (rate(r_total[5m])) > 0.1) and on(job) sum by (job) (rate(r_total[5m])) >= 1"] {
            #expect(try lintRules(alert("Ratio", expr: "'\(ok)'"), "promql/division-guard", extra: on).isEmpty, "\(ok)")
        }
    }

    @Test func absentWithRegex() throws {
        let fires = try lintRules(alert("Gone", expr: "'absent(up{job=~\"a|b\"})'"), "promql/absent-regex")
        #expect(fires.count == 1)
        #expect(try lintRules(alert("Gone", expr: "'absent(up{job=\"a\"})'"), "promql/absent-regex").isEmpty)
    }

    @Test func utf8NamesInExpressionsUnder2x() throws {
        let files = ["r.yml": ruleFile(record("job:x:sum", expr: "'sum by (\"service.name\") ({\"http.requests\", job=\"a\"})'"))]
        let v2 = only("labels/utf8-name", try lintFiles(files, version: .v2))
        #expect(v2.count == 2)
        #expect(only("labels/utf8-name", try lintFiles(files, version: .v3)).isEmpty)
    }
}

@Suite struct ScrapeConfigFilesTests {
    @Test func jobsFromScrapeConfigFilesResolveRateWindows() throws {
        let ds = try lintFiles([
            "prometheus.yml": "global: {scrape_interval: 15s}\nrule_files: [r.yml]\nscrape_config_files: [jobs/*.yml]\n",
            "jobs/batch.yml": "scrape_configs:\n  - job_name: batch\n    scrape_interval: 2m\n",
            "r.yml": ruleFile(record("job:x:rate", expr: "sum(rate(x_total{job=\"batch\"}[3m]))")),
        ], paths: ["prometheus.yml"])
        let w = only("interval/rate-window", ds)
        #expect(w.count == 1)
        #expect(w.first?.severity == .error)
        #expect(w.first?.message.contains("job \"batch\"") == true)
    }

    @Test func errorsInScrapeConfigFilesArePositionedInThatFile() throws {
        let ds = try lintFiles([
            "prometheus.yml": "scrape_config_files: [jobs/*.yml]\n",
            "jobs/bad.yml": "scrape_configs:\n  - job_name: x\n    scrape_interval: 1m\n    scrape_timeout: 2m\n",
        ], paths: ["prometheus.yml"])
        let e = only(InputErrors.config, ds)
        #expect(e.count == 1, "\(ds)")
        #expect(e.first?.message.contains("scrape timeout greater than scrape interval") == true)
    }
}
