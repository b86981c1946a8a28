import ConfigModel
import Engine
import Foundation
import HTTPTransport
import Query
import Testing
import TestSupport

/// Issue #11: the embedded mode (`--input`) answers every compliance query as the remote mode does on the
/// same data — prometheus/compliance's query list expanded as its tester does, over `compliance.test`'s
/// demo-service-like data backfilled into a real Prometheus 2.42. Instant queries run at off-grid times and
/// one range query on an off-grid grid, so 3.x's left-open windows and 2.x's closed ones see the same
/// samples. Floats compare with the tester's tolerance (fraction 1e-5, NaN equal to NaN), label sets and
/// timestamps exactly. What 2.42 and 3.x answer differently is excluded by a rule (`Exclusion`), counted
/// and printed per reason; every other difference fails the test.
@Suite(.serialized) struct ComplianceEmbeddedRemoteTests {
    /// Off the 15 s sample grid (as `compliance.test`'s evaluations).
    static let instantTimes: [Int64] = [1_887_500, 2_501_300, 3_333_700]
    /// Every step off the grid too: 30m0.7s + k·37s.
    static let range = (start: Int64(1_800_700), end: Int64(4_390_700), step: Int64(37_000))

    /// Why a query is not compared: 2.42 and 3.14 are specified to differ there.
    enum Exclusion: String, CaseIterable {
        case unparsedBy242 = "2.42 cannot parse it (3.x syntax)"
        case utf8LabelNames = "3.x accepts any UTF-8 label name; 2.42 rejects it as invalid"
        case subqueryOnSampleGrid = "a subquery's steps put range-selector windows on the 15 s sample grid (3.x left-open windows, drop-in-differences: range semantics)"
        case counterRestartInWindow = "rate/increase over a window starting inside a series' gap (its first sample follows missing ones): 3.x stops extrapolating at half an interval before the zero point test (prometheus#13725, v2.51), 2.42 tests the zero point first"
    }

    /// (range, offset) in ms of every `rate`/`increase` range selector (the counter extrapolation whose
    /// order of limits changed after 2.42).
    static func counterExtrapolationWindows(_ e: Expr) -> [(range: Int64, offset: Int64)] {
        var out: [(range: Int64, offset: Int64)] = []
        e.walk { node in
            if case .call(let c) = node, c.function.name == "rate" || c.function.name == "increase" {
                for case .matrixSelector(let m) in c.args {
                    let offset: Int64
                    if case .vectorSelector(let v) = m.vectorSelector { offset = v.modifiers.offsetMillis } else { offset = 0 }
                    out.append((m.rangeMillis, offset))
                }
            }
            return true
        }
        return out
    }

    /// The rule for one evaluation: a counter-extrapolation window `(t − offset − range, t − offset]` at one
    /// of `times` starts inside a series' gap, so its first sample is the one after the missing samples.
    static func hasCounterRestart(_ e: Expr, at times: [Int64], gaps: [(before: Int64?, after: Int64)]) -> Bool {
        let windows = counterExtrapolationWindows(e)
        guard !windows.isEmpty else { return false }
        for t in times {
            for w in windows {
                let end = t - w.offset, start = end - w.range
                if gaps.contains(where: { start >= ($0.before ?? .min) && start < $0.after && $0.after <= end }) { return true }
            }
        }
        return false
    }

    /// `v` without the points at `steps` (a range result's evaluations a rule leaves out).
    static func removingSteps(_ steps: Set<Int64>, from v: APIValue) -> APIValue {
        guard case .matrix(let series?) = v else { return v }
        return .matrix(series.compactMap { s in
            var s = s
            s.values.removeAll { steps.contains($0.timestamp) }
            s.histograms.removeAll { steps.contains($0.timestamp) }
            return s.values.isEmpty && s.histograms.isEmpty ? nil : s
        })
    }

    /// The rule for queries whose windows can land on the sample grid whatever the outer time: a subquery
    /// (evaluated at multiples of its step) containing a range selector.
    static func landsOnSampleGrid(_ e: Expr) -> Bool {
        var found = false
        e.walk { node in
            if case .subquery(let s) = node {
                s.expr.walk { inner in
                    if case .matrixSelector = inner { found = true }
                    return !found
                }
            }
            return !found
        }
        return found
    }

