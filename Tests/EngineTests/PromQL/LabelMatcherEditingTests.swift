import Testing
@testable import Engine

/// `promql label-matchers set|delete`: promtool 3.14's results (its `labelsSetPromQL`/`labelsDeletePromQL`),
/// printed prettified as promtool prints them.
@Suite struct LabelMatcherEditingTests {
    @Test(arguments: [
        (#"rate(a{b="1"}[5m]) + c"#, "b", LabelMatcher.MatchType.equal, "2", #"rate(a{b="2"}[5m]) + c{b="2"}"#),
        (#"sum by (job) (x)"#, "job", .regexMatch, "a.*", #"sum by (job) (x{job=~"a.*"})"#),
        (#"foo"#, "__name__", .equal, "bar", #"foo{__name__="bar"}"#),
        (#"x{a="1"}[5m:1m] offset 1m"#, "a", .notEqual, "", #"x{a!=""}[5m:1m] offset 1m"#),
        // Not validated, as promtool does not validate it: an invalid regex is written as given.
        (#"up"#, "job", .regexNoMatch, "(", #"up{job!~"("}"#),
        (#"1 + 2"#, "a", .equal, "b", #"1 + 2"#),
    ])
    func set(query: String, name: String, type: LabelMatcher.MatchType, value: String, expected: String) throws {
        let expr = try LabelMatcherEditing.set(query, name: name, type: type, value: value)
        #expect(expr.prettyPrint() == expected)
    }

    @Test(arguments: [
        (#"a{b="1",c="2"}"#, "b", #"a{c="2"}"#),
        (#"rate(a{b="1"}[5m]) / on (b) c{b="2"}"#, "b", #"rate(a[5m]) / on (b) c"#),
        // Go removes while ranging over the slice it shortens: of two adjacent matchers only the first goes.
        (#"x{a="1",a="2",b="3"}"#, "a", #"x{a="2",b="3"}"#),
        (#"x{a="1",b="3",a="2"}"#, "a", #"x{b="3"}"#),
        // The metric name outside the braces stays: promtool prints the selector's name, not its matcher.
        (#"foo{a="1"}"#, "__name__", #"foo{a="1"}"#),
        (#"x"#, "missing", #"x"#),
    ])
    func delete(query: String, name: String, expected: String) throws {
        let expr = try LabelMatcherEditing.delete(query, name: name)
        #expect(expr.prettyPrint() == expected)
    }

    @Test func parseErrorsAreThrown() {
        #expect(throws: PromQLParseError.self) { try LabelMatcherEditing.delete("sum(", name: "a") }
    }
}
