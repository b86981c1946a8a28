import GoCompat
import SwiftProtobuf

/// The protobuf exposition format (`application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;
/// encoding=delimited`): a stream of varint-length-delimited `io.prometheus.client.MetricFamily` messages,
/// read as Prometheus 3.14's `ProtobufParser` reads them. It is the only format that carries native
/// histograms, so scraping it is how `native_histogram_bucket_limit` and `native_histogram_min_bucket_factor`
/// meet real data.
///
/// What is handed to the sink, per family with at least one metric: its metadata, then per metric
/// - counter, gauge, untyped: one sample named after the family;
/// - summary: `_count`, `_sum`, then one sample per quantile (`quantile` label in OpenMetrics float form);
/// - histogram and gauge histogram: a native histogram when the message has one (spans, a zero threshold or a
///   zero count) and native histograms are not ignored — followed by the classic series too when
///   `keepClassicHistograms` is set and the message has classic buckets; otherwise the classic series:
///   `_count`, `_sum`, one `_bucket` per bucket and a `+Inf` bucket if the message has none.
///
/// Decoding is swift-protobuf's (wire format, lengths, UTF-8 of strings); a length prefix longer than the
/// rest of the body, a malformed message, an unknown metric type, an empty metric or label name and a native
/// histogram whose spans do not match its bucket count are errors, never a crash. Exemplars are not read.
public struct ProtobufParser: Sendable {
    /// A parse failure: the byte offset of the length prefix of the family it is in, and what is wrong.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var offset: Int
        public var message: String

        public init(offset: Int, message: String) {
            self.offset = offset
            self.message = message
        }

