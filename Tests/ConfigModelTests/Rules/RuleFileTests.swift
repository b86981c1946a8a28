import Foundation
import Testing
import TestSupport
@testable import ConfigModel

/// `../shared/corpus/rulefmt` relative to the package root (three levels above this file's folder).
private let rulefmtCorpus: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/corpus/rulefmt")

private func corpusFile(_ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: rulefmtCorpus.appendingPathComponent(name)))
}

/// Loads and validates without a PromQL or template parser (ConfigModel knows neither).
private func problems(_ bytes: [UInt8], scheme: RuleNameValidation = .utf8, ignoreUnknown: Bool = false) -> [RuleFileError] {
    let loaded = RuleFile.load(bytes: bytes, ignoreUnknownFields: ignoreUnknown)
    guard let file = loaded.file else { return loaded.errors }
    return file.validate(RuleValidationOptions(nameValidation: scheme))
}

private func problems(_ text: String, scheme: RuleNameValidation = .utf8, ignoreUnknown: Bool = false) -> [RuleFileError] {
    problems(Array(text.utf8), scheme: scheme, ignoreUnknown: ignoreUnknown)
}

/// The message the upstream loader test requires of each bad rulefmt fixture (upstream
/// `TestParseFileFailure`, Prometheus 3 wording), and the position of the node it is about.
/// `bad_expr.bad.yaml` needs the PromQL parser: EngineTests/Rules checks it.
private let badFixtures: [(file: String, message: String, mark: Mark)] = [
    ("duplicate_grp.bad.yaml", "groupname: \"yolo\" is repeated in the same file", Mark(line: 3, column: 11)),
    ("record_and_alert.bad.yaml", "only one of 'record' and 'alert' must be set", Mark(line: 4, column: 17)),
    ("no_rec_alert.bad.yaml", "one of 'record' or 'alert' must be set", Mark(line: 4, column: 9)),
    ("noexpr.bad.yaml", "field 'expr' must be set in rule", Mark(line: 4, column: 9)),
    ("invalid_record_name.bad.yaml", "braces present in the recording rule name; should it be in expr?: strawberry{flavor=\"sweet\"}", Mark(line: 4, column: 17)),
    ("bad_field.bad.yaml", "field annotation not found", Mark(line: 8, column: 9)),
    ("invalid_label_name.bad.yaml", "invalid label name", Mark(line: 7, column: 11)),
    ("record_and_for.bad.yaml", "invalid field 'for' in recording rule", Mark(line: 4, column: 17)),
    ("record_and_keep_firing_for.bad.yaml", "invalid field 'keep_firing_for' in recording rule", Mark(line: 4, column: 17)),
]

private let goodFixtures = ["test.yaml", "test_aliases.yaml", "utf-8_annotation.good.yaml", "utf-8_lname.good.yaml",
                            "legacy_validation_annotation.good.yaml"]

@Suite(.needsCorpus) struct RuleFileCorpusTests {
    @Test("bad rulefmt fixtures fail with upstream's message at the node's position", arguments: badFixtures.map(\.file))
    func badFixture(_ name: String) throws {
        let expected = try #require(badFixtures.first { $0.file == name })
        let errs = problems(try corpusFile(name))
        let first = try #require(errs.first)
        #expect(first.message.contains(expected.message), "\(first.message)")
        #expect(first.mark == expected.mark)
    }

    @Test("good rulefmt fixtures load and validate", arguments: goodFixtures)
    func goodFixture(_ name: String) throws {
        let bytes = try corpusFile(name)
        #expect(problems(bytes).isEmpty)
        // The UTF-8 name fixtures are exactly the ones the legacy scheme rejects.
        #expect(problems(bytes, scheme: .legacy).isEmpty == !name.hasPrefix("utf-8"))
    }

    @Test func legacyValidationAnnotation() throws {
        let bad = try corpusFile("legacy_validation_annotation.bad.yaml")
        #expect(problems(bad).isEmpty, "UTF-8 validation accepts ins-tance")
        let errs = problems(bad, scheme: .legacy)
        #expect(errs.map(\.message) == ["group \"yolo\", rule 1, \"hola\": invalid annotation name: ins-tance"])
        #expect(errs.first?.mark == Mark(line: 7, column: 11))
        #expect(problems(try corpusFile("legacy_validation_annotation.good.yaml"), scheme: .legacy).isEmpty)
        #expect(!problems(try corpusFile("utf-8_lname.good.yaml"), scheme: .legacy).isEmpty)
    }

