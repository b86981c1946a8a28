import Query
import Testing

/// Decoding API answers and printing them as promtool does (client_golang's String and JSON forms).
@Suite struct ValueFormattingTests {
    func decode(_ json: String) throws(APIResponseDecoder.Failure) -> APIValue {
        let env = try APIResponseDecoder.envelope(Array(json.utf8))
        return try APIResponseDecoder.queryResult(env.data)
    }

    @Test func matrixIsSortedByLabelCountThenValues() throws {
        let v = try decode(#"""
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"__name__":"m","b":"2"},"values":[[1.5,"1e+21"],[2,"NaN"]]},
              {"metric":{"__name__":"m"},"values":[[1,"-Inf"]]},
              {"metric":{"__name__":"m","b":"1"},"values":[[1.25,"0.1"]]}]}}
            """#)
        #expect(ValuePrinter.value(v, format: .promql) == """
            m =>
            -Inf @[1]
            m{b="1"} =>
            0.1 @[1.25]
            m{b="2"} =>
            1000000000000000000000 @[1.5]
            NaN @[2]

            """)
        #expect(ValuePrinter.value(v, format: .json) == #"[{"metric":{"__name__":"m","b":"2"},"values":[[1.5,"1000000000000000000000"],[2,"NaN"]]},{"metric":{"__name__":"m"},"values":[[1,"-Inf"]]},{"metric":{"__name__":"m","b":"1"},"values":[[1.25,"0.1"]]}]"# + "\n")
    }

    @Test func nativeHistogramSample() throws {
        let v = try decode(#"""
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"__name__":"h"},"histogram":[1700000000,{"count":"4","sum":"10.5","buckets":[[0,"0.5","1","1"],[3,"1","2000000","3"]]}]}]}}
            """#)
        #expect(ValuePrinter.value(v, format: .promql) == "h => Count: 4.000000, Sum: 10.500000, Buckets: [(0.5,1]:1 [1,2e+06]:3] @[1700000000]\n")
        #expect(ValuePrinter.value(v, format: .json) == #"[{"metric":{"__name__":"h"},"histogram":[1700000000,{"count":"4","sum":"10.5","buckets":[[0,"0.5","1","1"],[3,"1","2000000","3"]]}]}]"# + "\n")
    }

    @Test func nullResultsPrintAsGoDoes() throws {
        let v = try decode(#"{"status":"success","data":{"resultType":"vector","result":null}}"#)
        #expect(ValuePrinter.value(v, format: .promql) == "\n")
        #expect(ValuePrinter.value(v, format: .json) == "null\n")
        #expect(ValuePrinter.series(nil, format: .json) == "null\n")
        #expect(ValuePrinter.labelValues(nil, format: .promql) == "")
    }

    @Test(arguments: [
        (#"{"status":"success","data":{}}"#, #"unexpected value type "<ValNone>""#),
        (#"{"status":"success"}"#, "unexpected end of JSON input"),
        (#"{"status":"success","data":{"resultType":"scalar","result":[1,"x"]}}"#, #"error parsing sample value: strconv.ParseFloat: parsing "x": invalid syntax"#),
        (#"{"status":"success","data":{"resultType":"matrix","result":{}}}"#, "json: cannot unmarshal object into Go value of type model.Matrix"),
        (#"{"status":"success","data":{"resultType":"vector","result":[{"value":["1","2"]}]}}"#, "json: cannot unmarshal string into Go value of type model.Time"),
    ])
    func malformedResultsAreErrors(body: String, message: String) {
        #expect(throws: APIResponseDecoder.Failure.self) { try decode(body) }
        do { _ = try decode(body) } catch { #expect(error.message == message) }
    }

    @Test(arguments: [
        ("1700000000", Int64(1_700_000_000_000_000_000)),
        ("1700000000.5", 1_700_000_000_500_000_000),
        ("2023-11-14T22:13:20Z", 1_700_000_000_000_000_000),
        ("2023-11-14T23:13:20.25+01:00", 1_700_000_000_250_000_000),
    ])
    func timesParseAsPromtoolDoes(text: String, nanos: Int64) {
        #expect(QueryTime.parse(text)?.nanos == nanos)
    }

    @Test func badTimesAreRejected() {
        // 9999: past what Int64 nanoseconds hold (was an overflow trap).
        for text in ["", "abc", "2023-13-01T00:00:00Z", "2023-11-14 22:13:20Z", "2023-02-29T00:00:00Z", "9999-12-31T23:59:59Z"] {
            #expect(QueryTime.parse(text) == nil, "\(text)")
        }
    }

    @Test(arguments: [("1h", "1h0m0s"), ("90s", "1m30s"), ("1.5s", "1.5s"), ("300ms", "300ms"), ("0", "0s"), ("2h45m", "2h45m0s")])
    func goDurationsRoundTrip(text: String, printed: String) throws {
        let d = try GoDuration.parse(text).get()
        #expect(d.description == printed)
    }

    @Test func goDurationErrors() {
        #expect(GoDuration.parse("5").failureMessage == #"time: missing unit in duration "5""#)
        #expect(GoDuration.parse("5d").failureMessage == #"time: unknown unit "d" in duration "5d""#)
        #expect(GoDuration.parse("x").failureMessage == #"time: invalid duration "x""#)
        // Go's time.quote: non-ASCII and control characters as \x bytes (promtool prints "5\xc3\xa9").
        #expect(GoDuration.parse("5é").failureMessage == #"time: unknown unit "\xc3\xa9" in duration "5\xc3\xa9""#)
    }
}

extension Result where Failure == QueryError {
    var failureMessage: String? {
        if case .failure(let e) = self { return e.message }
        return nil
    }
}
