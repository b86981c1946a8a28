@testable import Engine
import TestSupport
import Testing

/// The protobuf exposition parser: what each metric type becomes (as Prometheus 3.14's `ProtobufParser`
/// hands it on), native histograms from integer deltas and float counts, the classic-histogram options,
/// and hostile bodies failing with an error.
@Suite struct ProtobufParserTests {
    typealias P = ProtobufExposition

    struct Sink: HistogramExpositionSink {
        var metadata: [ExpositionMetadata] = []
        /// Floats as `name{labels} value`, histograms as `name{labels} H`, in order.
        var lines: [String] = []
        var histograms: [FloatHistogram] = []
        var timestamps: [Int64?] = []

        static func render(_ labels: [ExpositionLabel]) -> String {
            (labels.first?.value ?? "") + "{" + labels.dropFirst().map { "\($0.name)=\($0.value)" }.joined(separator: ",") + "}"
        }
        mutating func metadata(_ metadata: ExpositionMetadata) { self.metadata.append(metadata) }
        mutating func sample(_ sample: ExpositionSample) {
            lines.append(Self.render(sample.labels) + " " + String(sample.value))
            timestamps.append(sample.timestampMs)
        }
        mutating func histogram(_ sample: ExpositionHistogramSample) {
            lines.append(Self.render(sample.labels) + " H")
            histograms.append(sample.histogram)
            timestamps.append(sample.timestampMs)
        }
    }

    func parse(_ families: [P.Family], _ parser: ProtobufParser = ProtobufParser()) throws -> Sink {
        var sink = Sink()
        try parser.parse(try P.encode(families), into: &sink)
        return sink
    }

