import Testing
import TestSupport
@testable import Engine

private func promqlScriptNames() -> [String] {
    ["aggregators", "collision", "duration_expression", "extended_vectors", "fill-modifier", "functions",
     "histograms", "info", "limit", "literals", "name_label_dropping", "native_histograms", "operators",
     "range_queries", "staleness", "start_timestamps", "type_and_unit"]
}

#if canImport(Glibc)
import Glibc
#endif

@Suite struct PromQLTestScriptTests {
    @Test(.needsCorpus, arguments: promqlScriptNames())
    func corpusScriptParses(name: String) throws {
        let text = try #require(PromQLCorpus.read("\(name).test"), "missing corpus file \(name)")
        let script = try PromQLTestScript.parse(text)
        let evals = script.commands.filter { if case .eval = $0 { return true }; return false }
        #expect(!evals.isEmpty)
    }

    @Test(.needsCorpus) func corpusHasTheAdvertisedNumberOfEvals() throws {
        var total = 0
        for name in promqlScriptNames() {
            let text = try #require(PromQLCorpus.read("\(name).test"))
            total += try PromQLTestScript.parse(text).commands.filter { if case .eval = $0 { return true }; return false }.count
        }
        #expect(total == 2040)
    }

    @Test func seriesExpansion() throws {
        let (labels, values) = try SeriesDescriptionParser.parse(#"http_requests{job="api", instance="0"} 0+10x3 _ _x2 stale 1e3 -2-1x1"#, lineNumber: 1)
        #expect(labels["job"] == "api")
        #expect(labels.metricName == "http_requests")
        let floats = values.map { $0.omitted ? -999 : $0.value }
        #expect(floats.count == 11)
        #expect(Array(floats[0..<4]) == [0, 10, 20, 30])
        #expect(Array(floats[4..<7]) == [-999, -999, -999])
        #expect(isStaleNaN(values[7].value))
        #expect(floats[8] == 1000)
        #expect(Array(floats[9..<11]) == [-2, -3])
    }

    @Test func histogramNotation() throws {
        let (_, values) = try SeriesDescriptionParser.parse("h {{schema:0 sum:5 count:4 buckets:[1 2 1]}}+{{sum:1 count:1 buckets:[0 1]}}x2", lineNumber: 1)
        #expect(values.count == 3)
        // Expansions use histogram arithmetic (upstream's Add), so the result is the resolved histogram.
        let h = try #require(values[2].histogram?.floatHistogram)
        #expect(h.count == 6)
        #expect(h.positiveBuckets == [1, 4, 1])
        #expect(h.positiveSpans == [FloatHistogram.Span(offset: 0, length: 3)])
    }

    @Test func evalHeaderForms() throws {
        let script = try PromQLTestScript.parse("""
        eval instant at 1m30s sum(x)
          {} 3
          expect warn msg: PromQL warning: something

        eval range from 0 to 10m step 5m rate(x[5m])
          {a="b"} 1 2 _

        eval_fail instant at 0 label_replace(x, "a", "b", "c", "(")
          expected_fail_message bad
        """)
        #expect(script.commands.count == 3)
        guard case .eval(let e1) = script.commands[0], case .eval(let e2) = script.commands[1], case .eval(let e3) = script.commands[2] else {
            Issue.record("expected three evals")
            return
        }
        #expect(e1.start == 90_000 && e1.expr == "sum(x)" && e1.expectations.first?.message == "PromQL warning: something")
        #expect(e2.isRange && e2.end == 600_000 && e2.stepMillis == 300_000 && e2.expectedSeries.first?.values.count == 3)
        #expect(e3.isFail && e3.expectedFailMessage == "bad")
    }

    @Test func malformedScriptsArePositionedErrors() {
        for bad in ["load", "load 5m\n  x{a=} 1", "eval instant at x foo", "eval range from 5m to 1m step 1m x", "bogus", "load 5m\n x 1+x", "eval instant at 0 x\n  expect nonsense"] {
            #expect(throws: PromQLTestError.self) { try PromQLTestScript.parse(bad) }
        }
    }
}
