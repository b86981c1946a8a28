import Foundation
import Testing
@testable import Lint
import TestSupport

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
        // A fresh seed each run widens coverage; it is printed (and named in every failure) so a failing
        // run reproduces with PROMTOOL_TEST_SEED=<seed>.
        let seed = ProcessInfo.processInfo.environment["PROMTOOL_TEST_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)
        print("HostileInputTests.mutatedRuleFilesNeverCrash seed: \(seed) (rerun with PROMTOOL_TEST_SEED=\(seed))")
        var rng = TestRNG(seed: seed)
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
            #expect(d.range.start.line >= 1 && d.range.start.column >= 1, "seed \(seed): \(d.file)")
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

    /// Paths named inside linted files are opened only when they are regular files of at most 64 MiB:
    /// `/dev/zero` (found while writing `FuzzLint`: it was read until memory ran out), a FIFO (which blocked)
    /// and an oversized file each give a finding and the run goes on.
    @Test func devicesPipesAndHugeFilesNamedByFilesAreNotRead() throws {
        let f = try LintFixture([
            "prometheus.yml": "rule_files: [/dev/zero, fifo.yml, big.yml, r.yml]\nscrape_configs: []\n",
            "tests.yml": "rule_files: [/dev/zero]\ntests: [{input_series: [{series: up, values: '1x3'}]}]\n",
            "r.yml": ruleFile(alert("Down", expr: "'rate(up[5m]) > 0'")),
            ".promtool-swift.yml": "metric_metadata: [/dev/zero, fifo.yml]\n",
            "walked/ok.yml": ruleFile(alert("Up", expr: "up > 0")),
            "big.yml": "groups: []\n",
        ])
        defer { f.remove() }
        #expect(mkfifo(f.root + "/fifo.yml", 0o644) == 0)
        #expect(mkfifo(f.root + "/walked/pipe.yml", 0o644) == 0)
        #expect(truncate(f.root + "/big.yml", off_t(InputFile.maximumSize + 1)) == 0)
        try FileManager.default.createSymbolicLink(atPath: f.root + "/walked/.gitignore", withDestinationPath: "/dev/zero")

        let result = f.lint(["prometheus.yml", "tests.yml", "walked"])
        let ds = result.diagnostics
        let reads = only(InputErrors.read, ds).map { "\($0.file): \($0.message)" }
        #expect(reads.contains("/dev/zero: /dev/zero: cannot read file (not a regular file)"))
        #expect(reads.contains("fifo.yml: fifo.yml: cannot read file (not a regular file)"))
        #expect(reads.contains("walked/pipe.yml: walked/pipe.yml: cannot read file (not a regular file)"))
        #expect(reads.contains("big.yml: big.yml: cannot read file (larger than 64 MiB)"))
        let metadata = only(InputErrors.lintConfig, ds).map(\.message)
        #expect(metadata.contains("metric_metadata: cannot read /dev/zero (not a regular file)"))
        #expect(metadata.contains("metric_metadata: cannot read fifo.yml (not a regular file)"))
        // The rest is linted as usual.
        #expect(result.filesChecked.contains("walked/ok.yml"))
        #expect(ds.contains { $0.file == "r.yml" })
    }

    /// What the user names on the command line may be a device or a pipe (`lint <(generate)`); it is read,
    /// within the same size bound.
    @Test func commandLinePathsMayBeDevices() {
        let r = Linter().run(LintOptions(paths: ["/dev/null"], workingDirectory: "/"))
        #expect(r.diagnostics.isEmpty)
        #expect(r.filesChecked == ["/dev/null"])
        #expect(InputFile.load("/dev/zero", namedByUser: true) == .failure(.tooLarge))
        #expect(InputFile.load("/dev/null") == .failure(.notRegularFile))
        #expect(InputFile.load("/nonexistent/x.yml") == .failure(.unreadable("no such file or directory")))
    }
}
