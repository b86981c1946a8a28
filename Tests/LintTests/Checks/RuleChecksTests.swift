import Testing
@testable import Lint

@Suite struct RuleChecksTests {
    @Test func recordingNameFormat() throws {
        let ds = only("rules/recording-name", try lintFiles([
            "r.yml": ruleFile(record("requests_rate", expr: "up") + record("job:requests:rate5m", expr: "up")
                + record("job::rate5m", expr: "up")),
        ]))
        #expect(ds.count == 2)
        #expect(ds.allSatisfy { $0.severity == .info })
        #expect(ds.first?.message.contains("\"requests_rate\"") == true)
    }

    @Test func duplicatesAcrossFiles() throws {
        let a = ruleFile(record("job:up:sum", expr: "sum(up)") + alert("Down", expr: "up == 0"))
        let b = ruleFile(record("job:up:sum", expr: "sum by (job) (up)") + alert("Down", expr: "up == 0", labels: "severity: ticket")
            + record("job:up:sum", expr: "sum(up)", extra: "labels: {env: x}"))
        let ds = only("rules/duplicate", try lintFiles(["a.yml": a, "b.yml": b]))
        #expect(ds.count == 1)
        #expect(ds.first?.file == "b.yml")
        #expect(ds.first?.message.contains("a.yml:4") == true)
        // Without a prometheus.yml saying both are loaded, two files may be alternatives: an info.
        #expect(ds.first?.severity == .info)
        #expect(ds.first?.message.contains("if one Prometheus loads both files") == true)
        let config = "rule_files: [a.yml, b.yml]\nscrape_configs: [{job_name: j}]\n"
        let loaded = only("rules/duplicate", try lintFiles(["a.yml": a, "b.yml": b, "prometheus.yml": config]))
        #expect(loaded.map(\.severity) == [.warning])
        let sameFile = only("rules/duplicate", try lintFiles(["a.yml": ruleFile(alert("Down", expr: "up == 0") + alert("Down", expr: "up == 0"))]))
        #expect(sameFile.map(\.severity) == [.warning])
        let clean = only("rules/duplicate", try lintFiles(["a.yml": a]))
        #expect(clean.isEmpty)
    }
}