    @Test func everyCorpusFileIsCovered() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: rulefmtCorpus.path).filter { $0.hasSuffix(".yaml") }
        let covered = Set(badFixtures.map(\.file) + goodFixtures + ["legacy_validation_annotation.bad.yaml", "bad_expr.bad.yaml"])
        #expect(Set(names).subtracting(covered).isEmpty)
    }

    @Test func aliasesAndMergeKeys() throws {
        let file = try #require(RuleFile.load(bytes: try corpusFile("test_aliases.yaml")).file)
        let expr = "sum without(instance) (rate(errors_total[5m]))\n/\nsum without(instance) (rate(requests_total[5m]))\n"
        for group in file.groups {
            #expect(group.rules.map(\.name) == ["HighAlert", "new_metric", "HighAlert", "HighAlert2"])
            #expect(group.rules.allSatisfy { $0.exprText == expr })
            #expect(group.rules[3].labels.first?.value.value == "critical")
        }
    }
}

@Suite struct RuleFileMessageTests {
    @Test func exactRuleMessages() {
        let errs = problems("groups:\n  - name: yolo\n    rules:\n      - expr: 1\n      - record: Hi\n        alert: Hello\n        expr: 1\n")
        #expect(errs.map(\.message) == [
            "0:0: 0:0: group \"yolo\", rule 1, \"\": one of 'record' or 'alert' must be set",
            "5:17: 6:16: group \"yolo\", rule 2, \"Hello\": only one of 'record' and 'alert' must be set",
        ])
        #expect(errs[0].extraMark == Mark(line: 4, column: 9))
        #expect(errs[1].extraMark == nil)
    }

    @Test func groupNames() {
        let errs = problems("groups:\n  - name: a\n  - name: ''\n  - name: a\n    labels:\n      __name__: x\n")
        #expect(errs.map(\.message) == [
            "0:0: Groupname must not be empty",
            "0:0: groupname: \"a\" is repeated in the same file",
            "invalid label name: __name__",
        ])
        #expect(errs.map(\.mark) == [Mark(line: 3, column: 11), Mark(line: 4, column: 11), Mark(line: 6, column: 7)])
    }

    @Test func yamlTypeErrorsInBothDecodes() {
        let errs = problems("groups:\n  - name: a\n    limit: abc\n    rules:\n      - record: [x]\n        expr: 1\n")
        #expect(errs.map(\.message) == [
            "yaml: unmarshal errors:\n  line 3: cannot unmarshal !!str `abc` into int\n  line 5: cannot unmarshal !!seq into string",
            "yaml: unmarshal errors:\n  line 3: cannot unmarshal !!str `abc` into int",
        ])
        #expect(errs.first?.mark == Mark(line: 3, column: 12))
    }

    @Test func topLevelTypes() {
        #expect(problems("groups: 5\n").map(\.message) == [
            "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!int `5` into []rulefmt.RuleGroup",
            "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!int `5` into []rulefmt.RuleGroupNode",
        ])
        #expect(problems("foo: 1\n").map(\.message) == ["yaml: unmarshal errors:\n  line 1: field foo not found in type rulefmt.RuleGroups"])
        #expect(problems("foo: 1\n", ignoreUnknown: true).isEmpty)
    }

    /// go-yaml decodes each key into the field name first: yaml v3 skips an entry whose key is null (promtool
    /// accepts a rule file with an empty key, mutdiff-s2-16), decodes `!!binary`, and fails on a tag that
    /// does not fit the key, in both decodes.
    @Test func keysDecodedAsYAMLv3Does() {
        #expect(problems("~: 3\ngroups:\n- name: a\n  rules:\n  - record: a_b\n    expr: up\n    ~: 3\n").isEmpty)
        #expect(problems("? \n: 1\ngroups:\n- name: a\n  null: 2\n  rules: []\n").isEmpty)
        #expect(problems("!!binary Z3JvdXBz:\n- name: a\n  rules: []\n").isEmpty)
        #expect(problems("!!null x: 3\ngroups: []\n").map(\.message)
                == ["yaml: cannot decode !!str `x` as a !!null", "yaml: cannot decode !!str `x` as a !!null"])
    }

    @Test func invalidDurationIsFatal() {
        let errs = problems("groups:\n  - name: a\n    limit: x\n    rules:\n      - record: x\n        expr: 1\n        for: abc\n        keep_firing_for: zz\n")
        #expect(errs.map(\.message) == ["not a valid duration string: \"abc\"", "not a valid duration string: \"abc\""])
        #expect(errs.first?.mark == Mark(line: 7, column: 14))
    }

    @Test func duplicateKeysAsYAMLv3() {
        let errs = problems("groups:\n  - name: a\n    name: b\n    rules:\n      - record: x\n        expr: 1\n        labels: {a: 1, a: 2}\n")
        #expect(errs.first?.message == "yaml: unmarshal errors:\n  line 3: mapping key \"name\" already defined at line 2")
        let labels = problems("groups:\n  - name: a\n    rules:\n      - record: x\n        expr: 1\n        labels: {a: 1, a: 2}\n")
        #expect(labels.first?.message == "yaml: unmarshal errors:\n  line 6: mapping key \"a\" already defined at line 6")
    }

    @Test func syntaxErrorsInYAMLv3Words() {
        let errs = problems("groups:\n  - name: a\n    rules:\n      - record: x\n        expr: 1\n       bad: [\n")
        #expect(errs.map(\.message) == ["yaml: line 3: did not find expected '-' indicator", "yaml: line 3: did not find expected '-' indicator"])
        #expect(errs.first?.mark == Mark(line: 6, column: 8))
        #expect(problems("\t- x").first?.message == "yaml: found character that cannot start any token")
    }

    @Test func emptyInputs() {
        #expect(problems("").isEmpty)
        #expect(problems("# only a comment\n").isEmpty)
        #expect(RuleFile.load("").file?.ruleCount == 0)
    }

    @Test func recordingRuleFields() {
        let errs = problems("groups:\n  - name: g\n    rules:\n      - record: a:b\n        expr: 1\n        for: 1m\n        keep_firing_for: 1m\n        annotations:\n          x: y\n")
        #expect(errs.map(\.message) == [
            "4:17: group \"g\", rule 1, \"a:b\": invalid field 'annotations' in recording rule",
            "4:17: group \"g\", rule 1, \"a:b\": invalid field 'for' in recording rule",
            "4:17: group \"g\", rule 1, \"a:b\": invalid field 'keep_firing_for' in recording rule",
        ])
        #expect(problems("groups:\n  - name: g\n    rules:\n      - record: a-b\n        expr: 1\n", scheme: .legacy).map(\.message)
                == ["4:17: group \"g\", rule 1, \"a-b\": invalid recording rule name: a-b"])
    }

    @Test func hooksAreCalledAndMapped() {
        let text = "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: |\n          sum(rate(x[5m])\n            by (job)\n        labels:\n          s: \"{{ bad\"\n"
        let file = RuleFile.load(text).file
        let options = RuleValidationOptions(
            parseExpression: { expr in
                // Pretend the parser failed at `by`.
                guard let range = expr.range(of: "by") else { return nil }
                let offset = expr.utf8.distance(from: expr.startIndex, to: range.lowerBound)
                return RuleExpressionFailure(message: "2:3: parse error: nope", byteOffset: offset)
            },
            checkTemplate: { alert, value in value.contains("bad") ? RuleTemplateFailure(message: "template: __alert_\(alert):1: unclosed action") : nil })
        let errs = file?.validate(options) ?? []
        #expect(errs.map(\.message) == [
            "5:15: group \"g\", rule 1, \"A\": could not parse expression: 2:3: parse error: nope",
            "group \"g\", rule 1, \"A\": label \"s\": template: __alert_A:1: unclosed action",
        ])
        #expect(errs.map(\.mark) == [Mark(line: 7, column: 13), Mark(line: 9, column: 15)])
    }
}

