import Testing
@testable import Engine

/// promqltest's `load` and expected-result lines go through the one series-description parser.
@Suite struct SeriesDescriptionParserTests {
    @Test func errorsReadLikeUpstreamWithTheScriptLine() throws {
        do {
            _ = try SeriesDescriptionParser.parse("x{a=} 1", lineNumber: 7)
            Issue.record("should fail")
        } catch {
            #expect(error.line == 7)
            #expect(error.message == #"7:5: parse error: unexpected "}" in label set, expected string"#)
        }
        // No hex in series descriptions (as upstream's lexer): `0x2` is 0 repeated.
        #expect(try SeriesDescriptionParser.parse("x 0x2", lineNumber: 1).values == [.float(0), .float(0), .float(0)])
    }

    @Test func sameValuesAsTheUnitTestParser() throws {
        let line = #"m{a="b"} 1+2x3 _x2 stale -1 {{schema:0 sum:1 count:1 buckets:[1]}}x1"#
        let (l1, v1) = try SeriesDescriptionParser.parse(line, lineNumber: 1)
        let (l2, v2) = try PromQLParser.parseSeriesDescription(line)
        #expect(l1 == l2)
        #expect(v1 == v2)
    }

    @Test func histogramStepsResolveCumulatively() throws {
        let (_, parsed) = try PromQLParser.parseSeriesDescription("{} {{schema:0 sum:1 count:2 buckets:[1 1]}}+{{sum:0.5 count:1 offset:1 buckets:[1]}}x50")
        let resolved = try SeriesValue.resolvingHistogramSteps(parsed)
        #expect(resolved.count == 51)
        guard let last = resolved.last?.histogram?.floatHistogram else {
            Issue.record("no histogram")
            return
        }
        #expect(last.count == 52 && last.sum == 26)
        #expect(last.positiveBuckets == [1, 51])
        // A single step resolved on its own gives the same histogram as the cumulative walk.
        #expect(parsed[50].histogram?.floatHistogram == last)
        // Subtraction, and values around the run are left alone.
        let (_, down) = try SeriesDescriptionParser.parse("{} 3 {{sum:10 count:10}}-{{sum:1 count:1}}x3 _", lineNumber: 1)
        #expect(down.count == 6 && down[0] == .float(3) && down[5] == .omitted)
        #expect(down[4].histogram?.floatHistogram.count == 7)
    }

    @Test func histogramArithmeticErrorsAreScriptErrors() {
        do {
            _ = try SeriesDescriptionParser.parse("h {{schema:1 sum:1}}+{{schema:0 sum:1}}x2", lineNumber: 3)
            Issue.record("should fail")
        } catch {
            #expect(error.line == 3)
            #expect(error.message == "error combining histograms: cannot merge from schema 0 to 1")
        }
        #expect(SeriesValue.histogramStep(base: { var h = HistogramLiteral(); h.schema = 1; return h }(),
                                          increment: HistogramLiteral(), index: 1, subtract: false).histogram == nil)
    }

    @Test func expectStringIsAGoQuotedLiteral() throws {
        let script = try PromQLTestScript.parse("eval instant at 0 \"a\"\n  expect string `a\\n`\n\neval instant at 0 \"b\"\n  expect string \"b\\n\"\n")
        let strings = script.commands.compactMap { c -> String? in
            if case .eval(let e) = c { return e.expectedString }
            return nil
        }
        #expect(strings == ["a\\n", "b\n"])
        #expect(throws: PromQLTestError.self) { try PromQLTestScript.parse("eval instant at 0 \"a\"\n  expect string \"a\" x\n") }
    }
}
