import Foundation
import Testing
@testable import Engine
import ConfigModel

/// Hostile and broken unit-test input: a positioned failure for the test group concerned, the other groups
/// still run, never a crash or a hang.
@Suite struct RulesTestBadInputTests {
    /// Writes `files` into a fresh folder and runs `test.yml` from it.
    private func run(_ test: String, files: [String: String] = [:]) throws -> RulesTestFileResult {
        var options = RulesTestOptions()
        options.parserOptions.durationExpressions = true
        var r = try RulesTestScratch.run(test, files: files, options: options)
        r.file = "test.yml"
        return r
    }

    private let goodGroup = """
          - name: good
            input_series:
              - series: up
                values: 1 1
            promql_expr_test:
              - expr: up
                eval_time: 1m
                exp_samples:
                  - labels: up
                    value: 1
        """

    @Test func hugeRepetitionIsRefusedOthersStillRun() throws {
        let r = try run("""
            tests:
              - name: huge
                input_series:
                  - series: up
                    values: 1x9999999 1x9999999 1x9999999 1x9999999 1x9999999 1x9999999
            \(goodGroup)
            """)
        #expect(r.groups.map(\.name) == ["huge", "good"])
        #expect(r.groups[1].passed)
        let f = try #require(r.groups[0].failures.first)
        #expect(f.message.contains("expand to more than"))
        #expect(f.mark?.line == 5)
    }

    @Test func malformedSeriesNotation() throws {
        let r = try run("""
            tests:
              - input_series:
                  - series: up
                    values: 1+x3
            \(goodGroup)
            """)
        #expect(r.groups[0].failures.first?.message.contains("parse error") == true)
        #expect(r.groups[1].passed)
    }

    @Test func missingRuleFileWarnsAndFailOnlyWhereRulesAreNeeded() throws {
        let r = try run("""
            rule_files: [nope.yml]
            tests:
            \(goodGroup)
            """)
        #expect(r.warnings.count == 1)
        #expect(r.warnings.first?.hasPrefix("  WARNING: no file match pattern ") == true)
        #expect(!r.failed)
    }

    @Test func ruleFileFailingCheckRules() throws {
        let r = try run("""
            rule_files: [rules.yml]
            tests:
            \(goodGroup)
            """, files: ["rules.yml": "groups:\n  - name: g\n    rules:\n      - record: r\n        expr: sum(\n"])
        let f = try #require(r.failures.first)
        #expect(f.message.contains("rules.yml: 5:15: group \"g\", rule 1, \"r\": could not parse expression"))
        #expect(f.file.hasSuffix("rules.yml"))
    }

    @Test func missingAlertnameAndHugeEvalTime() throws {
        let r = try run("""
            evaluation_interval: 1ms
            tests:
              - name: noname
                alert_rule_test:
                  - eval_time: 1m
              - name: forever
                promql_expr_test:
                  - expr: vector(1)
                    eval_time: 100y
            \(goodGroup)
            """)
        #expect(r.groups[0].failures.map(\.message) == ["an item under alert_rule_test misses required attribute alertname at eval_time 1m (in TestGroup noname)"])
        #expect(r.groups[1].failures.first?.message.contains("at most") == true)
        #expect(r.groups[2].passed)
    }

    @Test func yamlErrorsFailTheFile() throws {
        let r = try run("tests:\n  - name: x\n    bogus: 1\n")
        #expect(r.fileFailure?.message == "yaml: unmarshal errors:\n  line 3: field bogus not found in type main.testGroup")
        #expect(r.fileFailure?.mark?.line == 3)
    }

    @Test func failingTemplatesAreAnnotationText() throws {
        let r = try run("""
            rule_files: [rules.yml]
            tests:
              - input_series:
                  - series: up
                    values: 0
                alert_rule_test:
                  - eval_time: 0m
                    alertname: Bad
                    exp_alerts:
                      - exp_annotations:
                          d: "<error expanding template: error executing template __alert_Bad: template: __alert_Bad:1:133: executing \\"__alert_Bad\\" at <first>: error calling first: first() called on vector with no elements>"
            """, files: ["rules.yml": "groups:\n  - name: g\n    rules:\n      - alert: Bad\n        expr: up == 0\n        annotations:\n          d: '{{ query \"nothing\" | first }}'\n"])
        #expect(!r.failed, "\(r.failures.map(\.message))")
    }

    @Test func repeatedGroupEvalOrder() throws {
        let r = try run("group_eval_order: [a, a]\ntests: []\n")
        #expect(r.fileFailure?.message == "group name repeated in evaluation order: a")
    }

    @Test func startTimestampForms() {
        #expect(UnitTestGroup.parseStartTimestamp("1609459200") == 1_609_459_200_000)
        #expect(UnitTestGroup.parseStartTimestamp("1.5") == 1_500)
        #expect(UnitTestGroup.parseStartTimestamp("2024-01-01T00:00:00Z") == 1_704_067_200_000)
        #expect(UnitTestGroup.parseStartTimestamp("2024-01-01T01:00:00.250+01:00") == 1_704_067_200_250)
        #expect(UnitTestGroup.parseStartTimestamp("yesterday") == nil)
    }
}
