import Foundation
import Testing
import TestSupport
@testable import Lint

/// Upstream fixtures: bad rule files are input errors (exit 1), good ones are not, and nothing crashes.
@Suite(.needsCorpus) struct CorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/corpus").path

    static func files(_ dir: String) -> [String] {
        let path = corpus + "/" + dir
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted().map { dir + "/" + $0 }
    }

    static func lint(_ rel: String, version: PrometheusVersion? = nil) -> LintResult {
        Linter().run(LintOptions(paths: [rel], configFile: "/dev/null", workingDirectory: corpus, prometheusVersion: version))
    }

    @Test func corpusIsPresent() {
        #expect(Self.files("rulefmt").count >= 10)
        #expect(Self.files("config").count >= 100)
    }

    @Test(arguments: files("rulefmt").filter { $0.contains(".bad.") && !$0.contains("legacy_validation") })
    func badRuleFilesAreInputErrors(_ rel: String) {
        let r = Self.lint(rel)
        #expect(r.diagnostics.contains { $0.check == InputErrors.rules || $0.check == InputErrors.yaml }, "\(r.diagnostics)")
        #expect(r.exitCode(failOn: .warning) == 1)
    }

    @Test(arguments: files("rulefmt").filter { !$0.contains(".bad.") })
    func goodRuleFilesLoad(_ rel: String) {
        let r = Self.lint(rel)
        #expect(!r.hasInputErrors, "\(r.diagnostics.filter { $0.check.category == "input" })")
    }

    @Test func legacyValidationFixtureFailsOnlyWhenTargeting2x() {
        let bad = "rulefmt/legacy_validation_annotation.bad.yaml"
        #expect(Self.lint(bad, version: .v2).diagnostics.contains { $0.check == "labels/utf8-name" && $0.severity == .error })
        #expect(!Self.lint(bad, version: .v3).diagnostics.contains { $0.check == "labels/utf8-name" })
        #expect(!Self.lint("rulefmt/legacy_validation_annotation.good.yaml", version: .v2).diagnostics
            .contains { $0.check == "labels/utf8-name" })
    }

    /// Every fixture, whatever it holds, gives well-formed diagnostics in every format and never crashes.
    @Test(arguments: ["config", "rulefmt", "promtool"])
    func everyFixtureLintsWithoutCrashing(_ dir: String) {
        for rel in Self.files(dir) {
            let r = Self.lint(rel)
            for d in r.diagnostics {
                #expect(d.range.start.line >= 1 && d.range.start.column >= 1, "\(rel): \(d)")
                #expect(!d.message.isEmpty)
            }
            for f in OutputFormat.allCases { _ = f.render(r.diagnostics) }
        }
    }
}

@Suite struct ConfigCorpusLintTests {
    @Test(arguments: CorpusTests.files("config").filter { $0.hasSuffix(".good.yml") })
    func goodConfigsHaveNoConfigErrors(_ rel: String) {
        let r = CorpusTests.lint(rel)
        #expect(!r.diagnostics.contains { $0.check == InputErrors.config || $0.check == InputErrors.yaml },
                "\(r.diagnostics.filter { $0.check.category == "input" })")
    }

    /// `static_config.bad.yml` is a file_sd target group, not a configuration (reported as unrecognised).
    @Test(arguments: CorpusTests.files("config").filter { $0.hasSuffix(".bad.yml") && !$0.hasSuffix("/static_config.bad.yml") })
    func badConfigsAreInputErrors(_ rel: String) {
        let r = CorpusTests.lint(rel)
        #expect(r.hasInputErrors, "\(rel)")
        #expect(r.exitCode(failOn: nil) == 1)
    }
}
