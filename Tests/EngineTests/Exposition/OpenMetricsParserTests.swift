import Testing
@testable import Engine

@Suite struct OpenMetricsParserTests {
    func parse(_ text: String, options: OpenMetricsParser.Options = .init()) throws(ExpositionError) -> CollectingSink {
        var sink = CollectingSink()
        try OpenMetricsParser(options: options).parse(text, into: &sink)
        return sink
    }

    func parseError(_ text: String) -> ExpositionError? {
        do { _ = try parse(text); return nil } catch { return error }
    }

    @Test func familyWithMetadataExemplarAndCreated() throws {
        let sink = try parse("""
        # TYPE foo_seconds counter
        # UNIT foo_seconds seconds
        # HELP foo_seconds Help with \\"quotes\\" and \\\\ and \\n.
        foo_seconds_total{a="b"} 17.5 1520879607.789 # {trace_id="KOO5S4vxi0o"} 0.67 1520879602.1
        foo_seconds_created{a="b"} 1520430000.123 1520879607.789
        # EOF

        """)
        #expect(sink.metadata == [ExpositionMetadata(name: "foo_seconds", type: .counter, help: "Help with \"quotes\" and \\ and \n.", unit: "seconds", line: 1)])
        #expect(sink.samples.count == 2)
        let s = sink.samples[0]
        #expect(s.metricName == "foo_seconds_total")
        #expect(s.value == 17.5)
        #expect(s.timestampMs == 1_520_879_607_789)
        #expect(s.exemplar?.labels.first?.name == "trace_id")
        #expect(s.exemplar?.labels.first?.value == "KOO5S4vxi0o")
        #expect(s.exemplar?.value == 0.67)
        #expect(s.exemplar?.timestampMs == 1_520_879_602_100)
        #expect(sink.samples[1].metricName == "foo_seconds_created")
    }

    @Test func emptyHelpAndUnitCountAsAbsent() throws {
        let sink = try parse("# TYPE a_s gauge\n# UNIT a_s \n# HELP a_s \na_s 1\n# EOF\n")
        #expect(sink.metadata == [ExpositionMetadata(name: "a_s", type: .gauge, help: nil, unit: nil, line: 1)])
    }

    @Test func skipCreatedSeries() throws {
        let sink = try parse("# TYPE a counter\na_total 1\na_created 5\n# EOF\n", options: .init(skipCreatedSeries: true))
        #expect(sink.samples.map(\.metricName) == ["a_total"])
    }

    @Test func specialValuesAndIntegerTimestamps() throws {
        let sink = try parse("a NaN 1\nb +Inf\nc -Inf\n# EOF")
        #expect(sink.samples[0].value.isNaN)
        #expect(sink.samples[0].timestampMs == 1000)
        #expect(sink.samples[1].value == .infinity)
        #expect(sink.samples[2].value == -.infinity)
    }

    @Test func quotedNames() throws {
        let sink = try parse("""
        # TYPE "my.metric" gauge
        {"my.metric","a.b"="c"} 1
        # EOF
        """)
        #expect(sink.metadata.first?.name == "my.metric")
        #expect(sink.samples.first?.labels.map { "\($0.name)=\($0.value)" } == ["__name__=my.metric", "a.b=c"])
    }

