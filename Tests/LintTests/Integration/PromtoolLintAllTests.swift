import Foundation
import Testing
@testable import Lint

/// `check config|rules --lint=all` add this linter's findings (loader problems excluded).
@Suite struct PromtoolLintAllTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    @Test func exampleSetupHasOnlyInfos() {
        let r = PromtoolLintAll.run(paths: ["testdata/prometheus.yml"], workingDirectory: Self.packageRoot)
        #expect(r.lines.count == 3)  // the three jobs without scrape limits
        #expect(r.lines.allSatisfy { $0.contains(": info: ") })
        #expect(!r.failed)
    }

    @Test func missingAnnotationIsAFailure() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lint-all-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("rules.yml")
        try "groups:\n  - name: g\n    rules:\n      - alert: Down\n        expr: up == 0\n".write(to: file, atomically: true, encoding: .utf8)
        let r = PromtoolLintAll.run(paths: [file.path], workingDirectory: dir.path)
        #expect(r.failed)
        #expect(r.lines.contains { $0.hasSuffix("[labels/required-annotations]") })
        #expect(!r.lines.contains { $0.contains("[input/") })
    }
}
