import Testing
@testable import Engine

/// The text parser's offer of each sample's series bytes (`recognizes(series:)`), which lets a scraper skip
/// building labels for series it has seen: what is offered, and that a recognised sample keeps its value,
/// timestamp and line, and its errors.
@Suite struct ExpositionSeriesRecognitionTests {
    /// Remembers every series' bytes from `sample` calls and recognises them afterwards.
    struct RememberingSink: ExpositionSink {
        var known: Set<[UInt8]> = []
        var pendingKey: [UInt8]?
        var offered: [String] = []
        var full: [ExpositionSample] = []
        var recognized: [(value: Double, timestampMs: Int64?, line: Int)] = []

        static var recognizesSeries: Bool { true }

        mutating func metadata(_ metadata: ExpositionMetadata) {}
        mutating func sample(_ sample: ExpositionSample) {
            if let key = pendingKey { known.insert(key) }
            pendingKey = nil
            full.append(sample)
        }
        mutating func recognizes(series: UnsafeBufferPointer<UInt8>) -> Bool {
            let bytes = Array(series)
            offered.append(String(decoding: bytes, as: UTF8.self))
            if known.contains(bytes) { return true }
            pendingKey = bytes
            return false
        }
        mutating func knownSample(value: Double, timestampMs: Int64?, line: Int) {
            recognized.append((value, timestampMs, line))
        }
    }

    func parse(_ text: String, into sink: inout RememberingSink) throws(ExpositionError) {
        try PrometheusTextParser().parse(text, into: &sink)
    }

    @Test func offersTheSeriesAsWritten() throws {
        var sink = RememberingSink()
        try parse("""
        # TYPE a counter
        a 1
          b {x="}",y="q\\"{"} 2 1000
        {"my.metric", z="1"} 3
        c{} 4

        """, into: &sink)
        #expect(sink.offered == [#"a"#, #"b {x="}",y="q\"{"}"#, #"{"my.metric", z="1"}"#, #"c{}"#])
        #expect(sink.full.count == 4 && sink.recognized.isEmpty)
    }

    @Test func recognisedSamplesKeepValueTimestampAndLine() throws {
        var sink = RememberingSink()
        try parse("m{a=\"1\"} 1\nm{a=\"2\"} 2\n", into: &sink)
        try parse("m{a=\"2\"} 20 5000\n# comment\nm{a=\"3\"} 30\nm{a=\"1\"}   10\n", into: &sink)
        #expect(sink.full.map(\.value) == [1, 2, 30])
        #expect(sink.recognized.map(\.value) == [20, 10])
        #expect(sink.recognized.map(\.timestampMs) == [5000, nil])
        #expect(sink.recognized.map(\.line) == [1, 4])
    }

    @Test func recognisedSeriesStillFailOnBadValuesAndTrailers() throws {
        var sink = RememberingSink()
        try parse("m{a=\"1\"} 1\n", into: &sink)
        var bad = sink
        #expect(throws: ExpositionError.self) { try parse("m{a=\"1\"} x1\n", into: &bad) }
        bad = sink
        #expect(throws: ExpositionError.self) { try parse("m{a=\"1\"} 1 2 3\n", into: &bad) }
        bad = sink
        #expect(throws: ExpositionError.self) { try parse("m{a=\"1\"}\n", into: &bad) }
    }

    /// A series whose label value spans lines is never offered (the full parse keeps line counting).
    @Test func multiLineSeriesAreNotOffered() throws {
        var sink = RememberingSink()
        try parse("m{a=\"x\ny\"} 1\nn 2\n", into: &sink)
        #expect(sink.offered == ["n"])
        #expect(sink.full.count == 2)
        #expect(sink.full.last?.line == 3)
    }

    /// The default sink knows nothing: every sample arrives with its labels.
    @Test func defaultSinksGetEverySampleWithLabels() throws {
        var sink = CollectingSink()
        try PrometheusTextParser().parse("m 1\nm 2\n", into: &sink)
        #expect(sink.samples.map(\.metricName) == ["m", "m"])
    }
}
