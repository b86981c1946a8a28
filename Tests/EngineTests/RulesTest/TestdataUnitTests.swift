import Foundation
import Testing
@testable import Engine

/// The README's example: `test rules testdata/tests/sse_alerts_test.yml` passes, exercises every alert of
/// testdata/alerts, and each alert has a case that fires and one that must not.
@Suite struct TestdataUnitTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    @Test func seedAlertTestsPassAndCoverEveryRule() throws {
        var options = RulesTestOptions()
        options.parserOptions.durationExpressions = true
        let result = try RulesTestRunner(options: options).run(path: Self.packageRoot + "/testdata/tests/sse_alerts_test.yml")
        #expect(!result.failed, "\(result.failures.map(\.message))")
        #expect(result.warnings.isEmpty)
        let coverage = RulesCoverage(results: [result], parserOptions: options.parserOptions)
        #expect(coverage.total == 3)
        #expect(coverage.untested.isEmpty)
        for alert in ["HighErrorRate", "HighP95Latency", "LowCacheHitRate"] {
            #expect(result.groups.filter { $0.name.hasPrefix(alert + " fires") }.count == 1)
            #expect(result.groups.filter { $0.name.hasPrefix(alert + " stays quiet") }.count == 1)
        }
    }
}
