import Testing
@testable import Engine

/// `test rules --diff`: promtool 3.14 renders alert mismatches with github.com/nsf/jsondiff's console options
/// (cmd/promtool/unittest.go at v3.14.0); these are that library's texts, colours included, worked out from
/// its printing rules (keys sorted, 4-space indent, a colour closed before each line break and reopened after
/// the indentation, `a => b` for a changed value).
@Suite struct RulesTestDiffTests {
    static let red = "\u{1B}[0;31m", green = "\u{1B}[0;32m", yellow = "\u{1B}[0;33m", end = "\u{1B}[0m"

    private func alert(_ labels: [String: String], _ annotations: [String: String] = [:]) -> ComparableAlert {
        ComparableAlert(labels: RulesTestGroupRun.fromMap(labels), annotations: RulesTestGroupRun.fromMap(annotations))
    }

    private var empty: ComparableAlert { alert([:]) }

    @Test func missingAlertIsRemovedMembers() throws {
        let diff = try #require(RulesTestDiff.render(expected: [alert(["alertname": "A", "severity": "page"], ["summary": "s"])],
                                                     got: [empty]))
        let (r, e) = (Self.red, Self.end)
        #expect(diff == """
            [
                {
                    "Annotations": {
                        \(r)"summary": "s"\(e)
                    },
                    "Labels": {
                        \(r)"alertname": "A"\(e),
                        \(r)"severity": "page"\(e)
                    }
                }
            ]
            """)
    }

    @Test func changedValueIsYellowArrow() throws {
        let diff = try #require(RulesTestDiff.render(expected: [alert(["alertname": "A", "sev": "page"])],
                                                     got: [alert(["alertname": "A", "sev": "ticket"])]))
        #expect(diff == """
            [
                {
                    "Annotations": {},
                    "Labels": {
                        "alertname": "A",
                        "sev": \(Self.yellow)"page" => "ticket"\(Self.end)
                    }
                }
            ]
            """)
    }

    /// An element only the received list has is written whole, every line in green.
    @Test func extraAlertIsGreenPerLine() throws {
        let a = alert(["alertname": "A"]), b = alert(["alertname": "A", "i": "2"])
        let diff = try #require(RulesTestDiff.render(expected: [a], got: [a, b]))
        let (g, e) = (Self.green, Self.end)
        #expect(diff == """
            [
                {
                    "Annotations": {},
                    "Labels": {
                        "alertname": "A"
                    }
                },
                \(g){\(e)
                    \(g)"Annotations": {},\(e)
                    \(g)"Labels": {\(e)
                        \(g)"alertname": "A",\(e)
                        \(g)"i": "2"\(e)
                    \(g)}\(e)
                \(g)}\(e)
            ]
            """)
    }

    /// Keys and values are Go-quoted (UTF-8 names kept, control characters escaped), keys in byte order.
    @Test func goQuotingAndByteOrder() throws {
        let diff = try #require(RulesTestDiff.render(expected: [alert(["alertname": "A", "foo.bar": "x\u{1}", "Z": "é"])],
                                                     got: [alert(["alertname": "A", "foo.bar": "x\u{1}", "Z": "e"])]))
        #expect(diff.contains("\n            \"Z\": \(Self.yellow)\"é\" => \"e\"\(Self.end),\n            \"alertname\": \"A\",\n            \"foo.bar\": \"x\\x01\"\n"))
    }

    @Test func sameJSONIsNoDiff() {
        #expect(RulesTestDiff.render(expected: [alert(["alertname": "A"])], got: [alert(["alertname": "A"])]) == nil)
    }

    /// The whole failure as the runner reports it: promtool's header, the diff indented by 12 spaces.
    @Test func runnerReportsTheDiff() throws {
        let rules = """
            groups:
              - name: g
                rules:
                  - alert: Up
                    expr: up == 1
                    labels: {severity: page}
            """
        let test = """
            rule_files: [rules.yml]
            tests:
              - name: t
                input_series:
                  - series: up{job="x"}
                    values: 1 1
                alert_rule_test:
                  - eval_time: 1m
                    alertname: Up
            """
        let r = try RulesTestScratch.run(test, files: ["rules.yml": rules], options: RulesTestOptions(diff: true))
        let (g, e) = (Self.green, Self.end)
        #expect(r.failures.map(\.message) == ["""
                name: t,
                alertname: Up, time: 1m, 
                    diff: [
                            {
                                "Annotations": {},
                                "Labels": {
                                    \(g)"alertname": "Up"\(e),
                                    \(g)"job": "x"\(e),
                                    \(g)"severity": "page"\(e)
                                }
                            }
                        ]
            """])
    }
}