    /// The rule for a query 2.42 refused while 3.x (ours) answered.
    static func exclusion(remoteError: PrometheusAPIClient.Failure) -> Exclusion? {
        guard case .api(let e) = remoteError else { return nil }
        if e.type == "bad_data" { return .unparsedBy242 }
        if e.message.contains("invalid destination label name") || e.message.contains("invalid label name") { return .utf8LabelNames }
        return nil
    }

    /// The compliance tester's `cmpopts.EquateApprox(0.00001, 0)` with `EquateNaNs`.
    static func approximatelyEqual(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a == b { return true }
        return abs(a - b) <= 0.00001 * min(abs(a), abs(b))
    }

    /// Nil when `a` and `b` agree; otherwise the first difference, short enough to read.
    static func difference(_ a: APIValue, _ b: APIValue) -> String? {
        switch (a, b) {
        case (.scalar(let ta, let va), .scalar(let tb, let vb)):
            return ta == tb && approximatelyEqual(va, vb) ? nil : "scalar \(va)@\(ta) vs \(vb)@\(tb)"
        case (.string(let ta, let va), .string(let tb, let vb)):
            return ta == tb && va == vb ? nil : "string \(va)@\(ta) vs \(vb)@\(tb)"
        case (.vector(let va), .vector(let vb)):
            let sa = (va ?? []).sorted { key($0.metric) < key($1.metric) }, sb = (vb ?? []).sorted { key($0.metric) < key($1.metric) }
            guard sa.map(\.metric) == sb.map(\.metric) else { return "series \(sa.map(\.metric)) vs \(sb.map(\.metric))" }
            for (x, y) in zip(sa, sb) where !(x.timestamp == y.timestamp && x.histogram == y.histogram && approximatelyEqual(x.value, y.value)) {
                return "\(x.metric): \(x.value)@\(x.timestamp) vs \(y.value)@\(y.timestamp)"
            }
            return nil
        case (.matrix(let ma), .matrix(let mb)):
            let sa = (ma ?? []).sorted { key($0.metric) < key($1.metric) }, sb = (mb ?? []).sorted { key($0.metric) < key($1.metric) }
            guard sa.map(\.metric) == sb.map(\.metric) else { return "series \(sa.map(\.metric)) vs \(sb.map(\.metric))" }
            for (x, y) in zip(sa, sb) {
                if x.histograms != y.histograms { return "\(x.metric): histograms differ" }
                let px = x.values.map { "\($0.timestamp)" }, py = y.values.map { "\($0.timestamp)" }
                if px != py { return "\(x.metric): steps \(Set(px).symmetricDifference(py).sorted().prefix(5)) in one only" }
                for (p, q) in zip(x.values, y.values) where !approximatelyEqual(p.value, q.value) {
                    return "\(x.metric): \(p.value) vs \(q.value) at \(p.timestamp)"
                }
            }
            return nil
        default: return "\(a) vs \(b)"
        }
    }

