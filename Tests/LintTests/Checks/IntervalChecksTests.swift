import Testing
@testable import Lint

@Suite struct IntervalChecksTests {
    func config(_ global: String, jobs: String = "") -> String {
        "global:\n" + global + "scrape_configs:\n" + (jobs.isEmpty ? "  - job_name: j\n    sample_limit: 1\n    label_limit: 1\n" : jobs)
    }

    @Test func scrapeTimeoutLongerThanIntervalFires() throws {
        let ds = only("interval/scrape-timeout", try lintFiles(["p.yml": config("  scrape_interval: 15s\n  scrape_timeout: 20s\n")]))
        #expect(ds.count == 1)  // the job inherits the timeout capped to its interval, as Prometheus does
        #expect(ds.first?.range.start == SourcePosition(line: 3, column: 19))
        #expect(ds.allSatisfy { $0.severity == .error })
        let eq = only("interval/scrape-timeout", try lintFiles(["p.yml": config("", jobs: "  - job_name: j\n    scrape_interval: 30s\n    scrape_timeout: 30s\n")]))
        #expect(eq.count == 1)
        #expect(eq.first?.severity == .info)
    }

    @Test func scrapeTimeoutBelowIntervalIsClean() throws {
        let ds = try lintFiles(["p.yml": config("  scrape_interval: 15s\n  scrape_timeout: 10s\n",
                                                jobs: "  - job_name: j\n    scrape_interval: 5s\n")])
        #expect(only("interval/scrape-timeout", ds).isEmpty)  // inherited 10s is capped to the job's 5s
    }

    @Test func scrapeIntervalOverTwoMinutes() throws {
        let fires = only("interval/scrape-too-long", try lintFiles(["p.yml": config("  scrape_interval: 5m\n  scrape_timeout: 10s\n",
            jobs: "  - job_name: slow\n    scrape_interval: 3m\n")]))
        #expect(fires.count == 2)
        let clean = only("interval/scrape-too-long", try lintFiles(["p.yml": config("  scrape_interval: 2m\n")]))
        #expect(clean.isEmpty)
    }

    @Test func evaluationShorterThanScrape() throws {
        let fires = only("interval/evaluation-vs-scrape", try lintFiles(["p.yml": config("  scrape_interval: 30s\n  evaluation_interval: 15s\n")]))
        #expect(fires.count == 1)
        #expect(fires.first?.range.start.line == 3)
        let clean = only("interval/evaluation-vs-scrape", try lintFiles(["p.yml": config("  scrape_interval: 30s\n  evaluation_interval: 30s\n")]))
        #expect(clean.isEmpty)
        let groupFile = ruleFile(alert("A", expr: "up == 0") + alert("B", expr: "up == 0"), groupExtra: "    interval: 10s\n")
        let group = only("interval/evaluation-vs-scrape", try lintFiles([
            "r.yml": groupFile,
            "prometheus.yml": "global: {scrape_interval: 30s, evaluation_interval: 30s}\nrule_files: [r.yml]\nscrape_configs: [{job_name: j}]\n",
        ]))
        #expect(group.count == 1)  // once per group, against the configuration's scrape interval
        #expect(group.first?.range.start.line == 3)
        // Without a configuration the scrape interval is unknown unless the lint configuration assumes one.
        #expect(only("interval/evaluation-vs-scrape", try lintFiles(["r.yml": groupFile])).isEmpty)
        #expect(only("interval/evaluation-vs-scrape", try lintFiles(["r.yml": groupFile, ".promtool-swift.yml": "scrape_interval: 15s\n"])).count == 1)
        let groupOK = only("interval/evaluation-vs-scrape", try lintFiles([
            "r.yml": ruleFile(alert("A", expr: "up == 0"), groupExtra: "    interval: 2m\n"),
        ]))
        #expect(groupOK.isEmpty)
    }

    @Test func forShorterOrNotAMultiple() throws {
        let short = only("interval/for-duration", try lintFiles([
            "r.yml": ruleFile(alert("A", expr: "up == 0", extra: "for: 30s")),
            ".promtool-swift.yml": "evaluation_interval: 1m\n",
        ]))
        #expect(short.count == 1)
        #expect(short.first?.severity == .warning)
        #expect(short.first?.message.contains("shorter than the evaluation_interval 1m assumed in the lint configuration") == true)
        let odd = only("interval/for-duration", try lintFiles([
            "r.yml": ruleFile(alert("A", expr: "up == 0", extra: "for: 90s"), groupExtra: "    interval: 1m\n"),
        ]))
        #expect(odd.count == 1)
        #expect(odd.first?.severity == .info)
        #expect(odd.first?.message.contains("fires only after 2m") == true)
        let ok = only("interval/for-duration", try lintFiles([
            "r.yml": ruleFile(alert("A", expr: "up == 0", extra: "for: 5m") + alert("B", expr: "up == 0")),
        ]))
        #expect(ok.isEmpty)
    }

    @Test func forIsJudgedAgainstTheConfigsEvaluationInterval() throws {
        let files = [
            "prometheus.yml": "global:\n  evaluation_interval: 15s\n  scrape_interval: 15s\nrule_files: [r.yml]\n",
            "r.yml": ruleFile(alert("A", expr: "up == 0", extra: "for: 30s")),
        ]
        #expect(only("interval/for-duration", try lintFiles(files)).isEmpty)
        #expect(only("interval/for-duration", try lintFiles(files, paths: ["r.yml"])).count == 1)
    }
}
