import ConfigModel
import Testing
@testable import Lint

/// Rule validation leaves its parsed expressions for the checks, from however many threads it parses on.
@Suite struct ExpressionCacheTests {
    @Test func validationFillsTheCacheTheChecksReadFrom() throws {
        // Enough rules for the checker to parse on all cores.
        var rules = ""
        for i in 0..<100 { rules += record("job:m\(i):sum", expr: "sum(rate(m\(i)_total[5m]))") }
        rules += record("job:bad:sum", expr: "sum(rate(x[5m])")
        rules += record("job:dup:sum", expr: "sum(rate(m0_total[5m]))")
        let text = ruleFile(rules)
        let source = SourceText(path: "r.yml", text: text)
        let file = LoadedFile(display: "r.yml", absolute: "/r.yml", source: source,
                              documents: try YAMLComposer.compose(text), kind: .ruleFile)
        let cache = ExpressionCache()
        let diagnostics = RuleValidation.validate(file: file, expressions: cache)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.check == InputErrors.rules)
        #expect(cache.count == 101)  // every distinct expression, the failing one included
        #expect(cache.expression("sum(rate(m7_total[5m]))") != nil)
        #expect(cache.expression("sum(rate(x[5m])") == nil)
        #expect(cache.count == 101)  // answered from the cache
    }

    @Test func parsesOnAMissAndAgreesWithTheParser() {
        let cache = ExpressionCache()
        for text in ["up", "rate(a[5m]) > 0", "sum(", "a +", "histogram_quantile(0.9, b)"] {
            let direct = LintParsers.parse(text)
            let cached = cache.parse(text)
            switch (direct, cached) {
            case (.success(let a), .success(let b)): #expect(a == b)
            case (.failure(let a), .failure(let b)): #expect(a == b)
            default: Issue.record("\(text): cache and parser disagree")
            }
        }
        #expect(cache.count == 5)
    }

    @Test func concurrentUseIsSafe() async {
        let cache = ExpressionCache()
        let texts = (0..<200).map { "sum by (job) (rate(m\($0 % 50)_total[5m]))" }
        await withTaskGroup(of: Int.self) { group in
            for chunk in 0..<8 {
                group.addTask {
                    var parsed = 0
                    for (i, t) in texts.enumerated() where i % 8 == chunk || i % 3 == 0 {
                        if cache.expression(t) != nil { parsed += 1 }
                    }
                    return parsed
                }
            }
            for await n in group { #expect(n > 0) }
        }
        #expect(cache.count == 50)
    }
}
