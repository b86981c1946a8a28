import Testing
@testable import Engine

/// Error texts of Prometheus's OpenMetrics parser tests (`model/textparse/openmetricsparse_test.go`,
/// `TestOpenMetricsParseErrors` and `TestOMNullByteHandling`), byte for byte. The parser runs with
/// semantic validation off, as Prometheus's parser has none.
@Suite struct OpenMetricsUpstreamErrorTests {
    static let cases: [([UInt8], String)] = [
        (Array(#"{b="c",} 1"#.utf8), #"metric name not set while parsing: "{b=\"c\",} 1""#),
        (Array("".utf8), #"data does not end with # EOF"#),
        (Array("\n".utf8), #"expected a valid start token, got "\n" ("INVALID") while parsing: "\n""#),
        (Array("metric".utf8), #"expected value after metric, got "metric" ("EOF") while parsing: "metric""#),
        (Array("metric 1".utf8), #"data does not end with # EOF"#),
        (Array("metric 1\n".utf8), #"data does not end with # EOF"#),
        (Array("metric_total 1 # {aa=\"bb\"} 4".utf8), #"data does not end with # EOF"#),
        (Array("a\n#EOF\n".utf8), #"expected value after metric, got "\n" ("INVALID") while parsing: "a\n""#),
        (Array("\n\n#EOF\n".utf8), #"expected a valid start token, got "\n" ("INVALID") while parsing: "\n""#),
        (Array(" a 1\n#EOF\n".utf8), #"expected a valid start token, got " " ("INVALID") while parsing: " ""#),
        (Array("9\n#EOF\n".utf8), #"expected a valid start token, got "9" ("INVALID") while parsing: "9""#),
        (Array("# TYPE u untyped\n#EOF\n".utf8), #"invalid metric type "untyped""#),
        (Array("# TYPE c counter \n#EOF\n".utf8), #"invalid metric type "counter ""#),
        (Array("#  TYPE c counter\n#EOF\n".utf8), ##"expected a valid start token, got "#  " ("INVALID") while parsing: "#  ""##),
        (Array("# TYPE \n#EOF\n".utf8), ##"expected metric name after TYPE, got "\n" ("INVALID") while parsing: "# TYPE \n""##),
        (Array("# TYPE m\n#EOF\n".utf8), #"expected text in TYPE"#),
        (Array("# UNIT metric suffix\n#EOF\n".utf8), #"unit "suffix" not a suffix of metric "metric""#),
        (Array("# UNIT metricsuffix suffix\n#EOF\n".utf8), #"unit "suffix" not a suffix of metric "metricsuffix""#),
        (Array("# UNIT m suffix\n#EOF\n".utf8), #"unit "suffix" not a suffix of metric "m""#),
        (Array("# UNIT \n#EOF\n".utf8), ##"expected metric name after UNIT, got "\n" ("INVALID") while parsing: "# UNIT \n""##),
        (Array("# UNIT m\n#EOF\n".utf8), #"expected text in UNIT"#),
        (Array("# HELP \n#EOF\n".utf8), ##"expected metric name after HELP, got "\n" ("INVALID") while parsing: "# HELP \n""##),
        (Array("# HELP m\n#EOF\n".utf8), #"expected text in HELP"#),
        (Array("a\t1\n#EOF\n".utf8), #"expected value after metric, got "\t" ("INVALID") while parsing: "a\t""#),
        (Array("a 1\t2\n#EOF\n".utf8), #"strconv.ParseFloat: parsing "1\t2": invalid syntax while parsing: "a 1\t2""#),
        (Array("a 1 2 \n#EOF\n".utf8), #"expected next entry after timestamp, got " \n" ("INVALID") while parsing: "a 1 2 \n""#),
        (Array("a 1 2 #\n#EOF\n".utf8), #"expected next entry after timestamp, got " #\n" ("TIMESTAMP") while parsing: "a 1 2 #\n""#),
        (Array("a 1 1z\n#EOF\n".utf8), #"strconv.ParseFloat: parsing "1z": invalid syntax while parsing: "a 1 1z""#),
        (Array(" # EOF\n".utf8), #"expected a valid start token, got " " ("INVALID") while parsing: " ""#),
        (Array("# EOF\na 1".utf8), #"unexpected data after # EOF"#),
        (Array("# EOF\n\n".utf8), #"unexpected data after # EOF"#),
        (Array("# EOFa 1".utf8), #"unexpected data after # EOF"#),
        (Array("#\tTYPE c counter\n".utf8), ##"expected a valid start token, got "#\t" ("INVALID") while parsing: "#\t""##),
        (Array("# TYPE c  counter\n".utf8), #"invalid metric type " counter""#),
        (Array("a 1 1 1\n# EOF\n".utf8), #"expected next entry after timestamp, got " 1\n" ("TIMESTAMP") while parsing: "a 1 1 1\n""#),
        (Array("a{b='c'} 1\n# EOF\n".utf8), #"expected label value, got "'" ("INVALID") while parsing: "a{b='""#),
        (Array("a{,b=\"c\"} 1\n# EOF\n".utf8), #"expected label name, got ",b" ("COMMA") while parsing: "a{,b""#),
        (Array("a{b=\"c\"d=\"e\"} 1\n# EOF\n".utf8), #"expected comma or brace close, got "d=" ("LNAME") while parsing: "a{b=\"c\"d=""#),
        (Array("a{b=\"c\",,d=\"e\"} 1\n# EOF\n".utf8), #"expected label name, got ",d" ("COMMA") while parsing: "a{b=\"c\",,d""#),
        (Array("a{b=\n# EOF\n".utf8), #"expected label value, got "\n" ("INVALID") while parsing: "a{b=\n""#),
        (Array("a{".utf8) + [0xFF] + Array("=\"foo\"} 1\n# EOF\n".utf8), #"expected label name, got "\xff" ("INVALID") while parsing: "a{\xff""#),
        (Array("a{b=\"".utf8) + [0xFF] + Array("\"} 1\n# EOF\n".utf8), #"invalid UTF-8 label value: "\"\xff\"""#),
        (Array("{\"a\",\"b = \"c\"}\n# EOF\n".utf8), #"expected equal, got "c\"" ("LNAME") while parsing: "{\"a\",\"b = \"c\"""#),
        (Array("{\"a\",b\\nc=\"d\"} 1\n# EOF\n".utf8), #"expected equal, got "\\" ("INVALID") while parsing: "{\"a\",b\\""#),
        (Array("a true\n".utf8), #"strconv.ParseFloat: parsing "true": invalid syntax while parsing: "a true""#),
        (Array("something_weird{problem=\"\n# EOF\n".utf8), #"expected label value, got "\"\n" ("INVALID") while parsing: "something_weird{problem=\"\n""#),
        (Array("empty_label_name{=\"\"} 0\n# EOF\n".utf8), #"expected label name, got "=\"" ("EQUAL") while parsing: "empty_label_name{=\"""#),
        (Array("foo 1_2\n\n# EOF\n".utf8), #"unsupported character in float while parsing: "foo 1_2""#),
        (Array("foo 0x1p-3\n\n# EOF\n".utf8), #"unsupported character in float while parsing: "foo 0x1p-3""#),
        (Array("foo 0 1_2\n\n# EOF\n".utf8), #"unsupported character in float while parsing: "foo 0 1_2""#),
        (Array("custom_metric_total 1 # {aa=bb}\n# EOF\n".utf8), #"expected label value, got "b" ("INVALID") while parsing: "custom_metric_total 1 # {aa=b""#),
        (Array("custom_metric_total 1 # {aa=\"bb\"}\n# EOF\n".utf8), #"expected value after exemplar labels, got "\n" ("INVALID") while parsing: "custom_metric_total 1 # {aa=\"bb\"}\n""#),
        (Array("custom_metric_total 1 # {aa=\"bb\"}".utf8), #"expected value after exemplar labels, got "}" ("EOF") while parsing: "custom_metric_total 1 # {aa=\"bb\"}""#),
        (Array("custom_metric_total 1 # {bb}".utf8), #"expected label name, got "}" ("BCLOSE") while parsing: "custom_metric_total 1 # {bb}""#),
        (Array("custom_metric_total 1 # {bb, a=\"dd\"}".utf8), #"expected label name, got ", " ("COMMA") while parsing: "custom_metric_total 1 # {bb, ""#),
        (Array("custom_metric_total 1 # {aa=\"bb\",,cc=\"dd\"} 1".utf8), #"expected label name, got ",c" ("COMMA") while parsing: "custom_metric_total 1 # {aa=\"bb\",,c""#),
        (Array("custom_metric_total 1 # {aa=\"bb\"} 1_2".utf8), #"unsupported character in float while parsing: "custom_metric_total 1 # {aa=\"bb\"} 1_2""#),
        (Array("custom_metric_total 1 # {aa=\"bb\"} true".utf8), #"strconv.ParseFloat: parsing "true": invalid syntax while parsing: "custom_metric_total 1 # {aa=\"bb\"} true""#),
        (Array("custom_metric_total 1 # {aa=\"bb\",cc=}".utf8), #"expected label value, got "}" ("INVALID") while parsing: "custom_metric_total 1 # {aa=\"bb\",cc=}""#),
        (Array("custom_metric_total 1 # {aa=\\\"".utf8) + [0xFF] + Array("\\\"} 9.0".utf8), #"expected label value, got "\\" ("INVALID") while parsing: "custom_metric_total 1 # {aa=\\""#),
        (Array("a 1 NaN".utf8), #"invalid timestamp NaN"#),
        (Array("a 1 -Inf".utf8), #"invalid timestamp -Inf"#),
        (Array("a 1 Inf".utf8), #"invalid timestamp +Inf"#),
        (Array("# TYPE hhh histogram\nhhh_bucket{le=\"+Inf\"} 1 # {aa=\"bb\"} 4 NaN".utf8), #"invalid exemplar timestamp NaN"#),
        (Array("a{b=\u{0}\"ssss\"} 1\n# EOF\n".utf8), #"expected label value, got "\x00" ("INVALID") while parsing: "a{b=\x00""#),
        (Array("a{b=\"\u{0}".utf8), #"expected label value, got "\"\x00" ("INVALID") while parsing: "a{b=\"\x00""#),
        (Array("a{b\u{0}=\"hiih\"}\t1".utf8), #"expected equal, got "\x00" ("INVALID") while parsing: "a{b\x00""#),
        (Array("a\u{0}{b=\"ddd\"} 1".utf8), #"expected value after metric, got "\x00" ("INVALID") while parsing: "a\x00""#),
        (Array("#".utf8), ##"expected a valid start token, got "#" ("INVALID") while parsing: "#""##),
        (Array("# H".utf8), ##"expected a valid start token, got "# H" ("INVALID") while parsing: "# H""##),
        (Array("custom_metric_total 1 # {b=\u{0}\"ssss\"} 1\n".utf8), #"expected label value, got "\x00" ("INVALID") while parsing: "custom_metric_total 1 # {b=\x00""#),
        (Array("custom_metric_total 1 # {b=\"\u{0}ss\"} 1\n".utf8), #"expected label value, got "\"\x00" ("INVALID") while parsing: "custom_metric_total 1 # {b=\"\x00""#),
    ]

    @Test(arguments: 0..<cases.count)
    func upstreamErrorText(_ index: Int) {
        let (input, expected) = Self.cases[index]
        var sink = CountingSink()
        do {
            try OpenMetricsParser(options: .init(validate: false)).parse(input, into: &sink)
            Issue.record("case \(index) parsed")
        } catch {
            #expect(error.message == expected, "case \(index)")
        }
    }

    @Test func nullBytesInLabelValuesAndHelp() throws {
        for text in ["null_byte_metric{a=\"abc\u{0}\"} 1\n# EOF\n", "a{b=\"\u{0}ss\"} 1\n# EOF\n", "a{b=\"\u{0}\"} 1\n# EOF"] {
            var sink = CountingSink()
            try OpenMetricsParser().parse(text, into: &sink)
            #expect(sink.samples == 1)
        }
    }
}
