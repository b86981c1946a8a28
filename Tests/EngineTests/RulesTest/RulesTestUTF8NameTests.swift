import Testing
@testable import Engine

/// UTF-8 label and metric names in every output of `test rules`: failure messages, `--debug`, JSON and
/// JUnit print label sets as 3.14's `labels.Labels.String()` does (`{alertname="Hot", "room.name"="lab"}`).
@Suite struct RulesTestUTF8NameTests {
    static let rules = """
        groups:
          - name: g
            rules:
              - alert: Hot
                expr: '{"temp.celsius"} > 30'
              - record: 'room:temp.max'
                expr: 'max by ("room.name") ({"temp.celsius"})'
        """
    static let test = """
        rule_files: [rules.yml]
        tests:
          - name: utf8
            input_series:
              - series: '{"temp.celsius", "room.name"="lab", job="x"}'
                values: 40 40
            alert_rule_test:
              - eval_time: 1m
                alertname: Hot
            promql_expr_test:
              - expr: '{"room:temp.max"}'
                eval_time: 1m
                exp_samples:
                  - labels: '{"room:temp.max", "room.name"="lab"}'
                    value: 41
        """

    private func run(debug: Bool = false) throws -> RulesTestFileResult {
        try RulesTestScratch.run(Self.test, files: ["rules.yml": Self.rules], options: RulesTestOptions(debug: debug))
    }

    @Test func failureMessagesQuoteNames() throws {
        let r = try run()
        #expect(r.failures.map(\.message) == [
            """
                name: utf8,
                alertname: Hot, time: 1m, 
                    exp:[], 
                    got:[
                        0:
                          Labels:{alertname="Hot", job="x", "room.name"="lab"}
                          Annotations:{}
                        ]
            """,
            """
                expr: "{\\"room:temp.max\\"}", time: 1m,
                    exp: {__name__="room:temp.max", "room.name"="lab"} 4.1E+01
                    got: {__name__="room:temp.max", "room.name"="lab"} 4E+01
            """,
        ])
    }

    @Test func debugJSONAndJUnitQuoteNames() throws {
        let r = try run(debug: true)
        let dump = r.groups.flatMap(\.debugLines).joined(separator: "\n")
        // The dump's range is left-open: the samples at 0 are outside it.
        #expect(dump.contains("{__name__=\"temp.celsius\", job=\"x\", \"room.name\"=\"lab\"} =>\n40 @[60000]\n"))
        #expect(dump.contains("{__name__=\"room:temp.max\", \"room.name\"=\"lab\"} =>\n40 @[60000]"))
        let json = RulesTestJSON.render([r])
        #expect(json.contains(#""got":"{__name__=\"room:temp.max\", \"room.name\"=\"lab\"} 4E+01""#))
        let xml = RulesTestJUnit.xml([r], timestamp: "2026-01-01T00:00:00")
        #expect(xml.contains("Labels:{alertname=&#34;Hot&#34;, job=&#34;x&#34;, &#34;room.name&#34;=&#34;lab&#34;}"))
    }
}
