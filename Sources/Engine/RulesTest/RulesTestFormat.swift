import GoCompat
/// promtool's texts for `test rules` failures (cmd/promtool/unittest.go): alert lists, samples, durations.
enum RulesTestFormat {
    /// `indentLines`: every line after the first gets `indent`.
    static func indentLines(_ text: String, _ indent: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n" + indent)
    }

    /// `labelsAndAnnotations.String()`.
    static func alerts(_ list: [ComparableAlert]) -> String {
        if list.isEmpty { return "[]" }
        var s = "["
        for (i, a) in list.enumerated() {
            s += (i == 0 ? "\n" : ",\n") + "\(i):" + indentLines("\nLabels:\(a.labels)\nAnnotations:\(a.annotations)", "  ")
        }
        return s + "\n]"
    }

    /// `parsedSamplesString`.
    static func samples(_ list: [ComparableSample]) -> String {
        if list.isEmpty { return "nil" }
        return list.map { s in
            s.histogram.isEmpty ? "\(s.labels) \(TemplateFormat.formatFloat(s.value, "E", -1))" : "\(s.labels) \(s.histogram)"
        }.joined(separator: ", ")
    }

    /// `model.Duration.String()` (eval times in messages).
    static func modelDuration(_ millis: Int64) -> String { GoDuration.format(millis: millis) }

    /// Go's `time.Duration.String()` for milliseconds (`1m0s`, `1.5s`, `250ms`, `0s`); like `time.Sub`, values
    /// beyond a Duration's range saturate.
    static func goDuration(millis: Int64) -> String {
        let (ns, overflow) = millis.multipliedReportingOverflow(by: 1_000_000)
        return goDuration(nanos: overflow ? (millis < 0 ? Int64.min : Int64.max) : ns)
    }

    /// Go's `time.Duration.String()` (`6.123456ms`, `1m2.5s`, `475000h0m0s`).
    static func goDuration(nanos: Int64) -> String {
        if nanos == 0 { return "0s" }
        let sign = nanos < 0 ? "-" : ""
        let n = nanos.magnitude
        func withFraction(_ value: UInt64, _ scale: UInt64, _ digits: Int) -> String {
            var frac = String(value % scale)
            while frac.count < digits { frac = "0" + frac }
            while frac.hasSuffix("0") { frac.removeLast() }
            return "\(value / scale)" + (frac.isEmpty ? "" : "." + frac)
        }
        if n < 1_000 { return sign + "\(n)ns" }
        if n < 1_000_000 { return sign + withFraction(n, 1_000, 3) + "µs" }
        if n < 1_000_000_000 { return sign + withFraction(n, 1_000_000, 6) + "ms" }
        let seconds = withFraction(n % 60_000_000_000, 1_000_000_000, 9) + "s"
        let minutes = n / 60_000_000_000
        if minutes == 0 { return sign + seconds }
        if minutes < 60 { return sign + "\(minutes)m" + seconds }
        return sign + "\(minutes / 60)h\(minutes % 60)m" + seconds
    }

    /// `FloatHistogram.TestExpression()`: the series-notation form promtool compares histograms by.
    static func testExpression(_ histogram: FloatHistogram) -> String {
        let m = histogram.compacted(maxEmptyBuckets: Int.max)
        var res: [String] = []
        if m.schema != 0 { res.append("schema:\(m.schema)") }
        if m.count != 0 { res.append("count:\(GoFloat.formatV(m.count))") }
        if m.sum != 0 { res.append("sum:\(GoFloat.formatV(m.sum))") }
        if m.zeroCount != 0 { res.append("z_bucket:\(GoFloat.formatV(m.zeroCount))") }
        if m.zeroThreshold != 0 { res.append("z_bucket_w:\(GoFloat.formatV(m.zeroThreshold))") }
        if m.usesCustomBuckets { res.append("custom_values:[" + m.customValues.map(GoFloat.formatV).joined(separator: " ") + "]") }
        switch m.counterResetHint {
        case .unknown: break
        case .counterReset: res.append("counter_reset_hint:reset")
        case .notCounterReset: res.append("counter_reset_hint:not_reset")
        case .gauge: res.append("counter_reset_hint:gauge")
        }
        func add(_ bucketsKey: String, _ offsetKey: String, _ buckets: [Double], _ spans: [FloatHistogram.Span]) {
            for span in spans where span.offset != 0 { res.append("\(offsetKey):\(span.offset)") }
            if !buckets.isEmpty { res.append("\(bucketsKey):[" + buckets.map(GoFloat.formatV).joined(separator: " ") + "]") }
        }
        add("buckets", "offset", m.positiveBuckets, m.positiveSpans)
        add("n_buckets", "n_offset", m.negativeBuckets, m.negativeSpans)
        return "{{" + res.joined(separator: " ") + "}}"
    }
}

/// An alert as `test rules` compares it: labels (with `alertname`) and annotations.
struct ComparableAlert: Sendable, Equatable, Comparable {
    var labels: Labels
    var annotations: Labels

    static func < (a: ComparableAlert, b: ComparableAlert) -> Bool {
        a.labels != b.labels ? a.labels < b.labels : a.annotations < b.annotations
    }
}

/// A sample as `test rules` compares it: labels, float value and histogram test expression.
struct ComparableSample: Sendable {
    var labels: Labels
    var value: Double
    var histogram: String

    func equals(_ o: ComparableSample, fuzzy: Bool) -> Bool {
        guard labels == o.labels, histogram == o.histogram else { return false }
        if value == o.value { return true }
        return fuzzy && (value.nextDown == o.value || value.nextUp == o.value)
    }
}

/// A JSON string literal as Go's encoding/json writes it (GoCompat's one encoder).
func jsonString(_ s: String) -> String { goJSONString(s) }
