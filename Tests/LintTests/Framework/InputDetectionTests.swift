import ConfigModel
import Testing
@testable import Lint

@Suite struct InputDetectionTests {
    func kind(_ text: String) throws -> InputKind {
        InputDetector.kind(of: try YAMLComposer.compose(text))
    }

    @Test func detectsKinds() throws {
        #expect(try kind("groups: []\n") == .ruleFile)
        #expect(try kind("---\nfoo: 1\n---\ngroups:\n  - name: a\n    rules: []\n") == .ruleFile)
        #expect(try kind("apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec:\n  groups: []\n") == .ruleFile)
        #expect(try kind("global:\n  scrape_interval: 15s\n") == .prometheusConfig)
        #expect(try kind("scrape_configs: []\n") == .prometheusConfig)
        #expect(try kind("services:\n  web: {}\n") == .unknown)
        #expect(try kind("") == .unknown)
    }

    @Test func multiDocumentAndPrometheusRuleGroupsAreAllLinted() throws {
        let crd = """
            apiVersion: monitoring.coreos.com/v1
            kind: PrometheusRule
            metadata: {name: x}
            spec:
              groups:
                - name: a
                  rules:
                    - alert: FromCRD
                      expr: up == 0
            ---
            groups:
              - name: b
                rules:
                  - alert: FromSecondDoc
                    expr: up == 0

            """
        let ds = only("labels/required-labels", try lintFiles(["k8s.yaml": crd]))
        #expect(ds.count == 2)
        #expect(ds.map(\.range.start.line) == [8, 14])
    }

    @Test func unrecognisedExplicitFileIsInfoAndWalkedOneIsSkipped() throws {
        let f = try LintFixture(["compose.yml": "services: {}\n", "r.yml": ruleFile("")])
        defer { f.remove() }
        #expect(f.lint(["."]).diagnostics.isEmpty)
        let explicit = f.lint(["compose.yml"])
        #expect(explicit.diagnostics.map(\.check) == [InputErrors.unrecognised])
        #expect(explicit.exitCode(failOn: .warning) == 0)
    }

    @Test func walkedNonPrometheusYAMLWithSyntaxErrorsIsSkipped() throws {
        let f = try LintFixture(["helm/templates/dep.yaml": "metadata:\n  name: {{ .Values.name }}\n  x: [\n",
                                 "rules/broken.yml": "groups:\n  - name: [\n"])
        defer { f.remove() }
        let r = f.lint(["."])
        #expect(r.diagnostics.map(\.file) == ["rules/broken.yml"])
        #expect(f.lint(["helm/templates/dep.yaml"]).diagnostics.map(\.check) == [InputErrors.yaml])
    }

    @Test func yamlErrorsAndMissingFilesAreInputErrors() throws {
        let f = try LintFixture(["bad.yml": "groups:\n  - name: [\n", "bin.yml": "groups: \u{FFFD}\n"])
        defer { f.remove() }
        let r = f.lint(["bad.yml", "missing.yml"])
        #expect(r.diagnostics.map(\.check) == [InputErrors.yaml, InputErrors.read])
        // The line promtool's message names (yaml.v3 for rule files), not libyaml's scanner position after it.
        #expect(r.diagnostics.first?.range.start.line == 2)
        #expect(r.diagnostics.first?.message == "yaml: line 2: did not find expected node content")
        #expect(r.exitCode(failOn: nil) == 1)
    }

    @Test func configPullsInItsRuleFilesWithContext() throws {
        let f = try LintFixture([
            "prom/prometheus.yml": """
                global:
                  external_labels: {cluster: eu1}
                rule_files: ["rules/*.yml", "missing/*.yml"]
                scrape_configs: []

                """,
            "prom/rules/a.yml": ruleFile(alert("A", expr: "up == 0", labels: "severity: page, cluster: x")),
        ])
        defer { f.remove() }
        // Only the configuration is named: its rule file is linted in its context.
        let ds = f.lint(["prom/prometheus.yml"]).diagnostics
        let c = only("labels/external-collision", ds)
        #expect(c.count == 1)
        #expect(c.first?.file == "prom/rules/a.yml")
        // Linted alone, the same rule file has no external labels to collide with.
        #expect(only("labels/external-collision", f.lint(["prom/rules/a.yml"]).diagnostics).isEmpty)
    }
}
