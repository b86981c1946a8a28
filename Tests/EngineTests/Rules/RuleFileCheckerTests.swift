import ConfigModel
import Foundation
import Testing
import TestSupport
@testable import Engine

/// `../shared/corpus` relative to the package root (three levels above this file's folder).
private let corpus: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/corpus")

private func path(_ relative: String) -> String { corpus.appendingPathComponent(relative).path }

private func checker(lint: Bool = true, fatal: Bool = false, ignoreUnknown: Bool = false,
                     features: Set<String> = []) -> RuleFileChecker {
    RuleCheckFeatures.makeChecker(
        options: RuleCheckOptions(lintDuplicateRules: lint, lintFatal: fatal, ignoreUnknownFields: ignoreUnknown),
        features: features)
}

private func stderrText(_ r: RuleFileCheckResult) -> [String] { r.output.filter { $0.stream == .stderr }.map(\.text) }
private func stdoutText(_ r: RuleFileCheckResult) -> [String] { r.output.filter { $0.stream == .stdout }.map(\.text) }

@Suite struct PromtoolRuleCorpusTests {
    @Test(.needsCorpus) func rulesYmlPasses() {
        let file = path("promtool/rules.yml")
        let r = checker().checkFile(path: file)
        #expect(r.output == [.init(.stdout, "Checking \(file)"), .init(.stdout, "  SUCCESS: 5 rules found"), .init(.stdout, "")])
        #expect(RuleFileChecker.exitCode(for: [r], lintFatal: false) == 0)
    }

    @Test(.needsCorpus) func rulesBadFailsOnItsTemplate() {
        let file = path("promtool/rules-bad.yml")
        let r = checker().checkFile(path: file)
        #expect(stderrText(r) == [
            "  FAILED:",
            "\(file): group \"alerts\", rule 1, \"InstanceDown\": annotation \"summary\": template: __alert_InstanceDown:1: undefined variable \"$label\"",
            "  at \(file):12:21",
        ])
        #expect(stdoutText(r) == ["Checking \(file)"])
        #expect(RuleFileChecker.exitCode(for: [r], lintFatal: false) == 1)
    }

    @Test(.needsCorpus) func lintFileExitsThreeOnlyWhenFatal() {
        let file = path("promtool/prometheus-rules.lint.yml")
        let r = checker(fatal: true).checkFile(path: file)
        #expect(stderrText(r).prefix(6) == [
            "  FAILED:", "lint error 1 duplicate rule(s) found.", "Metric: HighRequestLatency", "Label(s):",
            "\tseverity: page", "Might cause inconsistency while recording expressions",
        ])
        #expect(stdoutText(r).last == "")
        #expect(RuleFileChecker.exitCode(for: [r], lintFatal: true) == 3)
        #expect(RuleFileChecker.exitCode(for: [r], lintFatal: false) == 0)
        #expect(checker(lint: false).checkFile(path: file).ruleCount == 2)
    }

    @Test(.needsCorpus) func exactlyOneDuplicate() throws {
        let r = checker().checkFile(path: path("promtool/rules_duplicates.yml"))
        let file = try #require(r.file)
        let dups = DuplicateRuleLint.duplicates(in: file)
        #expect(dups.map(\.metric) == ["job:test:count_over_time1m"])
        #expect(dups.first?.labels.isEmpty == true)
        #expect(stderrText(r).prefix(5) == ["  FAILED:", "lint error 1 duplicate rule(s) found.", "Metric: job:test:count_over_time1m",
                                            "Label(s):", "Might cause inconsistency while recording expressions"])
    }

    @Test(.needsCorpus) func largeFileKeepsLineNumbers() throws {
        let file = path("promtool/rules_large.yml")
        let r = checker(lint: false).checkFile(path: file)
        let loaded = try #require(r.file)
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        var checked = 0
        for rule in loaded.groups.flatMap(\.rules) {
            let record = try #require(rule.record)
            let line = lines[record.mark.line - 1]
            let column = line.unicodeScalars.index(line.unicodeScalars.startIndex, offsetBy: record.mark.column - 1)
            #expect(String(line.unicodeScalars[column...]) == record.value || line.hasSuffix("record: \(record.value)"))
            let expr = try #require(rule.expr)
            #expect(lines[expr.mark.line - 1].contains("expr:"))
            checked += 1
        }
        #expect(checked == loaded.ruleCount && checked > 1_000)
        #expect(r.ruleCount == checked)
    }

    @Test(.needsCorpus) func extraFieldsFailUnlessIgnored() {
        let file = path("promtool/rules_extrafields.yml")
        let strict = checker().checkFile(path: file)
        #expect(stderrText(strict).prefix(4) == [
            "  FAILED:", "\(file): yaml: unmarshal errors:",
            "  line 7: field namespace not found in type rulefmt.RuleGroup",
            "  line 21: field ownership not found in type rulefmt.RuleGroup",
        ])
        #expect(strict.hasErrors)
        let lenient = checker(ignoreUnknown: true).checkFile(path: file)
        #expect(!lenient.failed)
        #expect(lenient.ruleCount != nil)
    }

    @Test func missingFile() {
        let r = checker().checkFile(path: "/nonexistent/rules.yml")
        #expect(stderrText(r) == ["  FAILED:", "/nonexistent/rules.yml: open /nonexistent/rules.yml: no such file or directory"])
        #expect(r.hasErrors)
    }

    @Test func standardInputHasNoFilePrefix() {
        let r = checker().checkStandardInput(Array("groups:\n  - name: a\n    rules:\n      - record: x\n".utf8))
        #expect(r.output == [
            .init(.stdout, "Checking standard input"), .init(.stderr, "  FAILED:"),
            .init(.stderr, "0:0: group \"a\", rule 1, \"x\": field 'expr' must be set in rule"),
            .init(.stderr, "  at <stdin>:4:9"),
        ])
    }
}

