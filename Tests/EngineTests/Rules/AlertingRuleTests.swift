import Testing
@testable import Engine

/// The alerting-rule state machine, `keep_firing_for`, limits, templates and the ALERTS series, evaluated
/// on a real head and engine.
@Suite struct AlertingRuleTests {
    /// A head with `up{job="a"}` = values[i] at minute i (nil: no sample).
    private func head(_ values: [Double?]) throws -> Head {
        let h = Head()
        for (i, v) in values.enumerated() {
            if let v { _ = try h.append(Labels([("__name__", "up"), ("job", "a")]), t: Int64(i) * 60_000, v: v) }
        }
        return h
    }

    private func rule(_ expr: String, hold: Int64 = 0, keepFiringFor: Int64 = 0, labels: [(String, String)] = [],
                      annotations: [(String, String)] = []) throws -> AlertingRule {
        AlertingRule(name: "A", expr: try PromQLParser.parse(expr), holdMillis: hold, keepFiringForMillis: keepFiringFor,
                     labels: Labels(labels), annotations: Labels(sorted: annotations.sorted { $0.0 < $1.0 }.map { .init($0.0, $0.1) }),
                     externalLabels: ["cluster": "eu"], externalURL: "http://prom.example:9090/p")
    }

    private func states(_ r: AlertingRule) -> [AlertState] { r.activeAlerts.map(\.state) }