    @Test func labelEscapesKeepUnknownOnes() throws {
        let sink = try parse(#"a{x="q\"\\\n\z"} 1"# + "\n# EOF\n")
        #expect(sink.samples[0].labels[1].value == "q\"\\\n\\z")
    }

    @Test func stateSetInfoSummaryHistogram() throws {
        let sink = try parse("""
        # TYPE s stateset
        s{s="a"} 1
        s{s="b"} 0
        # TYPE i info
        i_info{version="1"} 1
        # TYPE q summary
        q{quantile="0.5"} 1
        q_sum 3
        q_count 2
        # TYPE h histogram
        h_bucket{le="0.5"} 1
        h_bucket{le="+Inf"} 2
        h_sum 1
        h_count 2
        # TYPE g gaugehistogram
        g_bucket{le="+Inf"} 2
        g_gcount 2
        g_gsum 1
        # EOF

        """)
        #expect(sink.metadata.map(\.type) == [.stateset, .info, .summary, .histogram, .gaugehistogram])
        #expect(sink.samples.count == 13)
    }

    @Test(arguments: [
        ("a 1\n", 2, "data does not end with # EOF"),
        ("a 1", 1, "data does not end with # EOF"),
        ("a 1\n# EOF\nb 1\n", 3, "unexpected data after # EOF"),
        ("a  1\n# EOF\n", 1, "expected value after metric"),
        ("# comment\n# EOF\n", 1, "expected a valid start token"),
        ("a{b=\"1\",} 1\n# EOF\n", 1, "trailing comma"),
        ("# TYPE a counter\na_total -1\n# EOF\n", 2, "counter-like samples cannot be negative"),
        ("# TYPE a histogram\na_bucket{le=\"1\"} 1\n# EOF\n", 2, "+Inf bucket missing"),
        ("# TYPE a gauge\na 1 2\na 1 1\n# EOF\n", 3, "timestamps went backwards"),
        ("# TYPE a gauge\na{x=\"1\"} 1\na{x=\"2\"} 1\na{x=\"1\"} 1\n# EOF\n", 4, "invalid metric grouping"),
        ("# TYPE a_s gauge\n# UNIT a_s m\n# EOF\n", 2, "not a suffix"),
        ("# TYPE a gauge\na 1 # {x=\"y\"} 1\n# EOF\n", 2, "exemplars are only allowed"),
        ("# TYPE a counter\n# TYPE a counter\n# EOF\n", 2, "more than one TYPE"),
        ("a 1 NaN\n# EOF\n", 1, "invalid timestamp NaN"),
    ] as [(String, Int, String)])
    func errorsWithPositions(input: String, line: Int, message: String) {
        guard let e = parseError(input) else {
            Issue.record("accepted: \(input)")
            return
        }
        #expect(e.line == line, "\(e)")
        #expect(e.column >= 1)
        #expect(e.message.contains(message), "\(e)")
    }

    @Test func columnOfSyntaxError() {
        let e = parseError("# TYPE a gauge\na{b=\"1\"c=\"2\"} 1\n# EOF\n")
        #expect(e?.line == 2)
        #expect(e?.column == 8)
        #expect(e?.message.hasPrefix("expected comma or brace close") == true)
    }

    @Test func validationCanBeTurnedOff() throws {
        let sink = try parse("# TYPE a counter\na_total -1\na_total{b=\"c\",} 2\n# EOF\n", options: .init(validate: false))
        #expect(sink.samples.first?.value == -1)
        #expect(sink.samples.last?.labels.count == 2)
    }
}

@Suite struct ExpositionFormatTests {
    @Test(arguments: [
        ("text/plain; version=0.0.4; charset=utf-8", ExpositionFormat.prometheusText),
        ("application/openmetrics-text; version=1.0.0; charset=utf-8", .openMetrics),
        ("Application/OpenMetrics-Text;version=0.0.1", .openMetrics),
        ("text/plain", .prometheusText),
    ] as [(String, ExpositionFormat)])
    func contentTypes(_ ct: String, _ expected: ExpositionFormat) {
        #expect(ExpositionFormat.format(forContentType: ct) == expected)
    }

    @Test func unknownContentTypes() {
        #expect(ExpositionFormat.format(forContentType: "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited") == nil)
        #expect(ExpositionFormat.format(forContentType: "") == nil)
        #expect(ExpositionFormat.format(forContentType: "text/html") == nil)
    }

    @Test func detection() {
        #expect(ExpositionFormat.detect(Array("a 1\n# EOF\n".utf8)) == .openMetrics)
        #expect(ExpositionFormat.detect(Array("a 1\n# EOF".utf8)) == .openMetrics)
        #expect(ExpositionFormat.detect(Array("# UNIT a_s s\na_s 1\n".utf8)) == .openMetrics)
        #expect(ExpositionFormat.detect(Array("# HELP a x\na 1\n".utf8)) == .prometheusText)
        #expect(ExpositionFormat.detect([]) == .prometheusText)
    }

    @Test func contentTypeRoundTrip() {
        for f in ExpositionFormat.allCases {
            #expect(ExpositionFormat.format(forContentType: f.contentType) == f)
        }
    }
}
