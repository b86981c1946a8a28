import Testing
@testable import Engine

@Suite struct PrometheusTextParserTests {
    func parse(_ text: String) throws(ExpositionError) -> CollectingSink {
        var sink = CollectingSink()
        try PrometheusTextParser().parse(text, into: &sink)
        return sink
    }

    func parseError(_ text: String) -> ExpositionError? {
        do { _ = try parse(text); return nil } catch { return error }
    }

    func pairs(_ s: ExpositionSample) -> [String] { s.labels.map { "\($0.name)=\($0.value)" } }

    @Test func basicSamplesAndMetadata() throws {
        let sink = try parse("""
        # HELP http_requests_total The total.\\nSecond \\\\ line.
        # TYPE http_requests_total counter
        http_requests_total{method="post",code="200"} 1027 1395066363000
        http_requests_total{method="post",code="400"}    3 1395066363000

        # A normal comment.
        metric_without_timestamp_and_labels 12.47
        something_weird{problem="division by zero"} +Inf 3982045
        """)
        #expect(sink.metadata.count == 1)
        #expect(sink.metadata[0] == ExpositionMetadata(name: "http_requests_total", type: .counter, help: "The total.\nSecond \\ line.", unit: nil, line: 1))
        #expect(sink.samples.count == 4)
        #expect(pairs(sink.samples[0]) == ["__name__=http_requests_total", "method=post", "code=200"])
        #expect(sink.samples[0].value == 1027)
        #expect(sink.samples[0].timestampMs == 1395066363000)
        #expect(sink.samples[1].value == 3)
        #expect(sink.samples[1].line == 4)
        #expect(sink.samples[2].timestampMs == nil)
        #expect(sink.samples[3].value == .infinity)
    }

    @Test func specialValues() throws {
        let sink = try parse("a NaN\nb +Inf\nc -Inf\nd 1e3\ne -0.5\nf inf\n")
        #expect(sink.samples[0].value.isNaN)
        #expect(sink.samples[1].value == .infinity)
        #expect(sink.samples[2].value == -.infinity)
        #expect(sink.samples[3].value == 1000)
        #expect(sink.samples[4].value == -0.5)
        #expect(sink.samples[5].value == .infinity)
    }

