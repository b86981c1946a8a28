@testable import Engine
import SwiftProtobuf

/// Builds protobuf expositions for tests: families encoded with the generated io.prometheus.client
/// messages, each behind its varint length, as client libraries send them.
enum ProtobufExposition {
    typealias Family = Io_Prometheus_Client_MetricFamily
    typealias Metric = Io_Prometheus_Client_Metric
    typealias Histogram = Io_Prometheus_Client_Histogram

    static let contentType = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"

    static func encode(_ families: [Family]) throws -> [UInt8] {
        var out: [UInt8] = []
        for f in families {
            let bytes: [UInt8] = try f.serializedBytes()
            var n = bytes.count
            while n >= 0x80 {
                out.append(UInt8(n & 0x7F) | 0x80)
                n >>= 7
            }
            out.append(UInt8(n))
            out += bytes
        }
        return out
    }

    static func family(_ name: String, _ type: Io_Prometheus_Client_MetricType, help: String = "", unit: String = "",
                       _ metrics: [Metric]) -> Family {
        var f = Family()
        f.name = name
        f.type = type
        f.help = help
        f.unit = unit
        f.metric = metrics
        return f
    }

    static func metric(_ labels: [(String, String)] = [], timestampMs: Int64 = 0, _ fill: (inout Metric) -> Void) -> Metric {
        var m = Metric()
        m.label = labels.map { l in
            var p = Io_Prometheus_Client_LabelPair()
            p.name = l.0
            p.value = l.1
            return p
        }
        m.timestampMs = timestampMs
        fill(&m)
        return m
    }

    static func span(_ offset: Int32, _ length: UInt32) -> Io_Prometheus_Client_BucketSpan {
        var s = Io_Prometheus_Client_BucketSpan()
        s.offset = offset
        s.length = length
        return s
    }

    static func bucket(_ upper: Double, _ cumulative: UInt64) -> Io_Prometheus_Client_Bucket {
        var b = Io_Prometheus_Client_Bucket()
        b.upperBound = upper
        b.cumulativeCount = cumulative
        return b
    }

    /// An integer native histogram (schema 1, zero bucket, positive and negative buckets as deltas, one
    /// empty bucket inside a span) that also carries two classic buckets.
    static func integerNative() -> Histogram {
        var h = Histogram()
        h.sampleCount = 13
        h.sampleSum = 42.5
        h.schema = 1
        h.zeroThreshold = 0.001
        h.zeroCount = 2
        // Buckets 0, 1, 2 (2 empty), then 5: counts 3, 1, 0, 4 as deltas.
        h.positiveSpan = [span(0, 3), span(2, 1)]
        h.positiveDelta = [3, -2, -1, 4]
        h.negativeSpan = [span(-1, 2)]
        h.negativeDelta = [2, -1]
        h.bucket = [bucket(1, 5), bucket(10, 11)]
        return h
    }

    /// What `integerNative()` is as a head sample: absolute counts, the empty bucket compacted away.
    static let integerNativeExpected = FloatHistogram(
        counterResetHint: .unknown, schema: 1, zeroThreshold: 0.001, zeroCount: 2, count: 13, sum: 42.5,
        positiveSpans: [.init(offset: 0, length: 2), .init(offset: 3, length: 1)],
        negativeSpans: [.init(offset: -1, length: 2)],
        positiveBuckets: [3, 1, 4], negativeBuckets: [2, 1])

    /// A float native histogram (schema 3, positive buckets only).
    static func floatNative(buckets: Int = 4, schema: Int32 = 3) -> Histogram {
        var h = Histogram()
        h.sampleCountFloat = Double(buckets) * 1.5
        h.sampleSum = 12.25
        h.schema = schema
        h.zeroThreshold = 1e-128
        h.positiveSpan = [span(-2, UInt32(buckets))]
        h.positiveCount = Array(repeating: 1.5, count: buckets)
        return h
    }
}