        public var description: String { "protobuf exposition at byte \(offset): \(message)" }
    }

    /// Prometheus's `IgnoreNativeHistograms` (true unless `scrape_native_histograms` is on): native
    /// histograms are read as their classic series instead.
    public var ignoreNativeHistograms: Bool
    /// Prometheus's `KeepClassicOnClassicAndNativeHistograms` (`always_scrape_classic_histograms`).
    public var keepClassicHistograms: Bool
    /// `convert_classic_histograms_to_nhcb`: a classic histogram (one read without a native part) also
    /// becomes a custom-bucket native histogram, after its classic series when those are kept, in place of
    /// them otherwise (`CustomBucketsConversion`; a histogram it refuses fails the parse).
    public var convertClassicHistogramsToNHCB: Bool

    public init(ignoreNativeHistograms: Bool = false, keepClassicHistograms: Bool = false,
                convertClassicHistogramsToNHCB: Bool = false) {
        self.ignoreNativeHistograms = ignoreNativeHistograms
        self.keepClassicHistograms = keepClassicHistograms
        self.convertClassicHistogramsToNHCB = convertClassicHistogramsToNHCB
    }

    /// A varint longer than this many bytes is refused (Prometheus: `binary.MaxVarintLen32`).
    static let maxLengthPrefixBytes = 5

    /// Parses `bytes` into `sink`, in input order.
    public func parse<S: HistogramExpositionSink>(_ bytes: [UInt8], into sink: inout S) throws(ParseError) {
        var position = 0
        var family = 0
        while position < bytes.count {
            let start = position
            family += 1
            let length = try Self.lengthPrefix(bytes, at: &position)
            guard length <= bytes.count - position else {
                throw ParseError(offset: start, message: "message length \(length) exceeds the \(bytes.count - position) bytes left")
            }
            let message: Io_Prometheus_Client_MetricFamily
            do {
                // swift-protobuf reads from an Array (a slice is not one of its byte containers): one copy.
                message = try Io_Prometheus_Client_MetricFamily(serializedBytes: Array(bytes[position..<(position + length)]))
            } catch {
                throw ParseError(offset: start, message: "invalid MetricFamily message: \(error)")
            }
            position += length
            try emit(message, family: family, offset: start, into: &sink)
        }
    }

    /// The uvarint at `position` (moved past it), at most `maxLengthPrefixBytes` long.
    private static func lengthPrefix(_ bytes: [UInt8], at position: inout Int) throws(ParseError) -> Int {
        let start = position
        var value = 0
        var shift = 0
        while true {
            guard position < bytes.count else { throw ParseError(offset: start, message: "truncated length prefix") }
            guard position - start < maxLengthPrefixBytes else { throw ParseError(offset: start, message: "invalid length prefix (varint too long)") }
            let b = bytes[position]
            position += 1
            value |= Int(b & 0x7F) << shift
            if b < 0x80 { return value }
            shift += 7
        }
    }

    private func emit<S: HistogramExpositionSink>(_ mf: Io_Prometheus_Client_MetricFamily, family: Int, offset: Int,
                                                   into sink: inout S) throws(ParseError) {
        guard !mf.metric.isEmpty else { return }
        let name = mf.name
        guard !name.isEmpty else { throw ParseError(offset: offset, message: "invalid metric name: ") }
        let type: MetricType
        switch mf.type {
        case .counter: type = .counter
        case .gauge: type = .gauge
        case .summary: type = .summary
        case .untyped: type = .unknown
        case .histogram: type = .histogram
        case .gaugeHistogram: type = .gaugehistogram
        case .UNRECOGNIZED(let raw):
            throw ParseError(offset: offset, message: "unknown metric type for metric \(goQuote(name)): \(raw)")
        }
        sink.metadata(ExpositionMetadata(name: name, type: type, help: mf.help.isEmpty ? nil : mf.help,
                                         unit: mf.unit.isEmpty ? nil : mf.unit, line: family))
        for metric in mf.metric {
            var labels: [ExpositionLabel] = [("__name__", name)]
            labels.reserveCapacity(metric.label.count + 2)
            for pair in metric.label {
                guard !pair.name.isEmpty else { throw ParseError(offset: offset, message: "invalid label name: ") }
                labels.append((pair.name, pair.value))
            }
            let ts: Int64? = metric.timestampMs != 0 ? metric.timestampMs : nil
            func sample(_ suffix: String, _ value: Double, _ extra: ExpositionLabel?) -> ExpositionSample {
                var l = labels
                if !suffix.isEmpty { l[0].value = name + suffix }
                if let extra { l.append(extra) }
                return ExpositionSample(labels: l, value: value, timestampMs: ts, exemplar: nil, line: family)
            }
            switch mf.type {
            case .counter: sink.sample(sample("", metric.counter.value, nil))
            case .gauge: sink.sample(sample("", metric.gauge.value, nil))
            case .untyped: sink.sample(sample("", metric.untyped.value, nil))
            case .summary:
                let s = metric.summary
                sink.sample(sample("_count", Double(s.sampleCount), nil))
                sink.sample(sample("_sum", s.sampleSum, nil))
                for q in s.quantile {
                    sink.sample(sample("", q.value, ("quantile", formatOpenMetricsFloat(q.quantile))))
                }
            case .histogram, .gaugeHistogram:
                let h = metric.histogram
                if !ignoreNativeHistograms && Self.isNative(h) {
                    let native: FloatHistogram
                    do throws(ParseError) {
                        native = try Self.nativeHistogram(h, gauge: mf.type == .gaugeHistogram, offset: offset)
                    } catch {
                        throw ParseError(offset: offset, message: "histogram \(goQuote(name)): \(error.message)")
                    }
                    sink.histogram(ExpositionHistogramSample(labels: labels, histogram: native, timestampMs: ts, line: family))
                    guard keepClassicHistograms && !h.bucket.isEmpty else { continue }
                    emitClassic(h, sample, into: &sink)
                    continue
                }
                if !convertClassicHistogramsToNHCB || keepClassicHistograms { emitClassic(h, sample, into: &sink) }
                if convertClassicHistogramsToNHCB {
                    switch Self.customBuckets(h, gauge: mf.type == .gaugeHistogram) {
                    case .success(let nhcb):
                        sink.histogram(ExpositionHistogramSample(labels: labels, histogram: nhcb, timestampMs: ts, line: family))
                    case .failure(let failure):
                        throw ParseError(offset: offset, message: "histogram \(goQuote(name)): \(failure.message)")
                    }
                }
            case .UNRECOGNIZED: break
            }
        }
    }

    /// The classic series of a histogram: `_count`, `_sum`, the buckets up to the first `+Inf` one, and a
    /// `+Inf` bucket holding the count when there is none.
    private func emitClassic<S: HistogramExpositionSink>(_ h: Io_Prometheus_Client_Histogram,
                                                          _ sample: (String, Double, ExpositionLabel?) -> ExpositionSample,
                                                          into sink: inout S) {
        let count = h.sampleCountFloat != 0 ? h.sampleCountFloat : Double(h.sampleCount)
        sink.sample(sample("_count", count, nil))
        sink.sample(sample("_sum", h.sampleSum, nil))
        for b in h.bucket {
            let v = b.cumulativeCountFloat != 0 ? b.cumulativeCountFloat : Double(b.cumulativeCount)
            sink.sample(sample("_bucket", v, ("le", formatOpenMetricsFloat(b.upperBound))))
            if b.upperBound == .infinity { return }
        }
        sink.sample(sample("_bucket", count, ("le", "+Inf")))
    }

    /// Prometheus's `convertToNHCB`: the classic buckets as a custom-bucket histogram.
    static func customBuckets(_ h: Io_Prometheus_Client_Histogram, gauge: Bool) -> Result<FloatHistogram, CustomBucketsConversion.Failure> {
        var conversion = CustomBucketsConversion()
        conversion.setCount(h.sampleCountFloat != 0 ? h.sampleCountFloat : Double(h.sampleCount))
        conversion.setSum(h.sampleSum)
        for b in h.bucket {
            conversion.setBucket(le: b.upperBound, count: b.cumulativeCountFloat != 0 ? b.cumulativeCountFloat : Double(b.cumulativeCount))
        }
        return conversion.convert().map { nhcb in
            var nhcb = nhcb
            if gauge { nhcb.counterResetHint = .gauge }
            return nhcb
        }
    }

    /// Prometheus's `isNativeHistogram`: spans, a zero threshold or a zero count make a histogram native.
    static func isNative(_ h: Io_Prometheus_Client_Histogram) -> Bool {
        !h.positiveSpan.isEmpty || !h.negativeSpan.isEmpty || h.zeroThreshold > 0 || h.zeroCount > 0
    }

    /// The native histogram of `h`: float counts when `sample_count_float` or `zero_count_float` is set,
    /// integer deltas summed into absolute counts otherwise; spans checked against the bucket count, then
    /// compacted (empty buckets dropped) as Prometheus's `Compact(0)` does.
    static func nativeHistogram(_ h: Io_Prometheus_Client_Histogram, gauge: Bool, offset: Int) throws(ParseError) -> FloatHistogram {
        let isFloat = h.sampleCountFloat > 0 || h.zeroCountFloat > 0
        let positive: [Double], negative: [Double]
        if isFloat {
            positive = h.positiveCount
            negative = h.negativeCount
        } else {
            positive = absoluteCounts(h.positiveDelta)
            negative = absoluteCounts(h.negativeDelta)
        }
        try checkSpans("positive", h.positiveSpan, positive.count, offset: offset)
        try checkSpans("negative", h.negativeSpan, negative.count, offset: offset)
        var fh = FloatHistogram(
            counterResetHint: gauge ? .gauge : .unknown, schema: h.schema, zeroThreshold: h.zeroThreshold,
            zeroCount: isFloat ? h.zeroCountFloat : Double(h.zeroCount),
            count: isFloat ? h.sampleCountFloat : Double(h.sampleCount), sum: h.sampleSum,
            positiveSpans: h.positiveSpan.map { FloatHistogram.Span(offset: $0.offset, length: $0.length) },
            negativeSpans: h.negativeSpan.map { FloatHistogram.Span(offset: $0.offset, length: $0.length) },
            positiveBuckets: positive, negativeBuckets: negative)
        fh.compact(maxEmptyBuckets: 0)
        return fh
    }

    /// Delta-encoded integer bucket counts as absolute counts (wrapping, as Go's int64 sum does).
    static func absoluteCounts(_ deltas: [Int64]) -> [Double] {
        var running: Int64 = 0
        return deltas.map { d in
            running &+= d
            return Double(running)
        }
    }

    /// Prometheus's `checkProtoSpanBucketConsistency`.
    static func checkSpans(_ side: String, _ spans: [Io_Prometheus_Client_BucketSpan], _ buckets: Int, offset: Int) throws(ParseError) {
        var total = 0
        for s in spans {
            // Each length is at most 2^32 − 1; only a body of billions of spans could overflow the sum.
            let (sum, overflow) = total.addingReportingOverflow(Int(s.length))
            guard !overflow else {
                throw ParseError(offset: offset, message: "\(side) side: spans require more than \(Int.max) buckets, have \(buckets)")
            }
            total = sum
        }
        guard total == buckets else {
            throw ParseError(offset: offset, message: "\(side) side: spans require \(total) buckets, have \(buckets)")
        }
    }
}
