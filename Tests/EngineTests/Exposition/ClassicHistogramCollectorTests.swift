@testable import Engine
import Testing

/// `convert_classic_histograms_to_nhcb` on the text formats: the cases of Prometheus 3.14's
/// `model/textparse/nhcbparse_test.go` (`TestNHCBParserOnOMParser`, `…_MultipleHistograms`,
/// `TestNHCBParserErrorHandling`, the classic-only rows of the issue 13532 table) as a table, run through our
/// parsers and `ClassicHistogramCollector`; expected custom-bucket histograms are 3.14's, their integer
/// delta buckets written here as absolute counts.
@Suite struct ClassicHistogramCollectorTests {
    /// A sink that runs the collector as the scraper does and writes what comes out, one line each:
    /// `name{a=b} value [@ts]` for floats, `name{a=b} NHCB {…} spans buckets cv [@ts]` for histograms.
    struct Sink: ExpositionSink {
        var collector: ClassicHistogramCollector
        var lines: [String] = []

        static func render(_ labels: [ExpositionLabel]) -> String {
            let rest = labels.dropFirst().map { "\($0.name)=\($0.value)" }.joined(separator: ",")
            return (labels.first?.value ?? "") + (rest.isEmpty ? "" : "{" + rest + "}")
        }
        static func at(_ ts: Int64?) -> String { ts.map { " @\($0)" } ?? "" }

        mutating func emit(_ h: ExpositionHistogramSample?) {
            guard let h else { return }
            lines.append(Self.render(h.labels) + " " + ClassicHistogramCollectorTests.describe(h.histogram) + Self.at(h.timestampMs))
        }
        mutating func metadata(_ metadata: ExpositionMetadata) { emit(collector.metadata(metadata)) }
        mutating func sample(_ sample: ExpositionSample) {
            let outcome = collector.sample(sample)
            emit(outcome.converted)
            if outcome.keep { lines.append(Self.render(sample.labels) + " " + String(sample.value) + Self.at(sample.timestampMs)) }
        }
    }

    /// A custom-bucket histogram as a line: count, sum, spans, absolute bucket counts, custom values.
    static func describe(_ h: FloatHistogram) -> String {
        let spans = h.positiveSpans.map { "\($0.offset):\($0.length)" }.joined(separator: ",")
        return "NHCB schema=\(h.schema) count=\(h.count) sum=\(h.sum) spans=[\(spans)] buckets=\(h.positiveBuckets) cv=\(h.customValues)"
    }

