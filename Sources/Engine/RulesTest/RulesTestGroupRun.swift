import GoCompat
import ConfigModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one test group of a unit-test file the way promtool's `testGroup.test` does: load the input series
/// lazily, evaluate every rule group at each evaluation interval from the start time to the largest
/// `eval_time`, compare firing alerts at the alert tests' times, then run the expression tests.
struct RulesTestGroupRun: Sendable {
    let group: UnitTestGroup
    /// `name`, or `unnamed#N`.
    let displayName: String
    let testFile: String
    let evaluationIntervalMillis: Int64
    /// Rule groups in evaluation order (`group_eval_order` first), as file models with their file names.
    let ruleGroups: [(file: String, group: RuleGroup)]
    /// Why the rule files could not be loaded (reported after the input series, as promtool orders it).
    let ruleLoadFailures: [RulesTestFailure]
    let fuzzyCompare: Bool
    let options: RulesTestOptions

    /// What the run found, plus `--debug` lines (stderr) in order.
    struct Outcome: Sendable {
        var failures: [RulesTestFailure] = []
        var debugLines: [String] = []
        /// Names of alerts asked for by alert tests, and expressions of expression tests (for `--coverage`).
        var testedAlertNames: Set<String> = []
        var testedExpressions: [String] = []
    }

    private func failure(_ message: String, _ mark: Mark?, expected: String? = nil, got: String? = nil) -> RulesTestFailure {
        RulesTestFailure(message: message, file: testFile, mark: mark, expected: expected, got: got)
    }

    func run() -> Outcome {
        LargeStack.run { runInPlace() }
    }

    private func runInPlace() -> Outcome {
        var out = Outcome()
        out.testedAlertNames = Set(group.alertRuleTests.map(\.alertname))
        out.testedExpressions = group.promqlExprTests.map(\.expr.value)
        let started = Self.nowNanos()
        if options.debug { out.debugLines.append("DEBUG: Starting test \(displayName)") }
        out.failures = evaluate(&out.debugLines)
        if options.debug {
            out.debugLines.append("DEBUG: Test \(displayName) finished, took \(RulesTestFormat.goDuration(nanos: Self.nowNanos() &- started))")
        }
        return out
    }

