import GoCompat
import ConfigModel
import Engine

/// promtool's two `query` output formats, byte for byte: `promql` is `fmt.Println` of client_golang's
/// values (`up{job="x"} => 1 @[1700000000]`), `json` is Go's `json.Encoder` (HTML-escaping, sorted
/// label names, one line). Each function returns the whole output including the final line break.
public enum ValuePrinter {
    public enum Format: String, Sendable, CaseIterable {
        case promql, json
        /// Ours: `input_series` for a `test rules` file (instant and range queries only).
        case unittest
    }

    public static func value(_ v: APIValue, format: Format) -> String {
        switch format {
        case .promql: return promql(v) + "\n"
        case .json: return json(v) + "\n"
        case .unittest: return UnitTestSeriesPrinter.inputSeries(v)
        }
    }

    /// `printSeries`: one label set a line, or a JSON array.
    public static func series(_ sets: [APIMetric]?, format: Format) -> String {
        switch format {
        case .promql, .unittest: return (sets ?? []).map { labelSet($0) + "\n" }.joined()
        case .json:
            guard let sets else { return "null\n" }
            return "[" + sets.map(jsonMetric).joined(separator: ",") + "]\n"
        }
    }

    /// `printLabelValues`: one value a line, or a JSON array.
    public static func labelValues(_ values: [String]?, format: Format) -> String {
        switch format {
        case .promql, .unittest: return (values ?? []).map { $0 + "\n" }.joined()
        case .json:
            guard let values else { return "null\n" }
            return "[" + values.map(jsonString).joined(separator: ",") + "]\n"
        }
    }

    // MARK: - promql (Go's String methods)

    static func promql(_ v: APIValue) -> String {
        switch v {
        case .scalar(let t, let f): return "scalar: \(GoFloat.formatF(f)) @[\(time(t))]"
        case .string(_, let s): return s
        case .vector(let samples):
            return (samples ?? []).map { s in
                if let h = s.histogram { return metric(s.metric) + " => " + histogram(h) + " @[\(time(s.timestamp))]" }
                return metric(s.metric) + " => " + GoFloat.formatF(s.value) + " @[\(time(s.timestamp))]"
            }.joined(separator: "\n")
        case .matrix(let series):
            return sortedMatrix(series ?? []).map { s in
                let points = s.values.map { "\(GoFloat.formatF($0.value)) @[\(time($0.timestamp))]" }
                    + s.histograms.map { histogram($0.histogram) + " @[\(time($0.timestamp))]" }
                return metric(s.metric) + " =>\n" + points.joined(separator: "\n")
            }.joined(separator: "\n")
        }
    }

    /// `Matrix.String` sorts a copy by `LabelSet.Before`: fewer labels first, then by values in name order.
    static func sortedMatrix(_ m: [APISeries]) -> [APISeries] {
        m.enumerated().sorted { a, b in
            before(a.element.metric, b.element.metric) || (!before(b.element.metric, a.element.metric) && a.offset < b.offset)
        }.map(\.element)
    }

