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
}
