import Testing
@testable import ConfigModel

/// One row of Prometheus's `TestRelabel` (model/relabel/relabel_test.go at v3.14.0): the rules are written
/// as the YAML a user would write, omitting what the Go case leaves at its default.
struct RelabelCase: Sendable, CustomTestStringConvertible {
    enum Expected: Sendable { case dropped, kept([String: String]) }
    var input: [String: String]
    var rules: String
    var expected: Expected
    var testDescription: String { rules }
}

private func decodeRules(_ yaml: String) throws -> [RelabelConfig] {
    let root = try #require(try YAMLComposer.compose(yaml).first)
    let decoder = YAMLDecoder()
    let rules = try [RelabelConfig](yaml: root, decoder: decoder)
    try decoder.throwCollectedTypeErrors()
    for r in rules { try r.validate(scheme: .utf8) }
    return rules
}

private let prometheusRelabelCases: [RelabelCase] = [
    RelabelCase(input: ["a": "foo", "b": "bar", "c": "baz"],
                rules: "[{source_labels: [\"a\"], regex: \"f(.*)\", target_label: \"d\", separator: \";\", replacement: \"ch${1}-ch${1}\", action: \"replace\"}]",
                expected: .kept(["a": "foo", "b": "bar", "c": "baz", "d": "choo-choo"])),
    RelabelCase(input: ["a": "foo", "b": "bar", "c": "baz"],
                rules: "[{source_labels: [\"a\", \"b\"], regex: \"f(.*);(.*)r\", target_label: \"a\", separator: \";\", replacement: \"b${1}${2}m\", action: \"replace\"}, {source_labels: [\"c\", \"a\"], regex: \"(b).*b(.*)ba(.*)\", target_label: \"d\", separator: \";\", replacement: \"$1$2$2$3\", action: \"replace\"}]",
                expected: .kept(["a": "boobam", "b": "bar", "c": "baz", "d": "boooom"])),
    RelabelCase(input: ["a": "foo"],
                rules: "[{source_labels: [\"a\"], regex: \".*o.*\", action: \"drop\"}, {source_labels: [\"a\"], regex: \"f(.*)\", target_label: \"d\", separator: \";\", replacement: \"ch$1-ch$1\", action: \"replace\"}]",
                expected: .dropped),
    RelabelCase(input: ["a": "foo", "b": "bar"],
                rules: "[{source_labels: [\"a\"], regex: \".*o.*\", action: \"drop\"}]",
                expected: .dropped),
    RelabelCase(input: ["a": "abc"],
                rules: "[{source_labels: [\"a\"], regex: \".*(b).*\", target_label: \"d\", separator: \";\", replacement: \"$1\", action: \"replace\"}]",
                expected: .kept(["a": "abc", "d": "b"])),
    RelabelCase(input: ["a": "foo"],
                rules: "[{source_labels: [\"a\"], regex: \"no-match\", action: \"drop\"}]",
                expected: .kept(["a": "foo"])),
    RelabelCase(input: ["a": "foo"],
                rules: "[{source_labels: [\"a\"], regex: \"f|o\", action: \"drop\"}]",
                expected: .kept(["a": "foo"])),
    RelabelCase(input: ["a": "foo"],
                rules: "[{source_labels: [\"a\"], regex: \"no-match\", action: \"keep\"}]",
                expected: .dropped),
    RelabelCase(input: ["a": "foo"],
                rules: "[{source_labels: [\"a\"], regex: \"f.*\", action: \"keep\"}]",
                expected: .kept(["a": "foo"])),
    RelabelCase(input: ["a": "boo"],  // No replacement must be applied if there is no match.
                rules: "[{source_labels: [\"a\"], regex: \"f\", target_label: \"b\", replacement: \"bar\", action: \"replace\"}]",
                expected: .kept(["a": "boo"])),
    RelabelCase(input: ["a": "foo", "f": "baz"],  // Blank replacement should delete the label.
                rules: "[{source_labels: [\"a\"], regex: \"(f).*\", target_label: \"$1\", replacement: \"$2\", action: \"replace\"}]",
                expected: .kept(["a": "foo"])),
    RelabelCase(input: ["a": "foo", "b": "bar", "c": "baz"],
                rules: "[{source_labels: [\"c\"], target_label: \"d\", separator: \";\", action: \"hashmod\", modulus: 1000}]",
                expected: .kept(["a": "foo", "b": "bar", "c": "baz", "d": "976"])),
    RelabelCase(input: ["a": "foo\nbar"],
                rules: "[{source_labels: [\"a\"], target_label: \"b\", separator: \";\", action: \"hashmod\", modulus: 1000}]",
                expected: .kept(["a": "foo\nbar", "b": "734"])),
    RelabelCase(input: ["a": "foo", "b1": "bar", "b2": "baz"],
                rules: "[{regex: \"(b.*)\", replacement: \"bar_${1}\", action: \"labelmap\"}]",
                expected: .kept(["a": "foo", "b1": "bar", "b2": "baz", "bar_b1": "bar", "bar_b2": "baz"])),
    RelabelCase(input: ["a": "foo", "__meta_my_bar": "aaa", "__meta_my_baz": "bbb", "__meta_other": "ccc"],
                rules: "[{regex: \"__meta_(my.*)\", replacement: \"${1}\", action: \"labelmap\"}]",
                expected: .kept(["a": "foo", "__meta_my_bar": "aaa", "__meta_my_baz": "bbb", "__meta_other": "ccc", "my_bar": "aaa", "my_baz": "bbb"])),
    RelabelCase(input: ["a": "some-name-value"],
                rules: "[{source_labels: [\"a\"], regex: \"some-([^-]+)-([^,]+)\", action: \"replace\", replacement: \"${2}\", target_label: \"${1}\"}]",
                expected: .kept(["a": "some-name-value", "name": "value"])),
    RelabelCase(input: ["a": "some-name-value"],
                rules: "[{source_labels: [\"a\"], regex: \"some-([^-]+)-([^,]+)\", action: \"replace\", replacement: \"${3}\", target_label: \"${1}\"}]",
                expected: .kept(["a": "some-name-value"])),
    RelabelCase(input: ["a": "some-name-0"],
                rules: "[{source_labels: [\"a\"], regex: \"some-([^-]+)-([^,]+)\", action: \"replace\", replacement: \"${1}\", target_label: \"${3}\"}, {source_labels: [\"a\"], regex: \"some-([^-]+)-([^,]+)\", action: \"replace\", replacement: \"${1}\", target_label: \"${3}\"}, {source_labels: [\"a\"], regex: \"some-([^-]+)(-[^,]+)\", action: \"replace\", replacement: \"${1}\", target_label: \"${3}\"}]",
                expected: .kept(["a": "some-name-0"])),
    RelabelCase(input: ["__meta_sd_tags": "path:/secret,job:some-job,label:foo=bar"],
                rules: "[{source_labels: [\"__meta_sd_tags\"], regex: \"(?:.+,|^)path:(/[^,]+).*\", action: \"replace\", replacement: \"${1}\", target_label: \"__metrics_path__\"}, {source_labels: [\"__meta_sd_tags\"], regex: \"(?:.+,|^)job:([^,]+).*\", action: \"replace\", replacement: \"${1}\", target_label: \"job\"}, {source_labels: [\"__meta_sd_tags\"], regex: \"(?:.+,|^)label:([^=]+)=([^,]+).*\", action: \"replace\", replacement: \"${2}\", target_label: \"${1}\"}]",
                expected: .kept(["__meta_sd_tags": "path:/secret,job:some-job,label:foo=bar", "__metrics_path__": "/secret", "job": "some-job", "foo": "bar"])),
    RelabelCase(input: ["__meta_kubernetes_pod_container_port_name": "foo", "__meta_kubernetes_pod_annotation_XXX_metrics_port": "9091"],
                rules: "[{regex: \"^__meta_kubernetes_pod_container_port_name$\", action: \"labeldrop\"}, {source_labels: [\"__meta_kubernetes_pod_annotation_XXX_metrics_port\"], regex: \"(.+)\", action: \"replace\", replacement: \"metrics\", target_label: \"__meta_kubernetes_pod_container_port_name\"}, {source_labels: [\"__meta_kubernetes_pod_container_port_name\"], regex: \"^metrics$\", action: \"keep\"}]",
                expected: .kept(["__meta_kubernetes_pod_annotation_XXX_metrics_port": "9091", "__meta_kubernetes_pod_container_port_name": "metrics"])),
    RelabelCase(input: ["a": "foo", "b1": "bar", "b2": "baz"],
                rules: "[{regex: \"(b.*)\", action: \"labelkeep\"}]",
                expected: .kept(["b1": "bar", "b2": "baz"])),
    RelabelCase(input: ["a": "foo", "b1": "bar", "b2": "baz"],
                rules: "[{regex: \"(b.*)\", action: \"labeldrop\"}]",
                expected: .kept(["a": "foo"])),
    RelabelCase(input: ["foo": "bAr123Foo"],
                rules: "[{source_labels: [\"foo\"], action: \"uppercase\", target_label: \"foo_uppercase\"}, {source_labels: [\"foo\"], action: \"lowercase\", target_label: \"foo_lowercase\"}]",
                expected: .kept(["foo": "bAr123Foo", "foo_lowercase": "bar123foo", "foo_uppercase": "BAR123FOO"])),
    RelabelCase(input: ["__tmp_port": "1234", "__port1": "1234", "__port2": "5678"],
                rules: "[{source_labels: [\"__tmp_port\"], action: \"keepequal\", target_label: \"__port1\"}]",
                expected: .kept(["__tmp_port": "1234", "__port1": "1234", "__port2": "5678"])),
    RelabelCase(input: ["__tmp_port": "1234", "__port1": "1234", "__port2": "5678"],
                rules: "[{source_labels: [\"__tmp_port\"], action: \"dropequal\", target_label: \"__port1\"}]",
                expected: .dropped),
    RelabelCase(input: ["__tmp_port": "1234", "__port1": "1234", "__port2": "5678"],
                rules: "[{source_labels: [\"__tmp_port\"], action: \"dropequal\", target_label: \"__port2\"}]",
                expected: .kept(["__tmp_port": "1234", "__port1": "1234", "__port2": "5678"])),
    RelabelCase(input: ["__tmp_port": "1234", "__port1": "1234", "__port2": "5678"],
                rules: "[{source_labels: [\"__tmp_port\"], action: \"keepequal\", target_label: \"__port2\"}]",
                expected: .dropped),
    RelabelCase(input: ["a": "line1\nline2", "b": "bar", "c": "baz"],
                rules: "[{source_labels: [\"a\"], regex: \"line1.*line2\", target_label: \"d\", separator: \";\", replacement: \"match${1}\", action: \"replace\"}]",
                expected: .kept(["a": "line1\nline2", "b": "bar", "c": "baz", "d": "match"])),
    RelabelCase(input: ["utf-8.label": "line1\nline2", "b": "bar", "c": "baz"],
                rules: "[{source_labels: [\"utf-8.label\"], regex: \"line1.*line2\", target_label: \"d\", separator: \";\", replacement: \"match${1}\", action: \"replace\"}]",
                expected: .kept(["utf-8.label": "line1\nline2", "b": "bar", "c": "baz", "d": "match"])),
    RelabelCase(input: ["a": "line1\nline2", "b": "bar", "c": "baz"],
                rules: "[{source_labels: [\"a\"], regex: \"line1.*line2\", target_label: \"utf-8.label\", separator: \";\", replacement: \"match${1}\", action: \"replace\"}]",
                expected: .kept(["a": "line1\nline2", "b": "bar", "c": "baz", "utf-8.label": "match"])),
    RelabelCase(input: ["a": "line1\nline2", "b": "bar", "c": "baz"],
                rules: "[{source_labels: [\"a\"], regex: \"line1.*line2\", target_label: \"utf-8.label${1}\", separator: \";\", replacement: \"match${1}\", action: \"replace\"}]",
                expected: .kept(["a": "line1\nline2", "b": "bar", "c": "baz", "utf-8.label": "match"])),
    RelabelCase(input: ["a": "line1\nline2", "b": "bar", "c": "baz"],
                rules: "[{source_labels: [\"a\"], regex: \"(line1).*(?<second>line2)\", target_label: \"label1_${1}\", separator: \";\", replacement: \"val_${second}\", action: \"replace\"}, {source_labels: [\"a\"], regex: \"(line1).*(?<second>line2)\", target_label: \"label2_$1\", separator: \";\", replacement: \"val_$second\", action: \"replace\"}]",
                expected: .kept(["a": "line1\nline2", "b": "bar", "c": "baz", "label1_line1": "val_line2", "label2_line1": "val_line2"])),
    RelabelCase(input: ["__name__": "http_requests_total"],
                rules: "[{source_labels: [\"__name__\"], regex: \".*_total$\", target_label: \"__type__\", replacement: \"counter\", action: \"replace\"}]",
                expected: .kept(["__name__": "http_requests_total", "__type__": "counter"])),
    RelabelCase(input: ["__name__": "disk_usage_bytes"],
                rules: "[{source_labels: [\"__name__\"], regex: \".*_bytes$\", target_label: \"__unit__\", replacement: \"bytes\", action: \"replace\"}]",
                expected: .kept(["__name__": "disk_usage_bytes", "__unit__": "bytes"])),
]

@Suite struct RelabelEvaluationTests {
    @Test(arguments: prometheusRelabelCases)
    func prometheusRelabelCase(_ c: RelabelCase) throws {
        let rules = try decodeRules(c.rules)
        var labels = c.input
        let kept = rules.apply(to: &labels)
        switch c.expected {
        case .dropped:
            #expect(!kept)
        case .kept(let want):
            #expect(kept)
            #expect(labels == want)
        }
    }

    @Test func everyActionIsCoveredByTheTable() throws {
        var seen: Set<RelabelConfig.Action> = []
        for c in prometheusRelabelCases {
            for r in try decodeRules(c.rules) { if let a = r.action { seen.insert(a) } }
        }
        #expect(seen == Set(RelabelConfig.Action.allCases))
    }

    @Test func replaceWithDefaultRegexAndEmptySourceSetsTheReplacementLiterally() throws {
        // The fast path: an unset regex with an empty joined value sets target_label to the replacement.
        let rules = try decodeRules(#"[{source_labels: [missing], target_label: env, replacement: prod}]"#)
        var labels = ["a": "b"]
        #expect(rules.apply(to: &labels))
        #expect(labels == ["a": "b", "env": "prod"])
    }
}
