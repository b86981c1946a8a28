import Testing
import TestSupport
@testable import Engine
#if canImport(Glibc)
import Glibc
#endif

/// The trim operators `</` and `>/` are not parsed yet; these tests check the evaluator's trim against the
/// upstream evals of the simple form `metric </ number` by selecting the metric and trimming its samples.
@Suite(.needsCorpus) struct HistogramTrimTests {
    struct Case: Sendable, CustomStringConvertible {
        var line: Int
        var metric: String
        var keepBelow: Bool
        var cut: Double
        var description: String { "line \(line): \(metric) \(keepBelow ? "</" : ">/") \(cut)" }
    }

    @Test func upstreamTrimEvals() throws {
        let text = try #require(PromQLCorpus.read("native_histograms.test"))
        let script = try PromQLTestScript.parse(text)
        let runner = PromQLTestRunner()
        let engine = PromQLEngine(options: runner.options)
        var head = Head()
        var checked = 0
        for cmd in script.commands {
            switch cmd {
            case .clear:
                head = Head()
            case .load(let load):
                #expect(runner.apply(load, to: head) == nil)
            case .eval(let ev):
                let words = ev.expr.split(separator: " ").map(String.init)
                guard !ev.isRange, words.count == 3, words[1] == "</" || words[1] == ">/",
                      words[0].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }),
                      let cut = SeriesDescriptionParser.parseNumber(words[2]) else { continue }
                let r = try engine.instantQuery(words[0], at: ev.end, source: head)
                guard case .vector(let v) = r.value else {
                    Issue.record("line \(ev.line): expected a vector")
                    continue
                }
                let trimmed = v.map { s -> VectorSample in
                    var s = s
                    s.h = s.h?.trimmed(at: cut, keepBelow: words[1] == "</")
                    return s
                }
                checked += 1
                if let failure = runner.compare(ev, .vector(trimmed)) {
                    Issue.record("line \(ev.line): \(ev.expr): \(failure)")
                }
            }
        }
        #expect(checked > 50)
    }
}