@Suite struct RuleCheckOptionTests {
    @Test func lintOptions() {
        #expect(RuleCheckOptions.lintSettings("duplicate-rules").duplicateRules)
        #expect(RuleCheckOptions.lintSettings("all").duplicateRules)
        #expect(!RuleCheckOptions.lintSettings("none").duplicateRules)
        let odd = RuleCheckOptions.lintSettings("foo,none")
        #expect(!odd.duplicateRules && odd.warnings == ["WARNING: unknown lint option: \"foo\""])
    }

    @Test func featureFlags() {
        let f = RuleCheckFeatures.parse(["promql-experimental-functions,promql-extended-range-selectors", "bogus"])
        #expect(f.enabled == ["promql-experimental-functions", "promql-extended-range-selectors"])
        #expect(f.warnings == ["  WARNING: Unknown feature passed to --enable-feature: bogus"])
    }

    @Test func exitCodes() {
        let ok = checker().checkStandardInput(Array("groups: []\n".utf8))
        let lint = checker().checkStandardInput(Array("groups:\n- name: a\n  rules:\n  - alert: A\n    expr: up\n  - alert: A\n    expr: up\n".utf8))
        let bad = checker().checkStandardInput(Array("groups: [\n".utf8))
        #expect(RuleFileChecker.exitCode(for: [ok], lintFatal: true) == 0)
        #expect(RuleFileChecker.exitCode(for: [ok, lint], lintFatal: true) == 3)
        #expect(RuleFileChecker.exitCode(for: [ok, lint], lintFatal: false) == 0)
        #expect(RuleFileChecker.exitCode(for: [lint, bad], lintFatal: true) == 1)
        #expect(stdoutText(lint) == ["Checking standard input", ""])
        #expect(stdoutText(bad) == ["Checking standard input"])
    }
}

@Suite struct RuleExpressionCheckTests {
    private static let features: Set<String> = ["promql-experimental-functions", "promql-extended-range-selectors", "promql-binop-fill-modifiers"]

    @Test(.needsCorpus) func featuresNeedTheirFlags() {
        let file = path("promtool/features.yml")
        let without = checker().checkFile(path: file)
        #expect(without.errors.count == 3)
        #expect(without.errors.allSatisfy { $0.message.contains("could not parse expression: ") })
        let with = checker(features: Self.features).checkFile(path: file)
        #expect(with.errors.isEmpty)
        #expect(with.ruleCount == 4)
    }

