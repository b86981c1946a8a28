import Testing
@testable import Lint

@Suite struct LintConfigurationTests {
    let cat = CheckCatalogue.standard

    @Test func parsesEverySetting() throws {
        let text = """
            prometheus_version: "2.x"
            enable: [rules/recording-name]
            disable: [cardinality/*]
            severity:
              labels/required-labels: error
            required_alert_labels: [severity, team]
            required_alert_annotations: [summary, runbook_url]
            high_cardinality_labels: [pod]
            scrape_interval: 30s
            evaluation_interval: 1m
            extra_high_cardinality_labels: [tenant]
            overrides:
              - files: ["legacy/**"]
                disable: [labels/required-labels]
                prometheus_version: "3"
            """
        let cfg = try LintConfiguration.parse(text, path: "c", baseDirectory: "/r", catalogue: cat).get()
        let s = cfg.settings(forRelativePath: "rules/a.yml", catalogue: cat)
        #expect(s.prometheusVersion == .v2)
        #expect(s.assumedScrapeInterval == .seconds(30))
        #expect(s.assumedEvaluationInterval == .minutes(1))
        #expect(s.requiredAlertLabels == ["severity", "team"])
        #expect(s.requiredAlertAnnotations == ["summary", "runbook_url"])
        #expect(s.highCardinalityLabels == ["pod", "tenant"])
        #expect(s.severityOverrides["labels/required-labels"] == .error)
        #expect(s.disabled.contains("cardinality/no-scrape-limits"))
        #expect(s.enabled.contains("rules/recording-name"))
        let legacy = cfg.settings(forRelativePath: "legacy/x/a.yml", catalogue: cat)
        #expect(legacy.prometheusVersion == .v3)
        #expect(legacy.disabled.contains("labels/required-labels"))
        #expect(!s.disabled.contains("labels/required-labels"))
    }

    @Test func disableAllThenEnableOne() throws {
        let cfg = try LintConfiguration.parse("disable: [all]\nenable: [labels/reserved]\n", path: "c", baseDirectory: "/", catalogue: cat).get()
        let s = cfg.settings(forRelativePath: "a.yml", catalogue: cat)
        let enabled = cat.checks.map(\.info).filter { s.isEnabled($0) }.map(\.id)
        #expect(enabled == ["labels/reserved"])
    }

    @Test(arguments: [
        ("unknown_key: 1\n", 1, "field unknown_key not found"),
        ("disable: [no/such-check]\n", 1, "unknown check \"no/such-check\""),
        ("severity:\n  labels/reserved: fatal\n", 2, "unknown severity \"fatal\""),
        ("required_alert_labels: {a: b}\n", 1, "cannot unmarshal !!map"),
        ("prometheus_version: \"4.x\"\n", 1, "unsupported prometheus_version"),
        ("scrape_interval: 0s\n", 1, "scrape_interval must be greater than 0"),
        ("evaluation_interval: soon\n", 1, "not a valid duration string"),
        ("disable: [\n", 2, "yaml:"),
        ("overrides:\n  - disable: [all]\n", 2, "non-empty `files`"),
    ])
    func malformedIsAPositionedError(text: String, line: Int, fragment: String) {
        switch LintConfiguration.parse(text, path: "c", baseDirectory: "/", catalogue: cat) {
        case .success: Issue.record("accepted: \(text)")
        case .failure(let e):
            #expect(e.errors.contains { $0.message.contains(fragment) }, "\(e.errors)")
            #expect(e.errors.first?.mark?.line == line)
        }
    }

    @Test func malformedConfigFileIsReportedAndExitsOne() throws {
        let f = try LintFixture([".promtool-swift.yml": "disable: [nope]\n", "r.yml": ruleFile("")])
        defer { f.remove() }
        let r = f.lint()
        let d = only(InputErrors.lintConfig, r.diagnostics)
        #expect(d.count == 1)
        #expect(d.first?.file == ".promtool-swift.yml")
        #expect(d.first?.range.start.line == 1)
        #expect(r.exitCode(failOn: .warning) == 1)
    }

    @Test func configFileIsFoundAtRepositoryRootAndApplied() throws {
        let f = try LintFixture([
            ".promtool-swift.yml": "required_alert_labels: [team]\noverrides:\n  - files: [\"quiet/*.yml\"]\n    disable: [all]\n",
            "sub/r.yml": ruleFile("      - alert: A\n        expr: up == 0\n        annotations: {summary: s}\n"),
            "quiet/r.yml": ruleFile("      - alert: A\n        expr: up == 0\n"),
        ])
        defer { f.remove() }
        let r = Linter().run(LintOptions(paths: ["r.yml", "../quiet/r.yml"], workingDirectory: f.root + "/sub"))
        #expect(r.configurationFile == "../.promtool-swift.yml")
        let req = only("labels/required-labels", r.diagnostics)
        #expect(req.count == 1)
        #expect(req.first?.message.contains("\"team\"") == true)
        #expect(r.diagnostics.allSatisfy { $0.file == "r.yml" })
    }

    @Test func explicitConfigFileAndSeverityOverride() throws {
        let f = try LintFixture([
            "lint.yml": "severity: {labels/required-labels: info}\n",
            "r.yml": ruleFile("      - alert: A\n        expr: up == 0\n        annotations: {summary: s}\n"),
        ])
        defer { f.remove() }
        let r = f.lint(["r.yml"], configFile: "lint.yml")
        #expect(only("labels/required-labels", r.diagnostics).first?.severity == .info)
        #expect(r.exitCode(failOn: .warning) == 0)
        #expect(r.exitCode(failOn: .info) == 3)
    }
}