    @Test func inactivePendingFiringResolved() throws {
        let h = try head([0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1])
        let q = RuleQuerier(engine: PromQLEngine(), head: h)
        var r = try rule("up == 0", hold: 120_000)
        _ = try r.eval(at: 0, queryOffsetMillis: 0, limit: 0, querier: q)
        #expect(states(r) == [.pending])
        _ = try r.eval(at: 60_000, queryOffsetMillis: 0, limit: 0, querier: q)
        #expect(states(r) == [.pending])
        let samples = try r.eval(at: 120_000, queryOffsetMillis: 0, limit: 0, querier: q)
        #expect(states(r) == [.firing])
        #expect(r.activeAlerts.first?.firedAt == 120_000)
        #expect(samples.map(\.labels.description).sorted() == [
            #"{__name__="ALERTS", alertname="A", alertstate="firing", job="a"}"#,
            #"{__name__="ALERTS_FOR_STATE", alertname="A", job="a"}"#,
        ])
        #expect(samples.first { $0.labels.metricName == "ALERTS_FOR_STATE" }?.f == 0)
        // Resolved: no longer active, kept (inactive) for 15 minutes, then dropped.
        let resolved = try r.eval(at: 240_000, queryOffsetMillis: 0, limit: 0, querier: q)
        #expect(resolved.isEmpty)
        #expect(r.activeAlerts.isEmpty)
        #expect(r.active.values.first?.state == .inactive)
        #expect(r.active.values.first?.resolvedAt == 240_000)
        _ = try r.eval(at: 240_000 + AlertingRule.resolvedRetentionMillis + 60_000, queryOffsetMillis: 0, limit: 0, querier: q)
        #expect(r.active.isEmpty)
    }

    @Test func pendingThatStopsIsDroppedAtOnce() throws {
        let h = try head([0, 1, 1])
        let q = RuleQuerier(engine: PromQLEngine(), head: h)
        var r = try rule("up == 0", hold: 300_000)
        _ = try r.eval(at: 0, queryOffsetMillis: 0, limit: 0, querier: q)
        #expect(states(r) == [.pending])
        _ = try r.eval(at: 60_000, queryOffsetMillis: 0, limit: 0, querier: q)
        #expect(r.active.isEmpty)
    }

    @Test func withoutForItFiresAtOnce() throws {
        let q = RuleQuerier(engine: PromQLEngine(), head: try head([0]))
        var r = try rule("up == 0")
        _ = try r.eval(at: 0, queryOffsetMillis: 0, limit: 0, querier: q)
        #expect(states(r) == [.firing])
    }

    @Test func keepFiringFor() throws {
        let h = try head([0, 1, 1, 1, 1, 1, 1])
        let q = RuleQuerier(engine: PromQLEngine(), head: h)
        var r = try rule("up == 0", keepFiringFor: 120_000)
        _ = try r.eval(at: 0, queryOffsetMillis: 0, limit: 0, querier: q)
        #expect(states(r) == [.firing])
        // The condition is gone at 1m: still firing while less than keep_firing_for has passed since then.
        let kept = try r.eval(at: 60_000, queryOffsetMillis: 0, limit: 0, querier: q)
        #expect(states(r) == [.firing])
        #expect(r.activeAlerts.first?.keepFiringSince == 60_000)
        #expect(kept.count == 2)
        _ = try r.eval(at: 120_000, queryOffsetMillis: 0, limit: 0, querier: q)
        #expect(states(r) == [.firing])
        _ = try r.eval(at: 180_000, queryOffsetMillis: 0, limit: 0, querier: q)
        #expect(r.activeAlerts.isEmpty)
    }

    @Test func limitAndDuplicateLabelSets() throws {
        let h = Head()
        _ = try h.append(Labels([("__name__", "x"), ("i", "1")]), t: 0, v: 1)
        _ = try h.append(Labels([("__name__", "x"), ("i", "2")]), t: 0, v: 1)
        let q = RuleQuerier(engine: PromQLEngine(), head: h)
        var r = try rule("x")
        #expect(throws: RuleEvalError("exceeded limit of 1 with 2 alerts")) {
            _ = try r.eval(at: 0, queryOffsetMillis: 0, limit: 1, querier: q)
        }
        #expect(r.active.isEmpty)
        var dup = try rule("x", labels: [("i", "same")])
        #expect(throws: RuleEvalError.duplicateAlertLabelSet) {
            _ = try dup.eval(at: 0, queryOffsetMillis: 0, limit: 0, querier: q)
        }
    }

    @Test func templatesSeeLabelsValueExternalsAndQuery() throws {
        let h = try head([0.123456])
        let q = RuleQuerier(engine: PromQLEngine(), head: h)
        var r = try rule("up", labels: [("sev", "{{ if gt $value 0.1 }}page{{ else }}ticket{{ end }}")], annotations: [
            ("value", "{{ $value }}"),
            ("pct", "{{ $value | humanizePercentage }}"),
            ("human", "{{ 1234567 | humanize }} {{ 90061 | humanizeDuration }}"),
            ("ext", "{{ $externalLabels.cluster }} {{ $externalURL }}"),
            ("job", "{{ $labels.job }}"),
            ("q", "{{ with query \"up * 2\" }}{{ . | first | value }}{{ end }}"),
        ])
        _ = try r.eval(at: 0, queryOffsetMillis: 0, limit: 0, querier: q)
        let a = try #require(r.activeAlerts.first)
        #expect(a.labels["sev"] == "page")
        #expect(a.annotations["value"] == "0.123456")
        #expect(a.annotations["pct"] == "12.35%")
        #expect(a.annotations["human"] == "1.235M 1d 1h 1m 1s")
        #expect(a.annotations["ext"] == "eu http://prom.example:9090/p")
        #expect(a.annotations["job"] == "a")
        #expect(a.annotations["q"] == "0.246912")
    }

    @Test func expansionErrorsBecomeTheAnnotationText() throws {
        let q = RuleQuerier(engine: PromQLEngine(), head: try head([1]))
        var r = try rule("up", annotations: [
            ("exec", "{{ query \"up[\" }}"),
            ("parse", "{{ if }}"),
        ])
        _ = try r.eval(at: 0, queryOffsetMillis: 0, limit: 0, querier: q)
        let a = try #require(r.activeAlerts.first)
        #expect(a.annotations["parse"]?.hasPrefix("<error expanding template: error parsing template __alert_A: template: __alert_A:1: missing value for if") == true)
        #expect(a.annotations["exec"]?.hasPrefix("<error expanding template: error executing template __alert_A: template: __alert_A:1:") == true)
        #expect(a.annotations["exec"]?.contains("error calling query: 1:4: parse error:") == true)
    }

    @Test func emptyAnnotationValuesAreKept() throws {
        let q = RuleQuerier(engine: PromQLEngine(), head: try head([1]))
        var r = try rule("up", annotations: [("empty", "")])
        _ = try r.eval(at: 0, queryOffsetMillis: 0, limit: 0, querier: q)
        #expect(r.activeAlerts.first?.annotations.description == #"{empty=""}"#)
    }
}

