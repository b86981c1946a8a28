import Foundation
import Testing
@testable import Lint

/// The false-positive classes seen on real-world rules (issue #13), each as a minimal pattern written for
/// the test: the finding that must stay, and the one that must go.
@Suite struct RealWorldPatternTests {
    // MARK: rate-on-gauge needs evidence

    @Test func counterNamesWithoutTotalAreNotGauges() throws {
        for counter in ["node_vmstat_pgmajfault", "pg_stat_database_xact_commit", "kubelet_evictions",
                        "nginx_ingress_controller_requests", "ifHCInOctets", "envoy_cluster_upstream_rq_completed"] {
            #expect(try lintRules(record("job:x:rate5m", expr: "sum(rate(\(counter)[5m]))"), "promql/rate-on-gauge").isEmpty, "\(counter)")
        }
    }

    @Test func gaugeNamesAreReportedWithTheirEvidence() throws {
        for (gauge, suffix) in [("workqueue_depth", "_depth"), ("http_requests_in_flight", "_in_flight"),
                                ("nginx_active_connections", "_active_connections"), ("cpu_temperature_celsius", "_temperature_celsius"),
                                ("cache_hit_ratio", "_ratio"), ("ceph_osd_up", "_up")] {
            let ds = try lintRules(record("job:x:rate5m", expr: "sum(rate(\(gauge)[5m]))"), "promql/rate-on-gauge")
            #expect(ds.count == 1, "\(gauge)")
            #expect(ds.first?.message.contains("its name ends in \(suffix)") == true, "\(gauge)")
        }
    }

    @Test func metricMetadataDecides() throws {
        let exposition = """
            # HELP app_queue Jobs waiting.
            # TYPE app_queue gauge
            app_queue 3
            # TYPE conn_active counter
            # TYPE app_events counter

            """
        let config = [".promtool-swift.yml": "metric_metadata: [meta/metrics.prom]\n", "meta/metrics.prom": exposition]
        let gauge = try lintRules(record("job:q:rate", expr: "sum(rate(app_queue[5m]))"), "promql/rate-on-gauge", extra: config)
        #expect(gauge.count == 1)
        #expect(gauge.first?.message.contains("# TYPE in meta/metrics.prom is gauge") == true)
        // Metadata outranks the name: `_active` is a counter here.
        #expect(try lintRules(record("job:c:rate", expr: "sum(rate(conn_active[5m]))"), "promql/rate-on-gauge", extra: config).isEmpty)
        // ... and makes delta() on a counter without `_total` visible.
        let delta = try lintRules(record("job:e:delta", expr: "sum(delta(app_events[5m]))"), "promql/delta-on-counter", extra: config)
        #expect(delta.count == 1)

        let json = """
            {"status":"success","data":{"app_queue":[{"type":"gauge","help":"Jobs waiting.","unit":""}],
             "app_events":[{"type":"counter","help":"","unit":""}]}}
            """
        let fromAPI = [".promtool-swift.yml": "metric_metadata: [metadata.json]\n", "metadata.json": json]
        #expect(try lintRules(record("job:q:rate", expr: "sum(rate(app_queue[5m]))"), "promql/rate-on-gauge", extra: fromAPI).count == 1)
        #expect(try lintRules(record("job:e:rate", expr: "sum(rate(app_events[5m]))"), "promql/rate-on-gauge", extra: fromAPI).isEmpty)
    }

    @Test func unreadableMetadataIsALintConfigurationError() throws {
        let ds = try lintFiles(["r.yml": ruleFile(record("a:b:c", expr: "sum(x)")),
                                ".promtool-swift.yml": "metric_metadata: [missing.prom]\n"])
        #expect(only(InputErrors.lintConfig, ds).count == 1)
        #expect(only(InputErrors.lintConfig, ds).first?.message.contains("cannot read missing.prom") == true)
    }

    // MARK: alert-no-condition: the matcher can be the condition