    @Test func everyFloatTypeBecomesItsSeries() throws {
        var summary = P.metric([("path", "/")]) { m in
            m.summary.sampleCount = 7
            m.summary.sampleSum = 3.5
        }
        for (q, v) in [(0.5, 0.25), (0.99, 1.0)] {
            var quantile = Io_Prometheus_Client_Quantile()
            quantile.quantile = q
            quantile.value = v
            summary.summary.quantile.append(quantile)
        }
        let sink = try parse([
            P.family("requests_total", .counter, help: "Requests.", [
                P.metric([("code", "200")], timestampMs: 1_700_000_000_000) { $0.counter.value = 10 },
                P.metric([("code", "500")]) { $0.counter.value = 2 },
            ]),
            P.family("temperature", .gauge, unit: "celsius", [P.metric { $0.gauge.value = -3.5 }]),
            P.family("things", .untyped, [P.metric { $0.untyped.value = 1 }]),
            P.family("latency", .summary, [summary]),
            P.family("empty", .counter, []),
            P.family("size", .histogram, [P.metric { m in
                m.histogram.sampleCount = 11
                m.histogram.sampleSum = 20
                m.histogram.bucket = [P.bucket(1, 5), P.bucket(10, 11)]
            }]),
        ])
        #expect(sink.lines == [
            "requests_total{code=200} 10.0", "requests_total{code=500} 2.0",
            "temperature{} -3.5",
            "things{} 1.0",
            "latency_count{path=/} 7.0", "latency_sum{path=/} 3.5",
            "latency{path=/,quantile=0.5} 0.25", "latency{path=/,quantile=0.99} 1.0",
            "size_count{} 11.0", "size_sum{} 20.0", "size_bucket{le=1.0} 5.0", "size_bucket{le=10.0} 11.0",
            "size_bucket{le=+Inf} 11.0",
        ])
        #expect(sink.timestamps.first == 1_700_000_000_000)
        #expect(sink.timestamps.dropFirst().allSatisfy { $0 == nil })
        // A family without metrics has no metadata either.
        #expect(sink.metadata.map(\.name) == ["requests_total", "temperature", "things", "latency", "size"])
        #expect(sink.metadata.map(\.type) == [.counter, .gauge, .unknown, .summary, .histogram])
        #expect(sink.metadata[0].help == "Requests.")
        #expect(sink.metadata[1].unit == "celsius")
    }

    @Test func integerNativeHistogramsAreSummedFromDeltasAndCompacted() throws {
        let sink = try parse([P.family("rpc_seconds", .histogram, [P.metric([("svc", "a")]) { $0.histogram = P.integerNative() }])])
        #expect(sink.lines == ["rpc_seconds{svc=a} H"])
        #expect(sink.histograms == [P.integerNativeExpected])
    }

    @Test func floatNativeHistogramsKeepTheirCountsAndGaugeHistogramsAreGauges() throws {
        let sink = try parse([P.family("g", .gaugeHistogram, [P.metric { $0.histogram = P.floatNative() }])])
        let h = try #require(sink.histograms.first)
        #expect(h.counterResetHint == .gauge)
        #expect(h.schema == 3)
        #expect(h.count == 6)
        #expect(h.positiveSpans == [.init(offset: -2, length: 4)])
        #expect(h.positiveBuckets == [1.5, 1.5, 1.5, 1.5])
        #expect(sink.metadata.first?.type == .gaugehistogram)
    }

    @Test func classicSeriesFollowTheNativeHistogramOnlyWhenAskedFor() throws {
        let family = P.family("rpc_seconds", .histogram, [P.metric { $0.histogram = P.integerNative() }])
        let classic = ["rpc_seconds_count{} 13.0", "rpc_seconds_sum{} 42.5", "rpc_seconds_bucket{le=1.0} 5.0",
                       "rpc_seconds_bucket{le=10.0} 11.0", "rpc_seconds_bucket{le=+Inf} 13.0"]
        #expect(try parse([family], ProtobufParser(keepClassicHistograms: true)).lines == ["rpc_seconds{} H"] + classic)
        // Native histograms not scraped: the classic series alone.
        let ignored = try parse([family], ProtobufParser(ignoreNativeHistograms: true, keepClassicHistograms: true))
        #expect(ignored.lines == classic)
        #expect(ignored.histograms.isEmpty)
    }

    @Test func classicHistogramsBecomeCustomBucketHistogramsWhenConverted() throws {
        let classic = P.family("size", .histogram, [P.metric([("k", "v")]) { m in
            m.histogram.sampleCount = 11
            m.histogram.sampleSum = 20
            // Out of order, as convertnhcb accepts them.
            m.histogram.bucket = [P.bucket(10, 11), P.bucket(1, 5)]
        }])
        let nhcb = FloatHistogram(schema: FloatHistogram.customBucketsSchema, count: 11, sum: 20,
                                  positiveSpans: [.init(offset: 0, length: 2)], positiveBuckets: [5, 6], customValues: [1, 10])
        let converted = try parse([classic], ProtobufParser(convertClassicHistogramsToNHCB: true))
        #expect(converted.lines == ["size{k=v} H"])
        #expect(converted.histograms == [nhcb])
        // Kept classic series come first, then the converted histogram.
        let both = try parse([classic], ProtobufParser(keepClassicHistograms: true, convertClassicHistogramsToNHCB: true))
        #expect(both.lines.first == "size_count{k=v} 11.0")
        #expect(both.lines.last == "size{k=v} H")
        #expect(both.histograms == [nhcb])
        // A native histogram is not converted.
        let native = try parse([P.family("rpc", .histogram, [P.metric { $0.histogram = P.integerNative() }])],
                               ProtobufParser(convertClassicHistogramsToNHCB: true))
        #expect(native.histograms == [P.integerNativeExpected])
    }

    @Test func classicHistogramsThatCannotBeConvertedAreErrors() throws {
        func attempt(count: UInt64, _ buckets: [(Double, UInt64)]) throws {
            _ = try parse([P.family("h", .histogram, [P.metric { m in
                m.histogram.sampleCount = count
                m.histogram.bucket = buckets.map { P.bucket($0.0, $0.1) }
            }])], ProtobufParser(convertClassicHistogramsToNHCB: true))
        }
        #expect(throws: ProtobufParser.ParseError(offset: 0, message: "histogram \"h\": count is not cumulative: 3 < 5")) {
            try attempt(count: 5, [(1, 5), (2, 3)])
        }
        #expect(throws: ProtobufParser.ParseError(offset: 0, message: "histogram \"h\": count mismatch: count=12 != le=+Inf count=11")) {
            try attempt(count: 12, [(1, 5), (.infinity, 11)])
        }
    }

    @Test(arguments: [
        // A length prefix whose varint never ends.
        ([0x80, 0x80], "truncated length prefix"),
        ([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], "varint too long"),
        // A length far past the end of the body.
        ([0xFF, 0xFF, 0xFF, 0x7F, 0x0A], "exceeds the"),
        // Field 1 (name) claims 5 bytes, 2 follow.
        ([0x04, 0x0A, 0x05, 0x61, 0x62], "invalid MetricFamily message"),
        // The name is invalid UTF-8.
        ([0x04, 0x0A, 0x02, 0xC3, 0x28], "invalid MetricFamily message"),
    ] as [([UInt8], String)])
    func hostileBodiesFailWithAnError(body: [UInt8], message: String) {
        var sink = Sink()
        #expect {
            try ProtobufParser().parse(body, into: &sink)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func spansThatDoNotMatchTheBucketsAndUnknownTypesAreErrors() throws {
        var bad = P.integerNative()
        bad.positiveDelta.removeLast()
        #expect(throws: ProtobufParser.ParseError(offset: 0, message: "histogram \"h\": positive side: spans require 4 buckets, have 3")) {
            _ = try parse([P.family("h", .histogram, [P.metric { $0.histogram = bad }])])
        }
        #expect(throws: ProtobufParser.ParseError(offset: 0, message: "unknown metric type for metric \"x\": 9")) {
            _ = try parse([P.family("x", .UNRECOGNIZED(9), [P.metric { $0.gauge.value = 1 }])])
        }
        #expect(throws: ProtobufParser.ParseError(offset: 0, message: "invalid metric name: ")) {
            _ = try parse([P.family("", .gauge, [P.metric { $0.gauge.value = 1 }])])
        }
    }

    /// Span lengths are summed in full width (the largest lengths a body can carry neither wrap nor trap).
    @Test func hugeSpanLengthsAreCountedNotWrapped() {
        var span = Io_Prometheus_Client_BucketSpan()
        span.length = .max
        #expect(throws: ProtobufParser.ParseError(offset: 7, message: "positive side: spans require 8589934590 buckets, have 2")) {
            try ProtobufParser.checkSpans("positive", [span, span], 2, offset: 7)
        }
    }

    /// Every truncation and many random byte flips of a valid body parse or fail, never crash.
    @Test func mutatedBodiesNeverCrash() throws {
        let body = try P.encode([
            P.family("a", .counter, [P.metric([("k", "v")]) { $0.counter.value = 1 }]),
            P.family("b", .histogram, [P.metric { $0.histogram = P.integerNative() }]),
            P.family("c", .gaugeHistogram, [P.metric { $0.histogram = P.floatNative() }]),
        ])
        var outcomes = (ok: 0, failed: 0)
        func run(_ bytes: [UInt8]) {
            var sink = Sink()
            do {
                try ProtobufParser(keepClassicHistograms: true).parse(bytes, into: &sink)
                outcomes.ok += 1
            } catch {
                outcomes.failed += 1
            }
        }
        for n in 0..<body.count { run(Array(body[..<n])) }
        var rng = TestRNG(seed: 10)
        for _ in 0..<3_000 {
            var b = body
            for _ in 0...Int(rng.next() % 4) { b[Int(rng.next() % UInt64(b.count))] = UInt8(truncatingIfNeeded: rng.next()) }
            run(b)
        }
        #expect(outcomes.ok > 0)
        #expect(outcomes.failed > 0)
    }
}
