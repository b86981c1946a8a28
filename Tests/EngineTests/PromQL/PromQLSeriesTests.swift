import Testing
import TestSupport
@testable import Engine

@Suite struct PromQLSeriesTests {
    private func floats(_ vs: [Double?]) -> [SeriesValue] { vs.map { $0.map(SeriesValue.float) ?? .omitted } }

    @Test func floatSeries() throws {
        let cases: [(String, Labels, [Double?])] = [
            ("{} 1 2 3", Labels(), [1, 2, 3]),
            (#"{a="b"} -1 2 3"#, Labels(["a": "b"]), [-1, 2, 3]),
            ("my_metric 1 2 3", Labels(["__name__": "my_metric"]), [1, 2, 3]),
            ("my_metric{} 1 2 3", Labels(["__name__": "my_metric"]), [1, 2, 3]),
            (#"my_metric{a="b"} 1 2 3"#, Labels(["__name__": "my_metric", "a": "b"]), [1, 2, 3]),
            (#"my_metric{a="b"} 1 2 3-10x4"#, Labels(["__name__": "my_metric", "a": "b"]), [1, 2, 3, -7, -17, -27, -37]),
            (#"my_metric{a="b"} 1 2 3-0x4"#, Labels(["__name__": "my_metric", "a": "b"]), [1, 2, 3, 3, 3, 3, 3]),
            ("{} 1x0", Labels(), [1]),
            ("{} 1+1x0", Labels(), [1]),
            (#"my_metric{a="b"} 1 3 _ 5 _x4"#, Labels(["__name__": "my_metric", "a": "b"]), [1, 3, nil, 5, nil, nil, nil, nil]),
            (#"my_metric{a="b"} 1 -1"#, Labels(["__name__": "my_metric", "a": "b"]), [1, -1]),
            (#"my_metric{a="b"} 1 +1"#, Labels(["__name__": "my_metric", "a": "b"]), [1, 1]),
            (#"my_metric{a="b"} 1 -1 -3-10x4 7 9 +5"#, Labels(["__name__": "my_metric", "a": "b"]), [1, -1, -3, -13, -23, -33, -43, 7, 9, 5]),
            (#"my_metric{a="b"} 1 +1 +4 -6 -2 8"#, Labels(["__name__": "my_metric", "a": "b"]), [1, 1, 4, -6, -2, 8]),
            (#"my_metric{a="b"} 1 2 3    "#, Labels(["__name__": "my_metric", "a": "b"]), [1, 2, 3]),
            (#"my_metric{a="\u70ac"} 1 2 3"#, Labels(["__name__": "my_metric", "a": "炬"]), [1, 2, 3]),
            (#"my_metric{a="\u70ac = torch"} 1 2 3"#, Labels(["__name__": "my_metric", "a": "炬 = torch"]), [1, 2, 3]),
            ("{\"http.requests\", \"service.name\"=\"api-server\", instance=\"0\", group=\"canary\"}\t\t0+50x2",
             Labels(["__name__": "http.requests", "service.name": "api-server", "instance": "0", "group": "canary"]), [0, 50, 100]),
            ("foo 1 Inf -Inf", Labels(["__name__": "foo"]), [1, .infinity, -.infinity]),
            ("", Labels(), []),
        ]
        for (input, labels, values) in cases {
            let (l, v) = try PromQLParser.parseSeriesDescription(input)
            #expect(l == labels, "\(input)")
            #expect(v == floats(values), "\(input)")
        }
        let (_, stale) = try PromQLParser.parseSeriesDescription("foo 1 stale NaN")
        #expect(stale.count == 3)
        if case .float(let s) = stale[1] { #expect(s.bitPattern == SeriesValue.staleNaN.bitPattern) } else { Issue.record("stale") }
        if case .float(let n) = stale[2] { #expect(n.isNaN && n.bitPattern != SeriesValue.staleNaN.bitPattern) } else { Issue.record("NaN") }
    }

    @Test func invalidSeries() {
        let bad = ["{} 1+1", #"my_metric{a="b"} 1 3 _ 5 _a4"#, #"my_metric{a="b"} -3-3 -3"#, #"my_metric{a="b"} -3 -3-3"#,
                   #"my_metric{a="b"} -3 _-2"#, #"my_metric{a="b"} -3 3+3x4-4"#, "foo 1 bar"]
        for input in bad {
            #expect(throws: PromQLParseError.self, "\(input)") { try PromQLParser.parseSeriesDescription(input) }
        }
        let messages: [(String, String)] = [
            ("{\"http.requests\"xx}\t\t0+50x2", #"1:17: parse error: unexpected identifier "xx" in label set, expected "," or "}""#),
            ("{\"http.requests\"=, x=\"y\"}\t\t0+50x2", #"1:18: parse error: unexpected "," in label set, expected string"#),
            ("{\"http.requests}\t\t0+50x2", "1:2: parse error: unterminated quoted string"),
            ("{} {{schema:1 schema:1}}", #"1:1: parse error: duplicate key "schema" in histogram"#),
            ("{} {{foo:1}}", #"1:6: parse error: bad histogram descriptor found: "foo""#),
            ("{} {{schema :1}}", "1:6: parse error: missing `:` for histogram descriptor"),
            ("{} {{schema: 1}}", #"1:13: parse error: unexpected " " in series values"#),
            ("{} {{buckets:[ 1]}}", #"1:15: parse error: unexpected " " in series values"#),
            ("{} {{counter_reset_hint:foo}}", #"1:25: parse error: bad histogram descriptor found: "foo""#),
        ]
        for (input, want) in messages {
            do {
                _ = try PromQLParser.parseSeriesDescription(input)
                Issue.record("\(input) should fail")
            } catch {
                #expect(error.description == want, "\(input)")
            }
        }
    }

    @Test func histogramSeries() throws {
        let (_, all) = try PromQLParser.parseSeriesDescription(
            "{} {{schema:1 sum:0.3 count:3.1 z_bucket:7.1 z_bucket_w:0.05 buckets:[5.1 10 7] offset:3 n_buckets:[4.1 5] n_offset:5 counter_reset_hint:gauge}}")
        var h = HistogramLiteral()
        h.schema = 1
        h.sum = 0.3
        h.count = 3.1
        h.zeroCount = 7.1
        h.zeroThreshold = 0.05
        h.positiveBuckets = [5.1, 10, 7]
        h.positiveOffset = 3
        h.negativeBuckets = [4.1, 5]
        h.negativeOffset = 5
        h.counterResetHint = "gauge"
        #expect(all == [.histogram(h)])
        let (_, spaced) = try PromQLParser.parseSeriesDescription(
            "{} {{schema:1  sum:0.3  count:3  z_bucket:7 z_bucket_w:5 buckets:[5 10  7  ] offset:-3  n_buckets:[4 5]  n_offset:5  counter_reset_hint:gauge  }}")
        if case .histogram(let s) = spaced.first { #expect(s.positiveOffset == -3 && s.positiveBuckets == [5, 10, 7]) } else { Issue.record("spaced") }
        #expect(try PromQLParser.parseSeriesDescription("{} {{}}").values == [.histogram(HistogramLiteral())])
        #expect(try PromQLParser.parseSeriesDescription("{} {{ }}").values == [.histogram(HistogramLiteral())])
        #expect(try PromQLParser.parseSeriesDescription("{} {{buckets:[5 10 7] schema:1}}x2").values.count == 3)
        let (_, steps) = try PromQLParser.parseSeriesDescription("{} {{sum:1}}+{{sum:1}}x2 {{sum:2}}-{{sum:2}}x1")
        #expect(steps.count == 5)
        if case .histogramStep(_, let inc, let i, let sub) = steps[2] { #expect(inc.sum == 1 && i == 2 && !sub) } else { Issue.record("step") }
        if case .histogramStep(_, _, let i, let sub) = steps[4] { #expect(i == 1 && sub) } else { Issue.record("sub") }
    }

    /// Every series line of every `load` command in the corpus parses.
    @Test(.needsCorpus, arguments: PromQLCorpus.files)
    func corpusLoadLinesParse(_ file: String) throws {
        let text = try #require(PromQLCorpus.read(file))
        var inLoad = false
        var count = 0
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            if line.hasPrefix("load") {
                inLoad = true
                continue
            }
            guard inLoad else { continue }
            if line.isEmpty || !(line.hasPrefix(" ") || line.hasPrefix("\t")) {
                inLoad = false
                continue
            }
            let body = line.trimmingLeadingWhitespace()
            // `metric@st` lines carry promqltest's start-timestamp notation, which the test runner handles.
            if body.hasPrefix("#") || body.allSatisfy({ $0 == " " || $0 == "\t" }) || body.split(separator: " ").first?.hasSuffix("@st") == true { continue }
            count += 1
            do {
                let (_, values) = try PromQLParser.parseSeriesDescription(body)
                #expect(!values.isEmpty, "\(file):\(i + 1)")
            } catch {
                Issue.record("\(file):\(i + 1): \(body): \(error)")
            }
        }
        #expect(count > 0 || !text.contains("\nload"))
    }

    @Test func metricsAndSelectors() throws {
        #expect(try PromQLParser.parseMetric(#"up{job="prometheus", instance="localhost:9090"}"#)
            == Labels(["__name__": "up", "job": "prometheus", "instance": "localhost:9090"]))
        #expect(try PromQLParser.parseMetric(#"{"my.metric", "a.b"="c"}"#) == Labels(["__name__": "my.metric", "a.b": "c"]))
        #expect(throws: PromQLParseError.self) { try PromQLParser.parseMetric(#"up{job="x"} 1"#) }
        let m = try PromQLParser.parseMetricSelector(#"foo{bar="baz", a=~"b.*"}"#)
        #expect(m.map(\.description) == [#"bar="baz""#, #"a=~"b.*""#, #"__name__="foo""#])
        #expect(try PromQLParser.parseMetricSelector("{}").isEmpty)
        do {
            _ = try PromQLParser.parseMetricSelector("foo bar")
            Issue.record("should fail")
        } catch {
            #expect(error.description == #"1:5: parse error: unexpected identifier "bar""#)
        }
    }
}