    @Test(.needsCorpus) func badExprFixture() {
        let file = path("rulefmt/bad_expr.bad.yaml")
        let r = checker().checkFile(path: file)
        #expect(stderrText(r) == [
            "  FAILED:",
            "\(file): 5:15: group \"yolo\", rule 1, \"yolo\": could not parse expression: 1:6: parse error: expected type range vector in call to function \"rate\", got instant vector",
            "  at \(file):5:20",
        ])
    }

    @Test(.needsCorpus) func badRulesSyntaxFixture() {
        let file = path("promtool/bad-rules-syntax.yml")
        let r = checker().checkFile(path: file)
        #expect(stderrText(r) == [
            "  FAILED:",
            "\(file): 7:15: group \"bad-syntax\", rule 1, \"x\": could not parse expression: 1:7: parse error: unexpected end of input",
            "  at \(file):7:22",
        ])
    }

    @Test func positionInsideBlockExpression() throws {
        let text = "groups:\n  - name: g\n    rules:\n      - record: r\n        expr: |\n          sum(\n            rate(x[5m]\n"
        let r = checker().checkStandardInput(Array(text.utf8))
        let error = try #require(r.errors.first)
        #expect(error.message == "5:15: group \"g\", rule 1, \"r\": could not parse expression: 3:1: parse error: unclosed left parenthesis")
        // The end of the expression: just after its last character.
        #expect(error.extraMark == Mark(line: 7, column: 24))
    }

    @Test(.needsCorpus) func everyCorpusRuleFileLoads() throws {
        // The rule files among the promtool fixtures: they load (problems, if any, are rule problems).
        for name in ["rules.yml", "rules-bad.yml", "prometheus-rules.lint.yml", "rules_duplicates.yml", "rules_large.yml", "bad-rules-error.yml"] {
            let r = checker(features: Self.features).checkFile(path: path("promtool/" + name))
            #expect(r.file != nil, "\(name)")
        }
    }
}

@Suite struct TemplateErrorPositionTests {
    @Test func multiLineAnnotationPointsAtTheLine() throws {
        let text = "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        annotations:\n          description: |\n            first line\n            value {{ humanise $value }}\n"
        let r = checker().checkStandardInput(Array(text.utf8))
        let error = try #require(r.errors.first)
        #expect(error.message == "group \"g\", rule 1, \"A\": annotation \"description\": template: __alert_A:2: function \"humanise\" not defined")
        #expect(error.extraMark == Mark(line: 9, column: 13))
    }
}

@Suite struct DuplicateRuleLintTests {
    @Test func groupLabelsMergeAndOrder() throws {
        let text = """
        groups:
          - name: a
            labels: {team: x}
            rules:
              - record: b
                expr: 1
              - alert: Z
                expr: up
                labels: {team: x}
          - name: b
            rules:
              - record: b
                expr: 2
                labels: {team: x}
              - alert: Z
                expr: up
                labels: {team: y}
              - alert: Z
                expr: up
                labels: {team: y}
              - alert: Z
                expr: up
                labels: {team: y}

        """
        let file = try #require(RuleFile.load(text).file)
        let dups = DuplicateRuleLint.duplicates(in: file)
        #expect(dups.map(\.metric) == ["Z", "b"])
        #expect(dups.map { $0.labels.map(\.value) } == [["y"], ["x"]])
        #expect(DuplicateRuleLint.error(for: file)?.message == "lint error 2 duplicate rule(s) found.\nMetric: Z\nLabel(s):\n\tteam: y\nMetric: b\nLabel(s):\n\tteam: x\nMight cause inconsistency while recording expressions")
    }

    @Test func documentsAreLintedSeparately() throws {
        let doc = "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec:\n  groups:\n    - name: g\n      rules:\n        - record: r\n          expr: 1\n"
        let file = try #require(RuleFile.load(doc + "---\n" + doc).file)
        #expect(file.ruleCount == 2)
        #expect(DuplicateRuleLint.duplicates(in: file).isEmpty)
        #expect(file.validate().isEmpty)
    }
}