    static func key(_ m: APIMetric) -> String {
        m.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1}")
    }

    @Test(.needsCorpus) func theTesterExpandsTheQueryListAsTheCorpusRecords() throws {
        let queries = try ComplianceCorpus.queries()
        // compliance.test's header: "539 queries" expanded by the tester's expand.go.
        #expect(queries.count == 539)
        #expect(queries.contains(ComplianceCorpus.Query(text: "rate(demo_cpu_usage_seconds_total[1h])", shouldFail: false)))
        #expect(queries.contains(ComplianceCorpus.Query(text: "quantile_over_time(0.90, demo_memory_usage_bytes[15m])", shouldFail: false)))
        #expect(queries.filter(\.shouldFail).count == 5)
        #expect(queries.allSatisfy { !$0.text.contains("{{") })
    }

    @Test(.needsCorpus, .needsPrometheus) func embeddedAnswersAsTheRemoteModeForEveryComplianceQuery() throws {
        let data = try ComplianceCorpus.data()
        let prometheus = try PrometheusFixture.start(openMetrics: data.openMetrics)
        defer { prometheus.stop() }
        let discard = CommandOutput(out: { _ in }, err: { _ in })
        let loaded = try #require(EmbeddedQuery.load(EmbeddedQuery.Settings(inputs: [prometheus.directory + "/input.om"]), sampleTime: 0, output: discard))
        let server = try GoURL.parse(prometheus.url).get()
        let transport = try HTTPTransport()
        defer { transport.shutdown() }
        let client = PrometheusAPIClient(server: server, transport: transport, timeout: .seconds(30))
        let r = Self.range
        let rangeSteps = Array(stride(from: r.start, through: r.end, by: Int(r.step)))

        var compared = 0, bothFailed = 0, queriesCompared = 0
        var excluded: [Exclusion: Int] = [:]
        var mismatches: [String] = []
        let queries = try ComplianceCorpus.queries()
        for q in queries {
            let parsed = try? PromQLParser.parse(q.text, options: loaded.engine.options.parserOptions)
            if let parsed, Self.landsOnSampleGrid(parsed) {
                excluded[.subqueryOnSampleGrid, default: 0] += Self.instantTimes.count + 1
                continue
            }
            typealias Run = (what: String, times: [Int64], remote: Result<APIValue, PrometheusAPIClient.Failure>, embedded: Result<APIValue, PromQLEvalError>?)
            var runs: [Run] = []
            for t in Self.instantTimes {
                let remote = Result { () throws(PrometheusAPIClient.Failure) in try client.query(q.text, at: QueryTime(millis: t)).value }
                let embedded = parsed.map { p in
                    Result { () throws(PromQLEvalError) in APIValue(try loaded.engine.instantQuery(p, at: t, source: loaded.head).value) }
                }
                runs.append(("instant at \(t) ms", [t], remote, embedded))
            }
            let remote = Result { () throws(PrometheusAPIClient.Failure) in
                try client.queryRange(q.text, start: QueryTime(millis: r.start), end: QueryTime(millis: r.end), step: GoDuration(nanos: r.step * 1_000_000)).value
            }
            let embedded = parsed.map { p in
                Result { () throws(PromQLEvalError) in
                    APIValue(try loaded.engine.rangeQuery(p, start: r.start, end: r.end, step: r.step, source: loaded.head).value)
                }
            }
            runs.append(("range \(r.start)–\(r.end) ms step \(r.step) ms", rangeSteps, remote, embedded))

            var failures: [String] = []
            var answered = false
            for var run in runs {
                // The rule applies per evaluation time: an instant run is left out, a range run loses those steps.
                let hit = parsed.map { p in run.times.filter { Self.hasCounterRestart(p, at: [$0], gaps: data.gaps) } } ?? []
                if !hit.isEmpty {
                    excluded[.counterRestartInWindow, default: 0] += hit.count
                    if run.times.count == hit.count { continue }
                    let drop = Set(hit)
                    run.remote = run.remote.map { Self.removingSteps(drop, from: $0) }
                    run.embedded = run.embedded.map { $0.map { Self.removingSteps(drop, from: $0) } }
                }
                switch (run.remote, run.embedded) {
                case (.success(let a), .success(let b)?):
                    answered = true
                    compared += 1
                    if let d = Self.difference(a, b) { failures.append("\(run.what): remote vs embedded: \(d)") }
                case (.failure, .failure?), (.failure, nil):
                    compared += 1
                    bothFailed += 1
                case (.failure(let e), .success?):
                    if let rule = Self.exclusion(remoteError: e) {
                        excluded[rule, default: 0] += 1
                    } else {
                        failures.append("\(run.what): remote failed (\(e.promtoolMessage)), embedded answered")
                    }
                case (.success, .failure(let e)?):
                    failures.append("\(run.what): embedded failed (\(e.message)), remote answered")
                case (.success, nil):
                    failures.append("\(run.what): we cannot parse it, remote answered")
                }
            }
            if !failures.isEmpty {
                mismatches.append("\(q.text)\n  " + failures.joined(separator: "\n  "))
            } else {
                queriesCompared += 1
                if q.shouldFail && answered { mismatches.append("\(q.text): should fail (compliance list) but both answered") }
            }
        }
        print("compliance embedded-vs-remote: \(queries.count) queries × \(Self.instantTimes.count + 1) evaluations "
            + "(\(Self.instantTimes.count) instant, 1 range of \(rangeSteps.count) steps): \(compared) evaluations compared "
            + "(\(bothFailed) failing in both); \(queriesCompared) queries agree, \(mismatches.count) mismatched")
        for rule in Exclusion.allCases {
            print("  excluded \(excluded[rule] ?? 0) \(rule == .counterRestartInWindow ? "evaluation times" : "evaluations"): \(rule.rawValue)")
        }
        let report = mismatches.joined(separator: "\n")
        #expect(mismatches.isEmpty, "\(mismatches.count) queries differ:\n\(report)")
        #expect(compared >= 2000, "too few evaluations compared: \(compared)")
    }
}