    @Test func infoMatcherIsTheCondition() throws {
        for expr in ["node_network_info{operstate=\"down\"}", "iface_info{duplex!=\"full\"}",
                     "subsystem_metadata{allow_any_host=\"yes\"}", "ALERTS{alertstate=\"firing\",severity=\"page\"}"] {
            #expect(try lintRules(alert("A", expr: "'\(expr)'"), "promql/alert-no-condition").isEmpty, "\(expr)")
        }
        // A gauge per state still needs a comparison; so does an info metric filtered by where it comes from.
        for expr in ["sum(endpoint_state{state=\"invalid\"}) by (pod)", "up{job=\"api\"}", "kube_pod_info{namespace=\"x\"}"] {
            #expect(try lintRules(alert("A", expr: "'\(expr)'"), "promql/alert-no-condition").count == 1, "\(expr)")
        }
    }

    // MARK: template-dropped: the dot inside range/with

    @Test func dotInsideRangeIsTheQueryResult() throws {
        func annotated(_ text: String) -> String {
            "      - alert: A\n        expr: sum(errors) > 1\n        labels: {severity: page}\n"
                + "        annotations:\n          summary: '\(text)'\n"
        }
        let quiet = #"{{ range query "up" }}{{ .Labels.instance }}{{ end }} and {{ with query "x" }}{{ (. | first).Labels.job }}{{ end }}"#
        #expect(try lintRules(annotated(quiet), "labels/template-dropped").isEmpty)
        // `$labels` is the alert's everywhere, and a dot reference outside the block is reported as written.
        let loud = #"{{ range query "up" }}{{ $labels.instance }}{{ end }} {{ .Labels.job }}"#
        let ds = try lintRules(annotated(loud), "labels/template-dropped")
        #expect(ds.count == 2)
        #expect(ds.map { $0.message.contains("uses $labels.instance") } == [true, false])
        #expect(ds.last?.message.contains("uses .Labels.job") == true)
    }

    // MARK: duplicates count within what one Prometheus loads

    @Test func copiesInOtherEnvironmentsAreNotDuplicates() throws {
        let rules = ruleFile(alert("Down", expr: "up == 0"))
        #expect(only("rules/duplicate", try lintFiles(["staging/a.yml": rules, "production/a.yml": rules])).isEmpty)
        // Two servers of a monorepo, each with its prometheus.yml and its copy of the rules.
        let config = "global: {external_labels: {dc: X}}\nrule_files: [rules.yml]\nscrape_configs: [{job_name: j}]\n"
        let mono = try lintFiles(["eu/prometheus.yml": config.replacingOccurrences(of: "X", with: "eu"), "eu/rules.yml": rules,
                                  "us/prometheus.yml": config.replacingOccurrences(of: "X", with: "us"), "us/rules.yml": rules])
        #expect(only("rules/duplicate", mono).isEmpty)
        // Within one directory they still are (an info: the files may be alternatives).
        #expect(only("rules/duplicate", try lintFiles(["rules/a.yml": rules, "rules/b.yml": rules])).map(\.severity) == [.info])
    }

    @Test func recordingRulesOverDisjointSeriesAreNotDuplicates() throws {
        for (a, b) in [("sum by (namespace) (up{namespace=\"a\"})", "sum by (namespace) (up{namespace=\"b\"})"),
                       ("sum by (code) (increase(req_total{code=~\"2..\"}[1h]))", "sum by (code) (increase(req_total{code=~\"5..\"}[1h]))"),
                       ("label_replace(up{job=\"a\"}, \"check\", \"probe\", \"\", \"\")", "min by (service) (up)"),
                       ("max(kube_deployment_status_replicas_available)", "max(grafana_ds_up)")] {
            let ds = try lintRules(record("konflux_up", expr: "'\(a)'") + record("konflux_up", expr: "'\(b)'"), "rules/duplicate")
            #expect(ds.isEmpty, "\(a) | \(b)")
        }
        for (a, b) in [("sum(up)", "sum(up)"), ("up{namespace=~\"a|b\"}", "up{namespace=\"b\"}")] {
            let ds = try lintRules(record("job:up:sum", expr: "'\(a)'") + record("job:up:sum", expr: "'\(b)'"), "rules/duplicate")
            #expect(ds.count == 1, "\(a) | \(b)")
        }
    }

    @Test func alertsOfOneNameWithDifferentConditionsAreNotDuplicates() throws {
        let variants = alert("CompactionStuck", expr: "'time() - last_run_seconds > 86400'")
            + alert("CompactionStuck", expr: "'last_run_seconds == 0'")
        #expect(try lintRules(variants, "rules/duplicate").isEmpty)
        let copy = alert("CompactionStuck", expr: "'last_run_seconds == 0'") + alert("CompactionStuck", expr: "'last_run_seconds  ==  0'")
        #expect(try lintRules(copy, "rules/duplicate").count == 1)
    }