@Suite struct ExpressionPositionTests {
    private func expr(_ yaml: String) throws -> PositionedText {
        let file = try #require(RuleFile.load("groups:\n  - name: g\n    rules:\n      - record: r\n        expr: " + yaml + "\n").file)
        return try #require(file.groups.first?.rules.first?.expr)
    }

    @Test func plain() throws {
        let e = try expr("sum(rate(x[5m])")
        #expect(e.contentMark == Mark(line: 5, column: 15))
        #expect(e.fileMark(forLine: 1, byteColumn: 5) == Mark(line: 5, column: 19))
    }

    @Test func quotedWithEscapes() throws {
        let e = try expr("\"a{b=\\\"c\\\"} + (\"")
        #expect(e.value == "a{b=\"c\"} + (")
        #expect(e.contentMark == Mark(line: 5, column: 16))
        // `+` is at byte 9 of the value; in the file two backslashes come before it.
        #expect(e.fileMark(forUTF8Offset: 9) == Mark(line: 5, column: 27))
        let single = try expr("'it''s + x'")
        #expect(single.value == "it's + x")
        #expect(single.fileMark(forUTF8Offset: 5) == Mark(line: 5, column: 22))
    }

    @Test func literalBlock() throws {
        let e = try expr("|\n          sum(x)\n            / on(a)\n          count(y)")
        #expect(e.isBlock)
        #expect(e.mark == Mark(line: 5, column: 15))
        #expect(e.contentMark == Mark(line: 6, column: 11))
        #expect(e.fileMark(forLine: 2, byteColumn: 5) == Mark(line: 7, column: 15))
        #expect(e.fileMark(forLine: 3, byteColumn: 1) == Mark(line: 8, column: 11))
    }