    private func evaluate(_ debugLines: inout [String]) -> [RulesTestFailure] {
        let mint = group.startTimestampMillis ?? 0
        let interval = group.interval.milliseconds == 0 ? evaluationIntervalMillis : group.interval.milliseconds
        var input: RulesTestInput
        do {
            input = try RulesTestInput(group.inputSeries, intervalMillis: interval, startMillis: mint,
                                       maxSamples: options.maxInputSamples)
        } catch {
            return [failure(error.message, error.mark)]
        }
        if !ruleLoadFailures.isEmpty { return ruleLoadFailures }
        let head = Head()
        let querier = RuleQuerier(engine: PromQLEngine(options: options.engineOptions(evaluationIntervalMillis: evaluationIntervalMillis)),
                                  head: head)
        var externalLabels: [String: String] = [:]
        for e in group.externalLabels.entries { externalLabels[e.key] = e.value }
        var evaluators: [RuleGroupEvaluator] = []
        for (file, g) in ruleGroups {
            do {
                evaluators.append(try RuleGroupEvaluator(group: g, file: file, parserOptions: options.parserOptions,
                                                         externalLabels: externalLabels, externalURL: group.externalURL))
            } catch {
                return [RulesTestFailure(message: "\(file): \(error.description)", file: file, mark: g.mark)]
            }
        }

        var alertTests: [Int64: [AlertRuleTestCase]] = [:]
        for a in group.alertRuleTests {
            if a.alertname.isEmpty {
                let inGroup = group.name.isEmpty ? "" : " (in TestGroup \(group.name))"
                return [failure("an item under alert_rule_test misses required attribute alertname at eval_time \(RulesTestFormat.modelDuration(a.evalTime.milliseconds))\(inGroup)", a.mark)]
            }
            alertTests[a.evalTime.milliseconds, default: []].append(a)
        }
        let alertEvalTimes = alertTests.keys.sorted()
        let maxEval = group.maxEvalTime.milliseconds
        let steps = maxEval / max(evaluationIntervalMillis, 1)
        // promtool has no limit; a mistyped `eval_time` would make it run for days.
        if steps > options.maxEvaluationSteps {
            return [failure("eval_time \(RulesTestFormat.modelDuration(maxEval)) needs \(steps) evaluations at evaluation_interval \(RulesTestFormat.modelDuration(evaluationIntervalMillis)); at most \(options.maxEvaluationSteps) are allowed", group.mark)]
        }
        let maxt = mint &+ maxEval
        var failures: [RulesTestFailure] = []
        var current = 0
        var ts = mint
        while ts <= maxt {
            if let e = input.append(until: ts, to: head) { failures.append(failure(e, group.mark)) }
            var evalFailures: [RulesTestFailure] = []
            for gi in evaluators.indices {
                evaluators[gi].eval(at: ts, querier: querier)
                for (ri, err) in evaluators[gi].lastErrors.enumerated() {
                    guard let err else { continue }
                    let ruleMark = ruleGroups[gi].group.rules[ri].mark
                    evalFailures.append(RulesTestFailure(
                        message: "    rule: \(evaluators[gi].rules[ri].name), time: \(RulesTestFormat.goDuration(millis: ts)), err: \(err.message)",
                        file: evaluators[gi].file, mark: ruleMark))
                }
            }
            failures.append(contentsOf: evalFailures)
            if !evalFailures.isEmpty { return failures }

            while current < alertEvalTimes.count, ts &- mint <= alertEvalTimes[current],
                  alertEvalTimes[current] < ts &+ evaluationIntervalMillis &- mint {
                let t = alertEvalTimes[current]
                let cases = alertTests[t] ?? []
                let names = Set(cases.map(\.alertname))
                var got: [String: [ComparableAlert]] = [:]
                for ev in evaluators {
                    for rule in ev.alertingRules where names.contains(rule.name) {
                        for a in rule.activeAlerts where a.state == .firing {
                            got[rule.name, default: []].append(ComparableAlert(labels: a.labels, annotations: a.annotations))
                        }
                    }
                }
                for c in cases {
                    if let f = compareAlerts(c, got: got[c.alertname] ?? []) { failures.append(f) }
                }
                current += 1
            }
            guard ts <= maxt &- evaluationIntervalMillis else { break }
            ts &+= evaluationIntervalMillis
        }

        for c in group.promqlExprTests {
            if let f = runExpressionTest(c, mint: mint, querier: querier) { failures.append(f) }
        }
        if options.debug { debugDump(mint: mint, maxEval: maxEval, querier: querier, into: &debugLines) }
        return failures
    }

    private func compareAlerts(_ c: AlertRuleTestCase, got unsortedGot: [ComparableAlert]) -> RulesTestFailure? {
        var expected: [ComparableAlert] = c.expAlerts.map { a in
            var labels: [String: String] = [:]
            for e in a.expLabels.entries { labels[e.key] = e.value }
            labels["alertname"] = c.alertname
            var annotations: [String: String] = [:]
            for e in a.expAnnotations.entries { annotations[e.key] = e.value }
            return ComparableAlert(labels: Self.fromMap(labels), annotations: Self.fromMap(annotations))
        }
        expected.sort()
        let got = unsortedGot.sorted()
        guard expected != got else { return nil }
        let testName = group.name.isEmpty ? "" : "    name: \(group.name),\n"
        let time = RulesTestFormat.modelDuration(c.evalTime.milliseconds)
        let expString = RulesTestFormat.indentLines(RulesTestFormat.alerts(expected), "            ")
        let gotString = RulesTestFormat.indentLines(RulesTestFormat.alerts(got), "            ")
        if options.diff {
            let empty = ComparableAlert(labels: Labels(), annotations: Labels())
            // promtool reports nothing when the two lists encode to the same JSON.
            guard let diff = RulesTestDiff.render(expected: expected.isEmpty ? [empty] : expected, got: got.isEmpty ? [empty] : got) else { return nil }
            return failure("\(testName)    alertname: \(c.alertname), time: \(time), \n        diff: \(RulesTestFormat.indentLines(diff, "            "))",
                           c.mark, expected: RulesTestFormat.alerts(expected), got: RulesTestFormat.alerts(got))
        }
        return failure("\(testName)    alertname: \(c.alertname), time: \(time), \n        exp:\(expString), \n        got:\(gotString)",
                       c.mark, expected: RulesTestFormat.alerts(expected), got: RulesTestFormat.alerts(got))
    }