/// Group evaluation: recording results are visible to later rules, stale markers, query_offset, errors.
@Suite struct RuleGroupEvaluatorTests {
    private func group(_ rules: [LoadedRule], offset: Int64 = 0, limit: Int = 0) -> RuleGroupEvaluator {
        RuleGroupEvaluator(name: "g", file: "f.yml", queryOffsetMillis: offset, limit: limit, rules: rules)
    }

    @Test func laterRulesSeeEarlierResultsAndAlerts() throws {
        let h = Head()
        _ = try h.append(Labels([("__name__", "x"), ("j", "a")]), t: 0, v: 2)
        let q = RuleQuerier(engine: PromQLEngine(), head: h)
        var g = group([
            .recording(RecordingRule(name: "x:doubled", expr: try PromQLParser.parse("x * 2"), labels: Labels([("r", "1")]))),
            .recording(RecordingRule(name: "y", expr: try PromQLParser.parse("x:doubled + 1"), labels: Labels())),
            .alerting(AlertingRule(name: "Big", expr: try PromQLParser.parse("y > 4"), holdMillis: 0, keepFiringForMillis: 0,
                                   labels: Labels(), annotations: Labels())),
            .recording(RecordingRule(name: "alerts", expr: try PromQLParser.parse("count(ALERTS)"), labels: Labels())),
        ])
        g.eval(at: 0, querier: q)
        #expect(g.lastErrors.allSatisfy { $0 == nil })
        let y = try q.vector("y", at: 0)
        #expect(y.map(\.labels.description) == [#"{__name__="y", j="a", r="1"}"#])
        #expect(y.first?.f == 5)
        #expect(try q.vector("alerts", at: 0).first?.f == 1)
    }

    @Test func seriesThatDisappearGetStaleMarkers() throws {
        let h = Head()
        _ = try h.append(Labels([("__name__", "x")]), t: 0, v: 1)
        _ = try h.append(Labels([("__name__", "x")]), t: 60_000, v: 0)
        let q = RuleQuerier(engine: PromQLEngine(), head: h)
        var g = group([.recording(RecordingRule(name: "r", expr: try PromQLParser.parse("x > 0"), labels: Labels()))])
        g.eval(at: 0, querier: q)
        #expect(try q.vector("r", at: 30_000).count == 1)
        g.eval(at: 60_000, querier: q)
        #expect(try q.vector("r", at: 60_000).isEmpty)
    }

    @Test func queryOffsetShiftsQueryAndSampleTime() throws {
        let h = Head()
        _ = try h.append(Labels([("__name__", "x")]), t: 0, v: 7)
        _ = try h.append(Labels([("__name__", "x")]), t: 60_000, v: 8)
        let q = RuleQuerier(engine: PromQLEngine(), head: h)
        var g = group([.recording(RecordingRule(name: "r", expr: try PromQLParser.parse("x"), labels: Labels()))], offset: 60_000)
        g.eval(at: 60_000, querier: q)
        let r = try #require(h.select([try LabelMatcher(.equal, "__name__", "r")], mint: 0, maxt: 120_000).first)
        #expect(r.samples.map(\.t) == [0])
        #expect(r.samples.first?.float == 7)
    }

    @Test func errorsAreKeptPerRule() throws {
        let h = Head()
        _ = try h.append(Labels([("__name__", "x"), ("i", "1")]), t: 0, v: 1)
        _ = try h.append(Labels([("__name__", "x"), ("i", "2")]), t: 0, v: 1)
        let q = RuleQuerier(engine: PromQLEngine(), head: h)
        var g = group([
            .recording(RecordingRule(name: "r", expr: try PromQLParser.parse("x"), labels: Labels([("i", "same")]))),
            .recording(RecordingRule(name: "s", expr: try PromQLParser.parse("x"), labels: Labels())),
        ], limit: 1)
        g.eval(at: 0, querier: q)
        #expect(g.lastErrors[0] == .duplicateRecordingLabelSet)
        #expect(g.lastErrors[1] == RuleEvalError("exceeded limit of 1 with 2 series"))
    }
}