    @Test func foldedAndMultiLinePlain() throws {
        let folded = try expr(">\n          sum(x)\n          / count(y)")
        #expect(folded.value == "sum(x) / count(y)\n")
        #expect(folded.fileMark(forUTF8Offset: 9) == Mark(line: 7, column: 13))
        let plain = try expr("sum(x)\n          / count(y)")
        #expect(plain.value == "sum(x) / count(y)")
        #expect(plain.fileMark(forUTF8Offset: 9) == Mark(line: 6, column: 13))
    }

    @Test func multiByteCharacters() throws {
        let e = try expr("\"é + (\"")
        // byte offset 5 is `(` (é takes two bytes); the file column counts characters.
        #expect(e.fileMark(forUTF8Offset: 5) == Mark(line: 5, column: 20))
    }
}

@Suite struct RuleFileDocumentsTests {
    @Test func multiDocumentFile() throws {
        let text = "---\ngroups:\n  - name: a\n    rules:\n      - record: x\n        expr: 1\n---\ngroups:\n  - name: a\n    rules:\n      - record: ''\n        expr: 2\n"
        let loaded = RuleFile.load(text)
        let file = try #require(loaded.file)
        #expect(file.documents.count == 2)
        #expect(file.ruleCount == 2)
        let errs = file.validate()
        // Group names are unique per document; the second document's rule has an empty name.
        #expect(errs.map(\.message) == ["11:17: 0:0: group \"a\", rule 1, \"\": one of 'record' or 'alert' must be set"])
        #expect(errs.first?.mark == Mark(line: 11, column: 17))
    }

    @Test func prometheusRuleManifest() throws {
        let text = """
        apiVersion: monitoring.coreos.com/v1
        kind: PrometheusRule
        metadata:
          name: example
          labels:
            release: x
        spec:
          groups:
            - name: g
              rules:
                - alert: A
                  expr: up == 0
                  labels:
                    __name__: bad

        """
        let file = try #require(RuleFile.load(text).file)
        #expect(file.documents.first?.kind == .prometheusRule(name: "example"))
        #expect(file.ruleCount == 1)
        let errs = file.validate()
        #expect(errs.map(\.message) == ["group \"g\", rule 1, \"A\": invalid label name: __name__"])
        #expect(errs.first?.mark == Mark(line: 14, column: 13))
    }

    @Test func helmOutputSkipsOtherManifests() throws {
        let text = "apiVersion: v1\nkind: ConfigMap\ndata: {}\n---\napiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec:\n  groups:\n    - name: g\n      rules:\n        - record: r\n          expr: 1\n          bogus: 1\n"
        let loaded = RuleFile.load(text)
        #expect(loaded.errors.first?.message == "yaml: unmarshal errors:\n  line 13: field bogus not found in type rulefmt.Rule")
        #expect(RuleFile.load(text, ignoreUnknownFields: true).file?.ruleCount == 1)
    }

    @Test func singleNonRuleManifestFailsLikePromtool() {
        let errs = problems("apiVersion: v1\nkind: ConfigMap\n")
        #expect(errs.first?.message == "yaml: unmarshal errors:\n  line 1: field apiVersion not found in type rulefmt.RuleGroups\n  line 2: field kind not found in type rulefmt.RuleGroups")
    }
}

@Suite struct RuleFileHostileInputTests {
    @Test func fiftyThousandGroups() throws {
        var text = "groups:\n"
        for i in 0..<50_000 { text += "  - name: g\(i)\n    rules:\n      - record: r\n        expr: \(i)\n" }
        text += "  - name: g7\n"
        let loaded = RuleFile.load(text)
        let file = try #require(loaded.file)
        #expect(file.ruleCount == 50_000)
        let errs = file.validate()
        #expect(errs.map(\.message) == ["0:0: groupname: \"g7\" is repeated in the same file"])
        #expect(errs.first?.mark == Mark(line: 200_002, column: 11))
    }

    @Test func invalidUTF8() {
        let bytes = Array("groups:\n  - name: \"a".utf8) + [0xFF] + Array("\"\n".utf8)
        let errs = problems(bytes)
        #expect(errs.map(\.message) == ["yaml: invalid leading UTF-8 octet", "yaml: invalid leading UTF-8 octet"])
        #expect(errs.first?.mark == Mark(line: 2, column: 13))
    }