    /// `labels.FromMap`: sorted, empty values kept.
    static func fromMap(_ m: [String: String]) -> Labels {
        Labels(sorted: m.sorted { $0.key < $1.key }.map { Labels.Label($0.key, $0.value) })
    }

    private func runExpressionTest(_ c: PromQLExprTestCase, mint: Int64, querier: RuleQuerier) -> RulesTestFailure? {
        let time = RulesTestFormat.modelDuration(c.evalTime.milliseconds)
        let quoted = goQuote(c.expr.value)
        let result: [VectorSample]
        do {
            result = try querier.vector(c.expr.value, at: mint &+ c.evalTime.milliseconds)
        } catch {
            return failure("    expr: \(quoted), time: \(time), err: \(error.message)", c.mark)
        }
        var got = result.map { s in
            ComparableSample(labels: s.labels, value: s.f, histogram: s.h.map(RulesTestFormat.testExpression) ?? "")
        }
        var expected: [ComparableSample] = []
        for s in c.expSamples {
            var labels = Labels()
            var histogram = ""
            var problem: String? = nil
            if !s.labels.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" }) {
                do { labels = try PromQLParser.parseMetric(s.labels) } catch { problem = error.description }
            }
            if problem == nil && !s.histogram.isEmpty {
                do {
                    let parsed = try PromQLParser.parseSeriesDescription("{} " + s.histogram)
                    let values = try SeriesValue.resolvingHistogramSteps(parsed.values)
                    if values.count != 1 {
                        problem = "expected 1 value, got \(values.count)"
                    } else if let h = values[0].histogram {
                        histogram = RulesTestFormat.testExpression(h.floatHistogram)
                    } else {
                        problem = "expected histogram, got \(values[0])"
                    }
                } catch let e as PromQLParseError {
                    problem = e.description
                } catch {
                    problem = "\(error)"
                }
            }
            if let problem {
                return failure("    expr: \(quoted), time: \(time), err: labels \(goQuote(s.labels)): \(problem)", s.mark)
            }
            expected.append(ComparableSample(labels: labels, value: s.value, histogram: histogram))
        }
        expected.sort { $0.labels < $1.labels }
        got.sort { $0.labels < $1.labels }
        if expected.count == got.count && zip(expected, got).allSatisfy({ $0.equals($1, fuzzy: fuzzyCompare) }) { return nil }
        let exp = RulesTestFormat.samples(expected), gotText = RulesTestFormat.samples(got)
        return failure("    expr: \(quoted), time: \(time),\n        exp: \(exp)\n        got: \(gotText)", c.mark,
                       expected: exp, got: gotText)
    }

    /// `--debug`: every series (inputs and rule results) over the whole test, as promtool dumps it.
    private func debugDump(mint: Int64, maxEval: Int64, querier: RuleQuerier, into lines: inout [String]) {
        let rangeMillis = (maxEval / 1000 &+ 1) &* 1000
        guard let matcher = try? LabelMatcher(.regexMatch, "__name__", ".+") else { return }
        let end = mint &+ rangeMillis
        let series = querier.head.select([matcher], mint: mint, maxt: end)
        lines.append("DEBUG: Dump of all data (input_series and rules) at \(RulesTestFormat.goDuration(millis: rangeMillis)):")
        var blocks: [String] = []
        for s in series.sorted(by: { $0.labels < $1.labels }) {
            // The range selector is left-open and drops stale markers.
            let samples = s.samples(in: (mint &+ 1)...end)
            var vals: [String] = []
            for p in samples { if let f = p.float, !isStaleNaN(f) { vals.append("\(GoFloat.formatF(f)) @[\(p.t)]") } }
            for p in samples { if let h = p.histogram { vals.append("\(h) @[\(p.t)]") } }
            guard !vals.isEmpty else { continue }
            blocks.append("\(s.labels) =>\n" + vals.joined(separator: "\n"))
        }
        lines.append(blocks.joined(separator: "\n"))
    }

    static func nowNanos() -> Int64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Int64(t.tv_sec) &* 1_000_000_000 &+ Int64(t.tv_nsec)
    }
}
