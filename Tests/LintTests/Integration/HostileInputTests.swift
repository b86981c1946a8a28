import Foundation
import Testing
@testable import Lint

/// Hostile and broken inputs give diagnostics, never a crash.
@Suite struct HostileInputTests {
    @Test func deeplyNestedAndHugeInputs() throws {
        let deepYAML = String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
        let deepExpr = String(repeating: "(", count: 3_000) + "up" + String(repeating: ")", count: 3_000)
        let longSum = (0..<2_000).map { "x\($0)_total" }.joined(separator: " + ")
        let ds = try lintFiles([
            "deep.yml": "groups: " + deepYAML + "\n",
            "expr.yml": ruleFile(record("a:b:c", expr: "'\(deepExpr)'")),
            "long.yml": ruleFile(alert("A", expr: "'\(longSum) > 1'")),
            "bin.yml": "groups:\n  - name: \u{0}\u{1}\n",
            "alias.yml": "a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\ngroups: [*c]\n",
        ])
        #expect(ds.contains { $0.file == "deep.yml" && $0.check.category == "input" })
        #expect(ds.contains { $0.file == "expr.yml" && $0.check == InputErrors.rules })
        #expect(ds.allSatisfy { $0.range.start.line >= 1 })
    }

    @Test func mutatedRuleFilesNeverCrash() throws {
        let base = ruleFile(alert("HighErrors", expr: "'sum by (job) (rate(errors_total{job=~\"a.*\"}[5m])) / sum by (job) (rate(requests_total[5m])) > 0.1'",
                                  extra: "for: 5m")
                            + record("job:x:rate5m", expr: "histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))"))
        let bytes = Array(base.utf8)
        var rng = SystemRandomNumberGenerator()
        var files: [String: String] = [:]
        let alphabet = Array("{}[]()\"':-#|>&*!%@\n \t=~,.$0a".utf8)
        for i in 0..<60 {
            var b = bytes
            for _ in 0..<(1 + i % 5) {
                let pos = Int.random(in: 0..<b.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: b[pos] = alphabet.randomElement(using: &rng) ?? 0x20
                case 1: b.remove(at: pos)
                default: b.insert(alphabet.randomElement(using: &rng) ?? 0x20, at: pos)
                }
            }
            files["m\(i).yml"] = String(decoding: b, as: UTF8.self)
        }
        let f = try LintFixture(files)
        defer { f.remove() }
        let r = f.lint(["."])
        for d in r.diagnostics {
            #expect(d.range.start.line >= 1 && d.range.start.column >= 1)
        }
        for format in OutputFormat.allCases { _ = format.render(r.diagnostics) }
    }

    /// Unit-test files and metric metadata, broken deterministically byte by byte: findings, never a crash.
    @Test func mutatedUnitTestFilesAndMetadataNeverCrash() throws {
        let test = """
            rule_files: [r.yml, "*.yml", "../../../../x"]
            evaluation_interval: 30s
            tests:
              - interval: 15s
                input_series:
                  - series: 'up{job="a"}'
                    values: '1+1x99999999999999 _x3 stale {{schema:0 count:1}}+{{count:2}}x2 -1e-3-2x2'
                alert_rule_test:
                  - {eval_time: 9999999h, alertname: Down, exp_alerts: [{exp_labels: {a: b}}]}
                promql_expr_test:
                  - {expr: 'absent(up) or rate(up[1y] offset 5y)', eval_time: 1m, exp_samples: [{value: 1}]}

            """
        let meta = "{\"data\": {\"up\": [{\"type\": \"gauge\"}], \"x\": [1, {\"type\": [2]}]}}\n"
        var files = ["r.yml": ruleFile(alert("Down", expr: "'rate(up[5m]) > 0'")), "meta.json": meta,
                     ".promtool-swift.yml": "metric_metadata: [meta.json, meta.json]\n"]
        let alphabet = Array("{}[]()\"':-#|>&*!%@\n \t=~,.$0ax_+".utf8)
        for (n, base) in [Array(test.utf8), Array(meta.utf8)].enumerated() {
            for i in 0..<40 {
                var b = base
                let pos = (i &* 7919 &+ n &* 31) % b.count
                switch i % 3 {
                case 0: b[pos] = alphabet[i % alphabet.count]
                case 1: b.remove(at: pos)
                default: b.insert(alphabet[(i &* 3) % alphabet.count], at: pos)
                }
                files["t\(n)_\(i).yml"] = String(decoding: b, as: UTF8.self)
            }
        }
        let f = try LintFixture(files)
        defer { f.remove() }
        let r = f.lint(["."])
        #expect(r.diagnostics.allSatisfy { $0.range.start.line >= 1 && $0.range.start.column >= 1 })
        for format in OutputFormat.allCases { _ = format.render(r.diagnostics) }
    }
}