    @Test func truncatedYAML() {
        let errs = problems("groups:\n  - name: a\n    rules:\n      - record: \"x\n")
        #expect(errs.first?.message == "yaml: line 4: found unexpected end of stream")
        #expect(errs.first?.mark == Mark(line: 5, column: 1))
        let cut = problems("groups:\n  - name: a\n    rules:\n      - record: x\n        expr: [")
        #expect(!cut.isEmpty && cut.allSatisfy { $0.kind == .yaml && $0.mark != nil })
    }

    @Test func deepNestingAndRepeatedKeys() {
        let deep = String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
        #expect(!problems("groups: " + deep).isEmpty)
        var many = "groups:\n  - name: a\n    labels:\n"
        for _ in 0..<5_000 { many += "      k: v\n" }
        let errs = problems(many)
        #expect(errs.first?.message.hasPrefix("yaml: unmarshal errors:\n  line 5: mapping key \"k\" already defined at line 4") == true)
    }

    @Test func nullsAndOddShapes() {
        // yaml v3 drops null items of a struct list (sequence() keeps only elements that decoded).
        #expect(problems("groups:\n  -\n").isEmpty)
        #expect(problems("groups:\n  - name: a\n    rules:\n      -\n").isEmpty)
        let kept = RuleFile.load("groups:\n  - name: g\n    rules:\n      - record: r\n        expr: up\n      -\n")
        #expect(kept.file?.ruleCount == 1)
        #expect(problems("- a\n").first?.message == "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!seq into rulefmt.RuleGroups")
    }
}

@Suite struct RuleFileYAMLv3Tests {
    @Test func explicitTagsMustFit() {
        #expect(problems("groups: !!int abc\n").map(\.message) == ["yaml: cannot decode !!str `abc` as a !!int", "yaml: cannot decode !!str `abc` as a !!int"])
        #expect(problems("groups: !!bool yes\n").first?.message == "yaml: cannot decode !!str `yes` as a !!bool")
        #expect(problems("groups:\n  - name: a\n    limit: !!float 3\n").isEmpty)
        // A label value tagged !!null that is not null (diffs/11).
        #expect(problems("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        labels:\n          severity: !!null critical\n").map(\.message)
                == ["yaml: cannot decode !!str `critical` as a !!null", "yaml: cannot decode !!str `critical` as a !!null"])
        // expr is a yaml.Node in 3.14's second decode, which copies it unresolved: one error (diffs/22).
        #expect(problems("groups:\n  - name: g\n    rules:\n      - record: r\n        expr: !!int 'up'\n").map(\.message)
                == ["yaml: cannot decode !!str `up` as a !!int"])
        // Tags under unknown fields are never decoded, so never resolved.
        #expect(problems("groups: []\nzz: !!int abc\n").map(\.message) == ["yaml: unmarshal errors:\n  line 2: field zz not found in type rulefmt.RuleGroups"])
    }

    @Test func composerErrorsKeepTheirText() {
        #expect(problems("groups: *nope\n").first?.message == "yaml: unknown anchor 'nope' referenced")
        #expect(problems("groups:\n  - name: a\n    labels:\n      <<: 5\n").first?.message == "yaml: map merge requires map or sequence of maps as the value")
    }
}

@Suite struct RuleFileYAMLv3TypeTests {
    @Test func yesIsAStringInYAMLv3() {
        #expect(problems("groups:\n  - name: a\n    limit: yes\n").first?.message == "yaml: unmarshal errors:\n  line 3: cannot unmarshal !!str `yes` into int")
        #expect(problems("groups: true\n").first?.message == "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!bool `true` into []rulefmt.RuleGroup")
        #expect(problems("groups:\n  - name: a\n    limit: 2.0\n").isEmpty)
        // go-yaml sets an int field from any float up to 2^63 by truncation (diffs/02).
        #expect(problems("groups:\n  - name: a\n    limit: 1.5\n").isEmpty)
        #expect(RuleFile.load("groups:\n  - name: a\n    limit: -.inf\n").file?.groups.first?.limit == Int.min)
        #expect(problems("groups:\n  - name: a\n    limit: 9223372036854775808\n").first?.message
                == "yaml: unmarshal errors:\n  line 3: cannot unmarshal !!int `9223372...` into int")
        #expect(problems("groups:\n  - name: a\n    limit: 1e309\n").first?.message
                == "yaml: unmarshal errors:\n  line 3: cannot unmarshal !!str `1e309` into int")
    }
}
