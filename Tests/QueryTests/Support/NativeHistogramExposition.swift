import Engine

/// The protobuf exposition (`io.prometheus.client.MetricFamily`, varint-length-delimited) of one native
/// histogram family: the only format in which Prometheus 2.42 scrapes native histograms, so a test can feed
/// a real server native-histogram data. Encodes just the fields a native histogram needs.
enum NativeHistogramExposition {
    static let contentType = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"

    /// One series: its labels (without the name) and an integer-count histogram (spans and absolute counts).
    struct Series {
        var labels: [(String, String)]
        var schema: Int32
        var zeroThreshold: Double
        var zeroCount: UInt64
        var sum: Double
        /// (absolute bucket index, count), ascending.
        var positive: [(Int32, UInt64)]
        var negative: [(Int32, UInt64)]
    }

    static func family(name: String, _ series: [Series]) -> [UInt8] {
        var family: [UInt8] = []
        family.field(1, bytes: Array(name.utf8))
        family.field(2, bytes: Array("A native histogram.".utf8))
        family.field(3, varint: 4) // HISTOGRAM
        for s in series {
            var metric: [UInt8] = []
            for (n, v) in s.labels {
                var pair: [UInt8] = []
                pair.field(1, bytes: Array(n.utf8))
                pair.field(2, bytes: Array(v.utf8))
                metric.field(1, bytes: pair)
            }
            metric.field(7, bytes: histogram(s))
            family.field(4, bytes: metric)
        }
        var out: [UInt8] = []
        out.varint(UInt64(family.count))
        return out + family
    }

    private static func histogram(_ s: Series) -> [UInt8] {
        var h: [UInt8] = []
        let count = s.zeroCount + s.positive.reduce(0) { $0 + $1.1 } + s.negative.reduce(0) { $0 + $1.1 }
        h.field(1, varint: count)
        h.field(2, double: s.sum)
        h.field(5, varint: zigzag(Int64(s.schema)))
        h.field(6, double: s.zeroThreshold)
        h.field(7, varint: s.zeroCount)
        side(&h, s.negative, spanField: 9, deltaField: 10)
        side(&h, s.positive, spanField: 12, deltaField: 13)
        return h
    }

    /// Spans and delta-encoded counts of one side.
    private static func side(_ h: inout [UInt8], _ buckets: [(Int32, UInt64)], spanField: Int, deltaField: Int) {
        var next: Int32 = 0
        var spans: [(offset: Int32, length: UInt32)] = []
        for (i, (idx, _)) in buckets.enumerated() {
            if i > 0, idx == next, let last = spans.indices.last {
                spans[last].length += 1
            } else {
                spans.append((i == 0 ? idx : idx - next, 1))
            }
            next = idx + 1
        }
        for span in spans {
            var m: [UInt8] = []
            m.field(1, varint: zigzag(Int64(span.offset)))
            m.field(2, varint: UInt64(span.length))
            h.field(spanField, bytes: m)
        }
        var previous: Int64 = 0
        for (_, c) in buckets {
            h.field(deltaField, varint: zigzag(Int64(c) - previous))
            previous = Int64(c)
        }
    }

    private static func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }
}

private extension [UInt8] {
    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        append(UInt8(v))
    }

    mutating func field(_ number: Int, varint v: UInt64) {
        varint(UInt64(number << 3))
        varint(v)
    }

    mutating func field(_ number: Int, double v: Double) {
        varint(UInt64(number << 3 | 1))
        var bits = v.bitPattern
        for _ in 0..<8 {
            append(UInt8(bits & 0xFF))
            bits >>= 8
        }
    }

    mutating func field(_ number: Int, bytes: [UInt8]) {
        varint(UInt64(number << 3 | 2))
        varint(UInt64(bytes.count))
        append(contentsOf: bytes)
    }
}
