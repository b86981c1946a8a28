import Testing
@testable import Lint

@Suite struct LabelChecksTests {
    @Test func requiredLabelsAndAnnotations() throws {
        let bare = "      - alert: Bare\n        expr: up == 0\n"
        let ds = try lintFiles(["r.yml": ruleFile(bare + alert("Good", expr: "up == 0") + record("a:b:c", expr: "up"))])
        let labels = only("labels/required-labels", ds)
        let annotations = only("labels/required-annotations", ds)
        #expect(labels.count == 1)
        #expect(annotations.count == 1)
        #expect(labels.first?.range.start == SourcePosition(line: 4, column: 16))
        #expect(labels.first?.message.contains("\"Bare\"") == true)
    }

    @Test func groupLabelsSatisfyRequiredLabels() throws {
        let rules = "      - alert: A\n        expr: up == 0\n        annotations: {summary: s}\n"
        let ds = try lintFiles(["r.yml": ruleFile(rules, groupExtra: "    labels: {severity: page}\n")])
        #expect(only("labels/required-labels", ds).isEmpty)
    }

    @Test func requiredListsAreConfigurable() throws {
        let ds = try lintFiles([
            ".promtool-swift.yml": "required_alert_labels: [team]\nrequired_alert_annotations: []\n",
            "r.yml": ruleFile(alert("A", expr: "up == 0", labels: "team: x")),
        ])
        #expect(only("labels/required-labels", ds).isEmpty)
        #expect(only("labels/required-annotations", ds).isEmpty)
    }

    @Test func valueInLabels() throws {
        let fires = only("labels/value-in-label", try lintFiles([
            "r.yml": ruleFile(alert("A", expr: "up == 0", labels: "severity: page, level: '{{ $value | humanize }}'")),
        ]))
        #expect(fires.count == 1)
        #expect(fires.first?.severity == .error)
        let clean = only("labels/value-in-label", try lintFiles([
            "r.yml": ruleFile(alert("A", expr: "up == 0", labels: "severity: page, v: '{{ $labels.job }} $value'")),
        ]))
        #expect(clean.isEmpty)
        #expect(ValueInLabelsCheck.usesValue("{{ .Value }}"))
        #expect(!ValueInLabelsCheck.usesValue("{{ $labels.value }"))
    }

    @Test func externalLabelCollision() throws {
        let cfg = "global:\n  external_labels:\n    cluster: eu1\n    replica: a\nrule_files: [r.yml]\n"
        let fires = only("labels/external-collision", try lintFiles([
            "prometheus.yml": cfg,
            "r.yml": ruleFile(record("job:up:sum", expr: "sum(up)", extra: "labels: {replica: b}")),
        ]))
        #expect(fires.count == 1)
        #expect(fires.first?.message.contains("replica=\"a\"") == true)
        let clean = only("labels/external-collision", try lintFiles([
            "prometheus.yml": cfg,
            "r.yml": ruleFile(record("job:up:sum", expr: "sum(up)", extra: "labels: {tier: b}")),
        ]))
        #expect(clean.isEmpty)
    }

    @Test func groupLabelsAreCheckedOnce() throws {
        let cfg = "global:\n  external_labels: {replica: a}\nrule_files: [r.yml]\n"
        let rules = record("job:up:sum", expr: "sum(up)") + record("job:up:max", expr: "max(up)")
        let ds = try lintFiles(["prometheus.yml": cfg,
                                "r.yml": ruleFile(rules, groupExtra: "    labels: {replica: b, __x: y}\n")])
        #expect(only("labels/external-collision", ds).count == 1)
        #expect(only("labels/reserved", ds).count == 1)
    }

    @Test func externalLabelMissing() throws {
        let cfg = "global:\n  external_labels: {cluster: eu1}\nrule_files: [r.yml]\n"
        let rule = alert("A", expr: "up == 0", labels: "severity: page, where: '{{ $externalLabels.region }}'")
        let fires = only("labels/external-label-missing", try lintFiles(["prometheus.yml": cfg, "r.yml": ruleFile(rule)]))
        #expect(fires.count == 1)
        #expect(fires.first?.message.contains("it has cluster") == true)
        let ok = alert("A", expr: "up == 0", labels: "severity: page, where: '{{ $externalLabels.cluster }} {{ $labels.job }}'")
        #expect(only("labels/external-label-missing", try lintFiles(["prometheus.yml": cfg, "r.yml": ruleFile(ok)])).isEmpty)
        // Without the configuration the external labels are unknown.
        #expect(only("labels/external-label-missing", try lintFiles(["r.yml": ruleFile(rule)])).isEmpty)
        #expect(TemplateLabelRefs.references(in: "{{ $externalLabels.a }}").isEmpty)
        #expect(TemplateLabelRefs.references(in: "{{ index $labels \"x\" }} {{ .Labels.y }}").map(\.name) == ["x", "y"])
    }

    @Test func reservedLabels() throws {
        let fires = only("labels/reserved", try lintFiles([
            "r.yml": ruleFile(record("job:up:sum", expr: "sum(up)", extra: "labels: {__name__: x, ok: y}")),
        ]))
        #expect(fires.count == 1)
        #expect(fires.first?.message.contains("\"__name__\"") == true)
        let clean = only("labels/reserved", try lintFiles([
            "r.yml": ruleFile(record("job:up:sum", expr: "sum(up)", extra: "labels: {_one: x}")),
        ]))
        #expect(clean.isEmpty)
    }

    @Test func utf8NamesOnlyWhenTargeting2x() throws {
        let files = ["r.yml": ruleFile(record("job:http.requests:rate5m", expr: "up", extra: "labels: {\"service.name\": x, ok: y}"))]
        let v2 = only("labels/utf8-name", try lintFiles(files, version: .v2))
        #expect(v2.count == 2)
        #expect(v2.allSatisfy { $0.severity == .error })
        #expect(only("labels/utf8-name", try lintFiles(files, version: .v3)).isEmpty)
        let legacy = ["r.yml": ruleFile(record("job:http_requests:rate5m", expr: "up", extra: "labels: {service_name: x}"))]
        #expect(only("labels/utf8-name", try lintFiles(legacy, version: .v2)).isEmpty)
        #expect(LegacyNames.isValidMetricName("a:b_c1"))
        #expect(!LegacyNames.isValidMetricName("1a"))
        #expect(!LegacyNames.isValidLabelName("a:b"))
    }
}