    static func parse(_ input: String, openMetrics: Bool, keepClassic: Bool = false) throws -> [String] {
        var sink = Sink(collector: ClassicHistogramCollector(keepClassicHistograms: keepClassic, openMetrics: openMetrics))
        if openMetrics {
            try OpenMetricsParser(options: .init(validate: false)).parse(Array(input.utf8), into: &sink)
        } else {
            try PrometheusTextParser().parse(input, into: &sink)
        }
        if let last = sink.collector.finish() { sink.emit(last) }
        return sink.lines
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var input: String
        var openMetrics = true
        var keepClassic = false
        var expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // TestNHCBParserOnOMParser, the histogram and gauge-histogram families.
        Case(name: "OM: one +Inf bucket; gauge histograms are not converted; exemplars are read", input: """
        # TYPE hh histogram
        hh_bucket{le="+Inf"} 1
        # TYPE gh gaugehistogram
        gh_bucket{le="+Inf"} 1
        # TYPE hhh histogram
        hhh_bucket{le="+Inf"} 1 # {id="histogram-bucket-test"} 4
        hhh_count 1 # {id="histogram-count-test"} 4
        # TYPE ggh gaugehistogram
        ggh_bucket{le="+Inf"} 1 # {id="gaugehistogram-bucket-test",xx="yy"} 4 123.123
        ggh_count 1 # {id="gaugehistogram-count-test",xx="yy"} 4 123.123
        # EOF
        """, expected: [
            "hh NHCB schema=-53 count=1.0 sum=0.0 spans=[0:1] buckets=[1.0] cv=[]",
            "gh_bucket{le=+Inf} 1.0",
            "hhh NHCB schema=-53 count=1.0 sum=0.0 spans=[0:1] buckets=[1.0] cv=[]",
            "ggh_bucket{le=+Inf} 1.0",
            "ggh_count 1.0",
        ]),
        Case(name: "OM: _created after the buckets is skipped once a histogram was gathered", input: """
        # HELP baz Histogram with the same objective as above's summary
        # TYPE baz histogram
        baz_bucket{le="0.0"} 0
        baz_bucket{le="+Inf"} 17
        baz_count 17
        baz_sum 324789.3
        baz_created 1520872609.125
        # HELP fizz_created Gauge which shouldn't be parsed as ST
        # TYPE fizz_created gauge
        fizz_created 17.0
        # HELP something Histogram with _created between buckets and summary
        # TYPE something histogram
        something_count 18
        something_sum 324789.4
        something_created 1520430001
        something_bucket{le="0.0"} 1
        something_bucket{le="+Inf"} 18
        something_count{a="b"} 9
        something_sum{a="b"} 42123.0
        something_bucket{a="b",le="0.0"} 8
        something_bucket{a="b",le="+Inf"} 9
        something_created{a="b"} 1520430002
        # TYPE foo counter
        foo_total 17.0
        foo_created 1520872607.123
        # EOF
        """, expected: [
            // The first empty bucket is compacted away (3.14: span offset 1).
            "baz NHCB schema=-53 count=17.0 sum=324789.3 spans=[1:1] buckets=[17.0] cv=[0.0]",
            "fizz_created 17.0",
            "something NHCB schema=-53 count=18.0 sum=324789.4 spans=[0:2] buckets=[1.0, 17.0] cv=[0.0]",
            "something{a=b} NHCB schema=-53 count=9.0 sum=42123.0 spans=[0:2] buckets=[8.0, 1.0] cv=[0.0]",
            "foo_total 17.0",
        ]),
        Case(name: "OM: before any histogram _created series pass through", input: """
        # TYPE foo counter
        foo_total 17.0
        foo_created 1520872607.123
        # EOF
        """, expected: ["foo_total 17.0", "foo_created 1520872607.123"]),
        // TestNHCBParserOMParser_MultipleHistograms.
        Case(name: "OM: two label sets, count and sum first, exemplars on buckets", input: """
        # HELP something Histogram with _created between buckets and summary
        # TYPE something histogram
        something_count 18
        something_sum 324789.4
        something_bucket{le="0.0"} 1 # {id="something-test"} -2.0
        something_bucket{le="1.0"} 16 # {id="something-test"} 0.5
        something_bucket{le="+Inf"} 18 # {id="something-test"} 8
        something_count{a="b"} 9
        something_sum{a="b"} 42123.0
        something_bucket{a="b",le="0.0"} 8 # {id="something-test"} 0.0 123.321
        something_bucket{a="b",le="1.0"} 8
        something_bucket{a="b",le="+Inf"} 9 # {id="something-test"} 2e100 123.000
        # EOF
        """, expected: [
            "something NHCB schema=-53 count=18.0 sum=324789.4 spans=[0:3] buckets=[1.0, 15.0, 2.0] cv=[0.0, 1.0]",
            // An empty bucket between two is kept in an integer histogram (3.14's Compact(2)).
            "something{a=b} NHCB schema=-53 count=9.0 sum=42123.0 spans=[0:3] buckets=[8.0, 0.0, 1.0] cv=[0.0, 1.0]",
        ]),
        // TestNHCBParserErrorHandling: the non-cumulative histogram is dropped without an error.
        Case(name: "OM: a histogram whose buckets are not cumulative is dropped", input: """
        # HELP something Histogram with non cumulative buckets
        # TYPE something histogram
        something_count 18
        something_sum 324789.4
        something_created 1520430001
        something_bucket{le="0.0"} 18
        something_bucket{le="+Inf"} 1
        something_count{a="b"} 9
        something_sum{a="b"} 42123
        something_created{a="b"} 1520430002
        something_bucket{a="b",le="0.0"} 1
        something_bucket{a="b",le="+Inf"} 9
        # EOF
        """, expected: [
            "something{a=b} NHCB schema=-53 count=9.0 sum=42123.0 spans=[0:2] buckets=[1.0, 8.0] cv=[0.0]",
        ]),
        // Issue 13532 table, case 1 (only a classic histogram): classic kept with always_scrape_classic_histograms.
        Case(name: "text: classic series kept beside the NHCB", input: """
        # TYPE rpc histogram
        rpc_bucket{svc="a",le="0.5"} 2
        rpc_bucket{svc="a",le="+Inf"} 3
        rpc_sum{svc="a"} 1.5
        rpc_count{svc="a"} 3
        """, openMetrics: false, keepClassic: true, expected: [
            "rpc_bucket{svc=a,le=0.5} 2.0",
            "rpc_bucket{svc=a,le=+Inf} 3.0",
            "rpc_sum{svc=a} 1.5",
            "rpc_count{svc=a} 3.0",
            "rpc{svc=a} NHCB schema=-53 count=3.0 sum=1.5 spans=[0:2] buckets=[2.0, 1.0] cv=[0.5]",
        ]),
        Case(name: "text: the NHCB replaces the classic series", input: """
        # TYPE rpc histogram
        rpc_bucket{svc="a",le="0.5"} 2
        rpc_bucket{svc="a",le="+Inf"} 3
        rpc_sum{svc="a"} 1.5
        rpc_count{svc="a"} 3
        # TYPE up gauge
        up 1
        """, openMetrics: false, expected: [
            "rpc{svc=a} NHCB schema=-53 count=3.0 sum=1.5 spans=[0:2] buckets=[2.0, 1.0] cv=[0.5]",
            "up 1.0",
        ]),
        Case(name: "text: buckets out of order, a repeated bound, no +Inf bucket, no count", input: """
        # TYPE d histogram
        d_bucket{le="10"} 5
        d_bucket{le="1"} 2
        d_bucket{le="1"} 4
        d_sum 20
        """, openMetrics: false, expected: [
            "d NHCB schema=-53 count=5.0 sum=20.0 spans=[0:2] buckets=[2.0, 3.0] cv=[1.0, 10.0]",
        ]),
        Case(name: "text: fractional counts make a float histogram (every empty bucket dropped)", input: """
        # TYPE f histogram
        f_bucket{le="1"} 0.5
        f_bucket{le="2"} 0.5
        f_bucket{le="+Inf"} 1.5
        f_count 1.5
        """, openMetrics: false, expected: [
            "f NHCB schema=-53 count=1.5 sum=0.0 spans=[0:1,1:1] buckets=[0.5, 1.0] cv=[1.0, 2.0]",
        ]),
        Case(name: "text: _count different from the +Inf bucket drops the histogram", input: """
        # TYPE m histogram
        m_bucket{le="+Inf"} 3
        m_count 4
        """, openMetrics: false, expected: []),
        Case(name: "text: an le that does not parse leaves the series a float; no le either", input: """
        # TYPE b histogram
        b_bucket{le="x"} 1
        b_bucket 2
        b_bucket{le="NaN"} 3
        """, openMetrics: false, expected: ["b_bucket{le=x} 1.0", "b_bucket 2.0", "b_bucket{le=NaN} 3.0"]),
        Case(name: "text: the histogram takes the timestamp of the series that ended it", input: """
        # TYPE t histogram
        t_bucket{le="+Inf"} 1 1000
        t_count 1 2000
        other 5 3000
        """, openMetrics: false, expected: [
            "t NHCB schema=-53 count=1.0 sum=0.0 spans=[0:1] buckets=[1.0] cv=[] @3000",
            "other 5.0 @3000",
        ]),
        Case(name: "text: series of a family without # TYPE histogram pass through", input: """
        h_bucket{le="+Inf"} 1
        h_count 1
        # TYPE s summary
        s_count 1
        """, openMetrics: false, expected: ["h_bucket{le=+Inf} 1.0", "h_count 1.0", "s_count 1.0"]),
        Case(name: "text: _created in a text histogram is a float that ends the histogram", input: """
        # TYPE c histogram
        c_bucket{le="+Inf"} 1
        c_created 17
        c_count 1
        """, openMetrics: false, expected: [
            "c NHCB schema=-53 count=1.0 sum=0.0 spans=[0:1] buckets=[1.0] cv=[]",
            "c_created 17.0",
            "c NHCB schema=-53 count=1.0 sum=0.0 spans=[0:1] buckets=[1.0] cv=[]",
        ]),
    ]

    @Test(arguments: cases)
    func convertsAs314Does(_ c: Case) throws {
        #expect(try Self.parse(c.input, openMetrics: c.openMetrics, keepClassic: c.keepClassic) == c.expected)
    }

    @Test func infiniteCountsMakeAFloatHistogram() {
        // Go's int64 conversion of +Inf does not round-trip, so 3.14 takes the float path (Compact(0)).
        #expect(!CustomBucketsConversion.isInt64(.infinity))
        #expect(!CustomBucketsConversion.isInt64(9_223_372_036_854_775_808.0))
        #expect(CustomBucketsConversion.isInt64(9_007_199_254_740_992.0))
    }
}
