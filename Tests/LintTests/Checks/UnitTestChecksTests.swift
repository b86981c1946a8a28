import ConfigModel
import Foundation
import Testing
@testable import Lint

/// promtool unit-test files: detected by content, checked for what can be wrong in them, and their rule
/// files linted on their own (not as if the test file were a prometheus.yml).
@Suite struct UnitTestChecksTests {
    /// A rule file whose alert reads a 1m window and an external label: both would be reported if the
    /// test file were taken for a prometheus.yml (rate window vs its default scrape interval, external
    /// label missing from it).
    let rules = """
        groups:
          - name: latency
            rules:
              - alert: HighLatency
                expr: rate(request_seconds_sum[1m]) > 1
                labels: {severity: page}
                annotations:
                  summary: "slow in {{ $externalLabels.cluster }}"

        """

    func testFile(ruleFiles: String = "[alerts.yml]", alertname: String = "HighLatency", evalTime: String = "5m",
                  values: String = "0+120x10", expectsAlert: Bool = true) -> String {
        let exp = expectsAlert ? "\n        exp_alerts:\n          - exp_labels: {severity: page}\n" : "\n        exp_alerts: []\n"
        return """
            rule_files: \(ruleFiles)
            evaluation_interval: 1m
            tests:
              - interval: 1m
                input_series:
                  - series: 'request_seconds_sum{job="api"}'
                    values: '\(values)'
                alert_rule_test:
                  - eval_time: \(evalTime)
                    alertname: \(alertname)
            """ + exp
    }

    @Test func detectedByContent() throws {
        func kind(_ text: String) throws -> InputKind { InputDetector.kind(of: try YAMLComposer.compose(text)) }
        #expect(try kind(testFile()) == .unitTest)
        #expect(try kind("rule_files: [a.yml]\nevaluation_interval: 30s\n") == .unitTest)
        // rule_files alone, or with configuration sections, is a prometheus.yml.
        #expect(try kind("rule_files: [a.yml]\n") == .prometheusConfig)
        #expect(try kind("global: {}\nrule_files: [a.yml]\ntests: []\n") == .prometheusConfig)
    }

    @Test func testFileIsNotAConfigAndItsRulesAreLintedOnTheirOwn() throws {
        let ds = try lintFiles(["alerts.yml": rules, "alerts_test.yml": testFile()])
        #expect(ds.filter { $0.check.category == "input" }.isEmpty, "\(ds)")
        #expect(only("interval/rate-window", ds).isEmpty)
        #expect(only("labels/external-label-missing", ds).isEmpty)
        #expect(ds.filter { $0.check.category == "unittest" }.isEmpty)
    }

    @Test func missingRuleFile() throws {
        let ds = only("unittest/rule-file-missing", try lintFiles(["t_test.yml": testFile(ruleFiles: "[nope.yml]")]))
        #expect(ds.count == 1)
        #expect(ds.first?.severity == .error)
        #expect(ds.first?.range.start == SourcePosition(line: 1, column: 14))
        #expect(ds.first?.message.contains("\"nope.yml\" matches no file") == true)
        // Paths are relative to the test file's directory; globs count when they match something.
        let nested = try lintFiles(["rules/alerts.yml": rules, "tests/t_test.yml": testFile(ruleFiles: "[../rules/*.yml]")])
        #expect(only("unittest/rule-file-missing", nested).isEmpty)
        #expect(only("unittest/unknown-alert", nested).isEmpty)
    }

    @Test func unknownAlertName() throws {
        let ds = only("unittest/unknown-alert", try lintFiles([
            "alerts.yml": rules, "t_test.yml": testFile(alertname: "highlatency", expectsAlert: false),
        ]))
        #expect(ds.count == 1)
        #expect(ds.first?.message.contains("did you mean \"HighLatency\"") == true)
        #expect(ds.first?.message.contains("passes without testing anything") == true)
        #expect(only("unittest/unknown-alert", try lintFiles(["alerts.yml": rules, "t_test.yml": testFile()])).isEmpty)
        // A rule file that cannot be read leaves the names unknown: nothing is claimed.
        let broken = try lintFiles(["alerts.yml": "groups: [\n", "t_test.yml": testFile(alertname: "Other")])
        #expect(only("unittest/unknown-alert", broken).isEmpty)
    }

    @Test func evalTimeAfterTheInputEnds() throws {
        // 3 samples at 0, 1m, 2m; rate(…[1m]) plus the 5m lookback sees them until 8m.
        let late = only("unittest/eval-after-input", try lintFiles([
            "alerts.yml": rules, "t_test.yml": testFile(evalTime: "30m", values: "0 60 120"),
        ]))
        #expect(late.count == 1)
        #expect(late.first?.message.contains("last sample at 2m") == true)
        #expect(late.first?.message.contains("until 8m") == true)
        for (eval, values, expects) in [("5m", "0 60 120", true), ("30m", "0+60x40", true), ("30m", "0 60 120", false)] {
            let ds = only("unittest/eval-after-input", try lintFiles([
                "alerts.yml": rules, "t_test.yml": testFile(evalTime: eval, values: values, expectsAlert: expects),
            ]))
            #expect(ds.isEmpty, "\(eval) \(values) \(expects)")
        }
        // absent() returns a result exactly when the data is gone.
        let absentRules = rules.replacingOccurrences(of: "rate(request_seconds_sum[1m]) > 1", with: "absent(request_seconds_sum)")
        #expect(only("unittest/eval-after-input", try lintFiles([
            "alerts.yml": absentRules, "t_test.yml": testFile(evalTime: "30m", values: "0 60 120"),
        ])).isEmpty)
    }

    @Test func recordingRulesAreFollowedOnceAndCyclesEnd() throws {
        // Each level reads the one below twice: followed naively that is 2^40 walks; a rule reading itself ends.
        var rules = "groups:\n  - name: chain\n    rules:\n      - record: level0\n        expr: level0 + request_seconds_sum\n"
        for i in 1...40 { rules += "      - record: level\(i)\n        expr: level\(i - 1) + level\(i - 1)\n" }
        rules += "      - alert: Deep\n        expr: rate(level40[1m]) > 1\n"
        let ds = try lintFiles(["alerts.yml": rules, "t_test.yml": testFile(alertname: "Deep", evalTime: "30m", values: "0 60 120")])
        #expect(only("unittest/eval-after-input", ds).isEmpty)  // the cycle makes the horizon unknown: no claim
    }

    @Test(arguments: [
        ("1 2 3", Int64(2)), ("0+1x10", 10), ("1+1x10 _x2 stale", 10), ("_ _ 3", 2), ("1x3 _", 3),
        ("-1e-3-2x2", 2), ("1e+3 2", 1), ("{{schema:0 sum:1 count:1}}x3", 3), ("{{count:1}}+{{count:2}}x4 _", 4),
    ])
    func lastSampleOfASeries(_ values: String, _ last: Int64) {
        #expect(InputSeriesView.lastSampleIndex(values) == last)
    }

    @Test(arguments: ["", "_ _", "stale", "1 2 )", "1x99999999999999999999", "{{count:1"])
    func seriesWithoutAReadableLastSample(_ values: String) {
        #expect(InputSeriesView.lastSampleIndex(values) == nil)
    }
}
