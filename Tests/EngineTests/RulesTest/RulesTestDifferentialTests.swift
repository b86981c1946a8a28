import Foundation
import Testing
import TestSupport
@testable import Engine

private let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus").path

/// Our `test rules` output against `/usr/bin/promtool test rules` (Prometheus 2.42) on inputs where 2.x and
/// 3.x agree. Runs when promtool is installed; with `CI=true` a missing promtool is a failure, not a skip.
///
/// 3.x-only inputs are left out: `start_timestamp` and native-histogram `exp_samples` (fields 2.42 rejects),
/// `bad-input-series.yml` (the series parser's messages were reworded in 3.x), and the files whose windows
/// or lookback touch a sample exactly at their left edge (3.x ranges are left-open, see
/// RulesTestWildCorpusTests.failingOn3x and the notes of UNITTEST_EXPECTED.tsv). 2.42 also prints
/// `Unit Testing:  FILE` first, which 3.x dropped; that line is removed before comparing, as are our
/// `  at FILE:L:C` lines.
@Suite(.needsCorpus) struct RulesTestDifferentialTests {
    static let promtool = "/usr/bin/promtool"

    /// Not compared: `no-test-group-interval.yml` (2.42 fails it; 3.x passes, corpus README). For
    /// `bad-promql.yml` and `bad-rules-error-test.yml` only the exit code is compared: promtool lists the two
    /// duplicate series of their many-to-many error in an order that changes from run to run.
    static let corpusFiles = ["failing.yml", "bad-promql.yml", "bad-rules-error-test.yml", "bad-rules-syntax-test.yml",
                              "long-period.yml", "rules_run.yml"]
    static let exitCodeOnly: Set<String> = ["bad-promql.yml", "bad-rules-error-test.yml"]

    /// Wild files where 2.42's verdict is also 3.x's (see UNITTEST_EXPECTED.tsv's notes).
    static let wildFiles: [String] = {
        let differ = Set<String>([
            "unittest/govuk-helm-charts/integration/database_backups_and_syncs_integration_only_alerts_tests.yaml",
            "unittest/govuk-helm-charts/production/database_backups_and_syncs_production_only_alerts_tests.yaml",
            "unittest/govuk-helm-charts/staging/database_backups_and_syncs_staging_only_alerts_tests.yaml",
            "unittest/govuk-helm-charts/publishing_api_tests.yaml", "unittest/govuk-helm-charts/search_api_v2_tests.yaml",
            "unittest/kubernetes-mixin/tests/absent_alert-test.yaml", "unittest/kubernetes-mixin/tests/tests.yaml",
            // Takes ~20 s in promtool; its verdict is covered by the corpus test.
            "unittest/ceph-mixins/test_alerts.yaml",
        ]).union(RulesTestWildCorpusTests.failingOn3x.keys)
        return RulesTestWildCorpusTests.files.filter { !differ.contains($0) }
    }()

    /// Runs promtool in `dir` on `file`; stdout and stderr lines and the exit code.
    private static func runPromtool(dir: String, file: String) throws -> (out: [String], err: [String], code: Int32) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: promtool)
        p.arguments = ["test", "rules", file]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        func lines(_ d: Data) -> [String] {
            String(decoding: d, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLast()
        }
        return (lines(o).filter { !$0.hasPrefix("Unit Testing: ") }, lines(e), p.terminationStatus)
    }

    private func compare(dir: String, file: String) throws {
        let theirs = try Self.runPromtool(dir: dir, file: file)
        var options = RulesTestOptions()
        options.parserOptions.durationExpressions = true
        let result = try RulesTestRunner(options: options).run(path: dir + "/" + file)
        let prefix = dir + "/"
        let ours = result.output.filter { !$0.text.hasPrefix("  at ") }.flatMap { line in
            line.text.replacingOccurrences(of: prefix, with: "").split(separator: "\n", omittingEmptySubsequences: false)
                .map { RuleFileCheckResult.Line(line.stream, String($0)) }
        }
        #expect((theirs.code != 0) == result.failed)
        if Self.exitCodeOnly.contains(file) { return }
        #expect(ours.filter { $0.stream == .stdout }.map(\.text) == theirs.out)
        #expect(ours.filter { $0.stream == .stderr }.map(\.text) == theirs.err)
    }

    @Test(.needsExecutables(promtool), arguments: corpusFiles)
    func corpusFixture(_ file: String) throws {
        try compare(dir: corpus + "/promtool", file: file)
    }

    @Test(.needsExecutables(promtool), arguments: wildFiles)
    func wildFile(_ file: String) throws {
        let full = corpus + "/wild/" + file
        let url = URL(fileURLWithPath: full)
        try compare(dir: url.deletingLastPathComponent().path, file: url.lastPathComponent)
    }
}