    @Test func labelValueEscapes() throws {
        let sink = try parse(#"a{x="q\"uo\\te\nnl",y="\t kept"} 1"# + "\n")
        #expect(sink.samples[0].labels[1].value == "q\"uo\\te\nnl")
        #expect(sink.samples[0].labels[2].value == "\\t kept")
    }

    @Test func helpEscapesKeepQuotes() throws {
        let sink = try parse(#"# HELP a x\"y\\z"# + "\n")
        #expect(sink.metadata[0].help == #"x\"y\z"#)
    }

    @Test func quotedUTF8Names() throws {
        let sink = try parse("""
        # TYPE "my.metric" gauge
        {"my.metric", "a.b"="c", d="e"} 1
        {"other"} 2
        """)
        #expect(sink.metadata[0].name == "my.metric")
        #expect(pairs(sink.samples[0]) == ["__name__=my.metric", "a.b=c", "d=e"])
        #expect(pairs(sink.samples[1]) == ["__name__=other"])
    }

    @Test func whitespaceAndTrailingComma() throws {
        let sink = try parse("a { b = \"1\" , c=\"2\", } 3\n")
        #expect(pairs(sink.samples[0]) == ["__name__=a", "b=1", "c=2"])
    }

    @Test func untypedIsUnknown() throws {
        let sink = try parse("# TYPE a untyped\na 1\n")
        #expect(sink.metadata[0].type == .unknown)
    }

    @Test func noTrailingNewline() throws {
        let sink = try parse("a 1")
        #expect(sink.samples.count == 1)
    }

    @Test(arguments: [
        ("a{1=\"x\"} 1\n", 1, 3, "expected label name"),
        ("a 1\nb{c=\"d\" 2\n", 2, 9, "expected label name"),
        ("a{b \"c\"} 1\n", 1, 5, "expected equal"),
        ("a x\n", 1, 3, "strconv.ParseFloat: parsing \"x\": invalid syntax"),
        ("a 0x1p3\n", 1, 3, "unsupported character in float"),
        ("a 1_000\n", 1, 3, "unsupported character in float"),
        ("a\n", 1, 2, "expected value after metric"),
        ("a 1 2 3\n", 1, 7, "expected next entry after timestamp"),
        ("a 1 -2\n", 1, 5, "expected timestamp or new record"),
        ("a 1 99999999999999999999\n", 1, 5, "value out of range"),
        ("# TYPE a foo\n", 1, 10, "invalid metric type \"foo\""),
        ("{a=\"b\"} 1\n", 1, 1, "metric name not set"),
        ("{\"a\", \"b\"} 1\n", 1, 7, "metric name already set"),
        ("a{b=\"1\",b=\"2\"} 1\n", 1, 9, "duplicate label name \"b\""),
        ("-a 1\n", 1, 1, "expected a valid start token"),
        ("a{b=c} 1\n", 1, 5, "expected label value"),
        ("a{b=\"unterminated} 1\n", 1, 5, "expected label value"),
        ("a 1e400\n", 1, 3, "value out of range"),
    ] as [(String, Int, Int, String)])
    func errorsWithPositions(input: String, line: Int, column: Int, message: String) {
        let err = parseError(input)
        #expect(err != nil, "expected an error for \(input)")
        if let err {
            #expect(err.line == line, "\(err)")
            #expect(err.column == column, "\(err)")
            #expect(err.message.contains(message), "\(err)")
        }
    }

    @Test func invalidUTF8LabelValue() {
        var bytes = Array("a{b=\"".utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array("\"} 1\n".utf8)
        var sink = CollectingSink()
        #expect(throws: ExpositionError.self) { try PrometheusTextParser().parse(bytes, into: &sink) }
    }

    @Test func metadataMerging() throws {
        let sink = try parse("# HELP a h\n# TYPE a gauge\na 1\n# TYPE b counter\n# HELP c x\nc 2\n")
        #expect(sink.metadata.map(\.name) == ["a", "b", "c"])
        #expect(sink.metadata[0].type == .gauge)
        #expect(sink.metadata[0].help == "h")
        #expect(sink.metadata[1].help == nil)
    }
}

/// Error texts of Prometheus's own parser tests (`model/textparse/promparse_test.go`), byte for byte.
@Suite struct PrometheusTextParserUpstreamErrorTests {
    static let cases: [(input: [UInt8], error: String?)] = [
        (Array("a".utf8), #"expected value after metric, got "\n" ("INVALID") while parsing: "a\n""#),
        (Array("a{b='c'} 1\n".utf8), #"expected label value, got "'" ("INVALID") while parsing: "a{b='""#),
        (Array("a{b=\n".utf8), #"expected label value, got "\n" ("INVALID") while parsing: "a{b=\n""#),
        (Array("a{".utf8) + [0xFF] + Array("=\"foo\"} 1\n".utf8), #"expected label name, got "\xff" ("INVALID") while parsing: "a{\xff""#),
        (Array("a{b=\"".utf8) + [0xFF] + Array("\"} 1\n".utf8), #"invalid UTF-8 label value: "\"\xff\"""#),
        (Array(#"{"a", "b = "c"}"#.utf8), #"expected equal, got "c\"" ("LNAME") while parsing: "{\"a\", \"b = \"c\"""#),
        (Array(#"{"a",b\nc="d"} 1"#.utf8), #"expected equal, got "\\" ("INVALID") while parsing: "{\"a\",b\\""#),
        (Array("a true\n".utf8), #"strconv.ParseFloat: parsing "true": invalid syntax while parsing: "a true""#),
        (Array("something_weird{problem=\"".utf8), #"expected label value, got "\"\n" ("INVALID") while parsing: "something_weird{problem=\"\n""#),
        (Array("empty_label_name{=\"\"} 0".utf8), #"expected label name, got "=\"" ("EQUAL") while parsing: "empty_label_name{=\"""#),
        (Array("foo 1_2\n".utf8), #"unsupported character in float while parsing: "foo 1_2""#),
        (Array("foo 0x1p-3\n".utf8), #"unsupported character in float while parsing: "foo 0x1p-3""#),
        (Array("foo 0x1P-3\n".utf8), #"unsupported character in float while parsing: "foo 0x1P-3""#),
        (Array("foo 0 1_2\n".utf8), #"expected next entry after timestamp, got "_" ("INVALID") while parsing: "foo 0 1_""#),
        (Array(#"{a="ok"} 1"#.utf8), #"metric name not set while parsing: "{a=\"ok\"} 1""#),
        (Array("# TYPE #\n#EOF\n".utf8), ##"expected metric name after TYPE, got "#" ("INVALID") while parsing: "# TYPE #""##),
        (Array("# HELP #\n#EOF\n".utf8), ##"expected metric name after HELP, got "#" ("INVALID") while parsing: "# HELP #""##),
        // Null bytes (TestPromNullByteHandling).
        (Array("null_byte_metric{a=\"abc\u{0}\"} 1".utf8), nil),
        (Array("a{b=\"\u{0}ss\"} 1\n".utf8), nil),
        (Array("a{b=\"\u{0}\"} 1\n".utf8), nil),
        (Array("a{b=\u{0}\"ssss\"} 1\n".utf8), #"expected label value, got "\x00" ("INVALID") while parsing: "a{b=\x00""#),
        (Array("a{b=\"\u{0}".utf8), #"expected label value, got "\"\x00\n" ("INVALID") while parsing: "a{b=\"\x00\n""#),
        (Array("a{b\u{0}=\"hiih\"}\t1".utf8), #"expected equal, got "\x00" ("INVALID") while parsing: "a{b\x00""#),
        (Array("a\u{0}{b=\"ddd\"} 1".utf8), #"expected value after metric, got "\x00" ("INVALID") while parsing: "a\x00""#),
        (Array("a 0 1\u{0}".utf8), #"expected next entry after timestamp, got "\x00" ("INVALID") while parsing: "a 0 1\x00""#),
    ]

    @Test(arguments: 0..<cases.count)
    func upstreamErrorText(_ index: Int) {
        let c = Self.cases[index]
        var sink = CollectingSink()
        do {
            try PrometheusTextParser().parse(c.input, into: &sink)
            #expect(c.error == nil, "case \(index) parsed")
        } catch {
            #expect(error.message == c.error, "case \(index)")
        }
    }

    @Test func upstreamValidInput() throws {
        let input = "# HELP go_gc_duration_seconds A summary of the GC invocation durations.\n"
            + "# \tTYPE go_gc_duration_seconds summary\n"
            + "go_gc_duration_seconds{quantile=\"0.25\",} 7.424100000000001e-05\n"
            + "go_gc_duration_seconds{ quantile=\"0.9\", a=\"b\"} 8.3835e-05\n"
            + "# Hrandom comment starting with prefix of HELP\n#\n"
            + "wind_speed{A=\"2\",c=\"3\"} 12345\n"
            + "# HELP nohelp1\n# HELP nohelp2 \n"
            + "go_gc_duration_seconds { quantile = \"2.0\" a = \"b\" } 8.3835e-05\n"
            + "some:aggregate:rate5m{a_b=\"c\"}\t1\n"
            + "go_goroutines 33  \t123123\n"
            + "testmetric{label=\"\\\"bar\\\"\"} 1\n"
            + "# HELP metric foo\u{0}bar\n"
            + #"{"Heizölrückstoßabdämpfung 10€ metric with \"interesting\" {character\nchoices}","strange©™\n'quoted' \"name\""="6"} 10.0"#
        var sink = CollectingSink()
        try PrometheusTextParser().parse(input, into: &sink)
        #expect(sink.samples.count == 8)
        #expect(sink.metadata.map(\.name) == ["go_gc_duration_seconds", "nohelp1", "nohelp2", "metric"])
        #expect(sink.metadata[0].type == .summary)
        #expect(sink.metadata[1].help == "")
        #expect(sink.metadata[3].help == "foo\u{0}bar")
        #expect(sink.samples[4].timestampMs == nil)
        #expect(sink.samples[5].timestampMs == 123123)
        #expect(sink.samples[6].labels[1].value == "\"bar\"")
        #expect(sink.samples[7].labels[0].value == "Heizölrückstoßabdämpfung 10€ metric with \"interesting\" {character\nchoices}")
        #expect(sink.samples[7].labels[1].name == "strange©™\n'quoted' \"name\"")
    }
}