    // MARK: intervals

    @Test func noScrapeJobsNoScrapeComparison() throws {
        let otlp = "global: {scrape_interval: 1m, evaluation_interval: 15s}\notlp: {promote_resource_attributes: [service.name]}\n"
        #expect(only("interval/evaluation-vs-scrape", try lintFiles(["prometheus.yml": otlp])).isEmpty)
        let scraping = otlp + "scrape_configs: [{job_name: app}]\n"
        #expect(only("interval/evaluation-vs-scrape", try lintFiles(["prometheus.yml": scraping])).count == 1)
    }

    @Test func forDurationSaysWhereTheIntervalComesFrom() throws {
        let rule = alert("A", expr: "up == 0", extra: "for: 30s")
        let assumed = try lintRules(rule, "interval/for-duration")
        #expect(assumed.count == 1)
        #expect(assumed.first?.severity == .info)
        #expect(assumed.first?.message.contains("assumed to be Prometheus's default 1m") == true)
        #expect(assumed.first?.message.contains("set evaluation_interval in .promtool-swift.yml") == true)
        #expect(try lintRules(rule, "interval/for-duration", extra: [".promtool-swift.yml": "evaluation_interval: 30s\n"]).isEmpty)
        let group = only("interval/for-duration", try lintFiles(["r.yml": ruleFile(rule, groupExtra: "    interval: 1m\n")]))
        #expect(group.first?.severity == .warning)
        #expect(group.first?.message.contains("the group's interval 1m") == true)
    }

    // MARK: required annotations

    @Test func descriptionOrMessageSatisfiesTheDefaultSummary() throws {
        let described = "      - alert: A\n        expr: up == 0\n        labels: {severity: page}\n"
            + "        annotations: {description: the api is down}\n"
        #expect(try lintRules(described, "labels/required-annotations").isEmpty)
        let configured = [".promtool-swift.yml": "required_alert_annotations: [summary]\n"]
        #expect(try lintRules(described, "labels/required-annotations", extra: configured).count == 1)
        let bare = "      - alert: A\n        expr: up == 0\n        labels: {severity: page}\n"
        #expect(try lintRules(bare, "labels/required-annotations").count == 1)
    }
}

/// Which files `lint` looks at: walking skips build output, fuzzing corpora and ignored files; `-` is stdin.
@Suite struct LintInputSelectionTests {
    let broken = "groups:\n  - name: [\n"

    @Test func walkSkipsIgnoredAndFuzzDirectories() throws {
        let f = try LintFixture([
            ".gitignore": "/generated/\n*.tmp.yml\n!keep.tmp.yml\n",
            "generated/r.yml": broken, "Fuzz/seeds/r.yml": broken, ".build/x/r.yml": broken,
            "a.tmp.yml": broken, "keep.tmp.yml": broken, "sub/.gitignore": "local.yml\n", "sub/local.yml": broken,
            "rules/generated/r.yml": broken,
        ])
        defer { f.remove() }
        let files = Set(f.lint().diagnostics.map(\.file))
        // `/generated/` is anchored to the repository root; `rules/generated` is not ignored.
        #expect(files == ["keep.tmp.yml", "rules/generated/r.yml"])
        // Named explicitly, an ignored file is linted.
        #expect(f.lint(["generated/r.yml"]).diagnostics.count == 1)
    }

    @Test func standardInput() throws {
        let f = try LintFixture(["r.yml": ruleFile(alert("A", expr: "up == 0"))])
        defer { f.remove() }
        var options = LintOptions(paths: ["-"], workingDirectory: f.root)
        options.standardInput = Array(ruleFile("      - alert: B\n        expr: up == 0\n").utf8)
        let ds = Linter().run(options).diagnostics
        #expect(ds.map(\.file).allSatisfy { $0 == "<stdin>" })
        #expect(only("labels/required-labels", ds).count == 1)
        // A configuration on stdin finds its rule files relative to the working directory.
        options.standardInput = Array("rule_files: [r.yml]\nscrape_configs: [{job_name: j}]\n".utf8)
        #expect(Linter().run(options).filesChecked == ["<stdin>", "r.yml"])
    }
}