    static func before(_ a: APIMetric, _ b: APIMetric) -> Bool {
        if a.count != b.count { return a.count < b.count }
        let names = (Array(a.keys) + Array(b.keys)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for n in names {
            guard let av = a[n] else { return true }
            guard let bv = b[n] else { return false }
            if av.utf8.lexicographicallyPrecedes(bv.utf8) { return true }
            if bv.utf8.lexicographicallyPrecedes(av.utf8) { return false }
        }
        return false
    }

    /// `model.Metric.String`: `name{a="1", b="2"}`, `name`, or `{}`.
    static func metric(_ m: APIMetric) -> String {
        let name = m["__name__"]
        let parts = m.filter { $0.key != "__name__" }.map { $0.key + "=" + goQuote($0.value) }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        if parts.isEmpty { return name ?? "{}" }
        return (name ?? "") + "{" + parts.joined(separator: ", ") + "}"
    }

    /// `model.LabelSet.String`: `{__name__="up", job="x"}`.
    static func labelSet(_ m: APIMetric) -> String {
        let names = m.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return "{" + names.map { $0 + "=" + goQuote(m[$0] ?? "") }.joined(separator: ", ") + "}"
    }

    /// `model.Time.String`: seconds, shortest decimal.
    static func time(_ t: APITime) -> String { GoFloat.formatF(Double(t) / 1000) }

    /// `SampleHistogram.String`: `Count: %f, Sum: %f, Buckets: [...]`.
    static func histogram(_ h: APIHistogram) -> String {
        let buckets = (h.buckets ?? []).map { b -> String in
            let lowerInclusive = b.boundaries == 1 || b.boundaries == 3
            let upperInclusive = b.boundaries == 0 || b.boundaries == 3
            return (lowerInclusive ? "[" : "(") + GoFloat.formatV(b.lower) + "," + GoFloat.formatV(b.upper) + (upperInclusive ? "]" : ")")
                + ":" + GoFloat.formatF(b.count)
        }
        return "Count: \(fixed(h.count, 6)), Sum: \(fixed(h.sum, 6)), Buckets: [\(buckets.joined(separator: " "))]"
    }

    // MARK: - json (Go's encoding/json)

    static func json(_ v: APIValue) -> String {
        switch v {
        case .scalar(let t, let f): return "[\(time(t)),\(jsonString(GoFloat.formatF(f)))]"
        case .string(let t, let s): return "[\(time(t)),\(jsonString(s))]"
        case .vector(let samples):
            guard let samples else { return "null" }
            return "[" + samples.map { s in
                if let h = s.histogram {
                    return "{\"metric\":\(jsonMetric(s.metric)),\"histogram\":[\(time(s.timestamp)),\(jsonHistogram(h))]}"
                }
                return "{\"metric\":\(jsonMetric(s.metric)),\"value\":[\(time(s.timestamp)),\(jsonString(GoFloat.formatF(s.value)))]}"
            }.joined(separator: ",") + "]"
        case .matrix(let series):
            guard let series else { return "null" }
            return "[" + series.map { s in
                let values = "\"values\":[" + s.values.map { "[\(time($0.timestamp)),\(jsonString(GoFloat.formatF($0.value)))]" }.joined(separator: ",") + "]"
                let histograms = "\"histograms\":[" + s.histograms.map { "[\(time($0.timestamp)),\(jsonHistogram($0.histogram))]" }.joined(separator: ",") + "]"
                var out = "{\"metric\":" + jsonMetric(s.metric)
                if !s.histograms.isEmpty && !s.values.isEmpty { out += "," + values + "," + histograms }
                else if !s.histograms.isEmpty { out += "," + histograms }
                else { out += "," + (s.values.isEmpty ? "\"values\":null" : values) }
                return out + "}"
            }.joined(separator: ",") + "]"
        }
    }

    static func jsonHistogram(_ h: APIHistogram) -> String {
        let buckets = h.buckets.map { bs in
            "[" + bs.map { "[\($0.boundaries),\(jsonString(GoFloat.formatF($0.lower))),\(jsonString(GoFloat.formatF($0.upper))),\(jsonString(GoFloat.formatF($0.count)))]" }.joined(separator: ",") + "]"
        } ?? "null"
        return "{\"count\":\(jsonString(GoFloat.formatF(h.count))),\"sum\":\(jsonString(GoFloat.formatF(h.sum))),\"buckets\":\(buckets)}"
    }

    /// A label map with its keys sorted (Go encodes maps so).
    static func jsonMetric(_ m: APIMetric) -> String {
        let names = m.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return "{" + names.map { jsonString($0) + ":" + jsonString(m[$0] ?? "") }.joined(separator: ",") + "}"
    }

    /// Go's JSON string encoding (one implementation, in GoCompat).
    static func jsonString(_ s: String) -> String { goJSONString(s) }
}
