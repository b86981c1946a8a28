import GoCompat
import ConfigModel

/// Decodes Prometheus HTTP API bodies (`{"status":…,"data":…}`) into `APIValue`s with the checks and
/// error texts of client_golang and Go's `encoding/json`, on our positioned JSON reader (no Foundation).
///
/// Every input is untrusted (any server, any proxy in between): wrong types, missing fields and
/// malformed numbers are errors, never a crash. Go's JSON is lenient where we are too: unknown fields
/// are ignored, a repeated key takes its last value, `null` leaves a field empty.
public enum APIResponseDecoder {
    /// The API's envelope (client_golang's `apiResponse`).
    public struct Envelope: Sendable {
        public var status = ""
        public var data: Node?
        public var errorType = ""
        public var error = ""
        public var warnings: [String] = []
    }

    /// A decoding failure; `message` is what Go's decoder would say.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
        init(_ message: String) { self.message = message }
    }

    public static func envelope(_ bytes: [UInt8]) throws(Failure) -> Envelope {
        let root: Node
        do { root = try JSONReader.parse(bytes) } catch { throw Failure(error.message) }
        var env = Envelope()
        guard case .mapping = root.content else {
            if isNull(root) { return env }
            throw typeError(root, into: "v1.apiResponse")
        }
        if let n = field(root, "status") { env.status = try string(n, field: "apiResponse.status") ?? "" }
        if let n = field(root, "data"), !isNull(n) { env.data = n }
        if let n = field(root, "errorType") { env.errorType = try string(n, field: "apiResponse.errorType") ?? "" }
        if let n = field(root, "error") { env.error = try string(n, field: "apiResponse.error") ?? "" }
        if let n = field(root, "warnings") { env.warnings = try strings(n, field: "apiResponse.warnings") ?? [] }
        return env
    }

    /// `data` of `/api/v1/query(_range)`: `{"resultType":…,"result":…}`.
    public static func queryResult(_ data: Node?) throws(Failure) -> APIValue {
        guard let data else { throw Failure("unexpected end of JSON input") }
        var type = "<ValNone>"
        var result: Node?
        if case .mapping = data.content {
            if let t = field(data, "resultType"), !isNull(t) {
                guard let s = try string(t, field: "resultType") else { throw typeError(t, into: "string") }
                guard ["<ValNone>", "scalar", "vector", "matrix", "string"].contains(s) else {
                    throw Failure("unknown value type \(goQuote(s))")
                }
                type = s
            }
            result = field(data, "result")
        } else if !isNull(data) {
            throw typeError(data, into: "struct { Type model.ValueType \"json:\\\"resultType\\\"\"; Result json.RawMessage \"json:\\\"result\\\"\" }")
        }
        switch type {
        case "scalar":
            let (t, v) = try pair(result, what: "model.Scalar")
            guard let f = parseFloat(v) else { throw Failure("error parsing sample value: strconv.ParseFloat: parsing \(goQuote(v)): invalid syntax") }
            return .scalar(t, f)
        case "string":
            let (t, v) = try pair(result, what: "model.String")
            return .string(t, v)
        case "vector":
            guard let result, !isNull(result) else {
                if result == nil { throw Failure("unexpected end of JSON input") }
                return .vector(nil)
            }
            guard case .sequence(let items) = result.content else { throw typeError(result, into: "model.Vector") }
            var out: [APISample] = []
            out.reserveCapacity(items.count)
            for item in items { out.append(try sample(item)) }
            return .vector(out)
        case "matrix":
            guard let result, !isNull(result) else {
                if result == nil { throw Failure("unexpected end of JSON input") }
                return .matrix(nil)
            }
            guard case .sequence(let items) = result.content else { throw typeError(result, into: "model.Matrix") }
            var out: [APISeries] = []
            out.reserveCapacity(items.count)
            for item in items { out.append(try series(item)) }
            return .matrix(out)
        default:
            throw Failure("unexpected value type \(goQuote(type))")
        }
    }

    /// `data` of `/api/v1/series`: label sets (nil for `null`).
    public static func labelSets(_ data: Node?) throws(Failure) -> [APIMetric]? {
        guard let data else { throw Failure("unexpected end of JSON input") }
        if isNull(data) { return nil }
        guard case .sequence(let items) = data.content else { throw typeError(data, into: "[]model.LabelSet") }
        var out: [APIMetric] = []
        for item in items { out.append(try metric(item) ?? [:]) }
        return out
    }

    /// `data` of `/api/v1/label/NAME/values` (nil for `null`).
    public static func labelValues(_ data: Node?) throws(Failure) -> [String]? {
        guard let data else { throw Failure("unexpected end of JSON input") }
        return try strings(data, field: "model.LabelValues")
    }

    // MARK: - Pieces

    static func sample(_ n: Node) throws(Failure) -> APISample {
        guard case .mapping = n.content else {
            throw typeError(n, into: "struct { Metric model.Metric \"json:\\\"metric\\\"\"; Value model.SamplePair \"json:\\\"value\\\"\"; Histogram model.SampleHistogramPair \"json:\\\"histogram\\\"\" }")
        }
        var s = APISample(metric: try field(n, "metric").flatMap { m throws(Failure) in try metric(m) } ?? [:], timestamp: 0, value: 0)
        if let h = field(n, "histogram"), !isNull(h) {
            let (t, hist) = try histogramPair(h)
            s.timestamp = t
            s.histogram = hist
        } else if let v = field(n, "value"), !isNull(v) {
            let p = try point(v)
            s.timestamp = p.timestamp
            s.value = p.value
        }
        return s
    }

    static func series(_ n: Node) throws(Failure) -> APISeries {
        guard case .mapping = n.content else { throw typeError(n, into: "model.SampleStream") }
        var s = APISeries(metric: try field(n, "metric").flatMap { m throws(Failure) in try metric(m) } ?? [:])
        if let v = field(n, "values"), !isNull(v) {
            guard case .sequence(let items) = v.content else { throw typeError(v, into: "[]model.SamplePair") }
            for item in items { s.values.append(try point(item)) }
        }
        if let h = field(n, "histograms"), !isNull(h) {
            guard case .sequence(let items) = h.content else { throw typeError(h, into: "[]model.SampleHistogramPair") }
            for item in items {
                let (t, hist) = try histogramPair(item)
                s.histograms.append(APIHistogramPoint(timestamp: t, histogram: hist))
            }
        }
        return s
    }

    static func metric(_ n: Node) throws(Failure) -> APIMetric? {
        if isNull(n) { return nil }
        guard case .mapping(let pairs) = n.content else { throw typeError(n, into: "model.Metric") }
        var m: APIMetric = [:]
        for p in pairs {
            guard let v = try string(p.value, field: "model.Metric") else { continue }
            m[p.key.scalarValue ?? ""] = v
        }
        return m
    }

    /// `[time, "value"]` (`model.SamplePair`).
    static func point(_ n: Node) throws(Failure) -> APIPoint {
        let (t, v) = try pair(n, what: "model.SamplePair")
        guard let f = parseFloat(v) else { throw Failure("strconv.ParseFloat: parsing \(goQuote(v)): invalid syntax") }
        return APIPoint(timestamp: t, value: f)
    }

    /// `[time, "string"]`: the time (seconds, as a JSON number) and the quoted second element.
    static func pair(_ n: Node?, what: String) throws(Failure) -> (APITime, String) {
        guard let n else { throw Failure("unexpected end of JSON input") }
        guard case .sequence(let items) = n.content, items.count >= 2 else {
            if case .sequence = n.content { throw Failure("json: cannot unmarshal array into Go value of type \(what): too few elements") }
            throw typeError(n, into: what)
        }
        let t = try time(items[0])
        guard case .scalar(let s, .doubleQuoted) = items[1].content else {
            throw Failure("sample value must be a quoted string")
        }
        return (t, s)
    }

    static func histogramPair(_ n: Node) throws(Failure) -> (APITime, APIHistogram) {
        guard case .sequence(let items) = n.content else { throw typeError(n, into: "model.SampleHistogramPair") }
        guard items.count == 2 else { throw Failure("wrong number of fields: \(items.count) != 2") }
        let t = try time(items[0])
        let h = items[1]
        if isNull(h) { throw Failure("histogram is null") }
        guard case .mapping = h.content else { throw typeError(h, into: "model.SampleHistogram") }
        var hist = APIHistogram(count: 0, sum: 0, buckets: nil)
        if let c = field(h, "count") { hist.count = try floatString(c) }
        if let s = field(h, "sum") { hist.sum = try floatString(s) }
        if let b = field(h, "buckets"), !isNull(b) {
            guard case .sequence(let bs) = b.content else { throw typeError(b, into: "model.HistogramBuckets") }
            var buckets: [APIBucket] = []
            for bn in bs {
                guard case .sequence(let f) = bn.content else { throw typeError(bn, into: "model.HistogramBucket") }
                guard f.count == 4 else { throw Failure("wrong number of fields: \(f.count) != 4") }
                guard case .scalar(let bText, _) = f[0].content, f[0].tag == "!!float", let boundaries = Int32(bText) else {
                    throw typeError(f[0], into: "int32")
                }
                buckets.append(APIBucket(boundaries: boundaries, lower: try floatString(f[1]), upper: try floatString(f[2]), count: try floatString(f[3])))
            }
            hist.buckets = buckets
        }
        return (t, hist)
    }

    static func floatString(_ n: Node) throws(Failure) -> Double {
        guard case .scalar(let s, .doubleQuoted) = n.content else { throw Failure("float value must be a quoted string") }
        guard let f = parseFloat(s) else { throw Failure("strconv.ParseFloat: parsing \(goQuote(s)): invalid syntax") }
        return f
    }

    /// `model.Time`'s decoding: seconds with up to three decimals, as milliseconds.
    static func time(_ n: Node) throws(Failure) -> APITime {
        guard case .scalar(let text, let style) = n.content, style == .plain, n.tag == "!!float" else {
            throw Failure("json: cannot unmarshal \(jsonKind(n)) into Go value of type model.Time")
        }
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let seconds = Int64(parts[0]) else {
            throw Failure("strconv.ParseInt: parsing \(goQuote(String(parts[0]))): invalid syntax")
        }
        var millis: Int64 = 0
        if parts.count == 2 {
            var frac = String(parts[1])
            if frac.count > 3 { frac = String(frac.prefix(3)) }
            guard let v = Int64(frac) else { throw Failure("strconv.ParseInt: parsing \(goQuote(frac)): invalid syntax") }
            millis = v * [100, 10, 1][max(0, min(frac.count - 1, 2))]
            if parts[0].hasPrefix("-") { millis = -millis }
        }
        let (scaled, o1) = seconds.multipliedReportingOverflow(by: 1000)
        let (total, o2) = scaled.addingReportingOverflow(millis)
        if o1 || o2 { throw Failure("strconv.ParseInt: parsing \(goQuote(text)): value out of range") }
        return total
    }

    // MARK: - Go JSON helpers

    static func field(_ n: Node, _ key: String) -> Node? {
        guard case .mapping(let pairs) = n.content else { return nil }
        return pairs.last { $0.key.scalarValue == key }?.value
    }

    static func isNull(_ n: Node) -> Bool { n.tag == "!!null" }

    static func string(_ n: Node, field: String) throws(Failure) -> String? {
        if isNull(n) { return nil }
        guard case .scalar(let s, .doubleQuoted) = n.content else {
            throw Failure("json: cannot unmarshal \(jsonKind(n)) into Go struct field \(field) of type string")
        }
        return s
    }

    static func strings(_ n: Node, field: String) throws(Failure) -> [String]? {
        if isNull(n) { return nil }
        guard case .sequence(let items) = n.content else { throw typeError(n, into: "[]string") }
        var out: [String] = []
        out.reserveCapacity(items.count)
        for i in items { out.append(try string(i, field: field) ?? "") }
        return out
    }

    static func jsonKind(_ n: Node) -> String {
        switch n.content {
        case .mapping: return "object"
        case .sequence: return "array"
        case .scalar(_, .doubleQuoted): return "string"
        case .scalar:
            if n.tag == "!!bool" { return "bool" }
            if n.tag == "!!null" { return "null" }
            return "number"
        }
    }

    static func typeError(_ n: Node, into type: String) -> Failure {
        Failure("json: cannot unmarshal \(jsonKind(n)) into Go value of type \(type)")
    }

    /// Go's `strconv.ParseFloat` for the texts Prometheus writes (`1.5`, `NaN`, `+Inf`, `-Inf`, `1e+06`).
    static func parseFloat(_ s: String) -> Double? {
        switch s.lowercased() {
        case "nan": return .nan
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default:
            guard !s.isEmpty, s.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2B || $0 == 0x2D || $0 == 0x65 || $0 == 0x45 || $0 == 0x5F || $0 == 0x78 || $0 == 0x58 || $0 == 0x70 || $0 == 0x50 || ($0 >= 0x61 && $0 <= 0x66) || ($0 >= 0x41 && $0 <= 0x46) }) else { return nil }
            return Double(s)
        }
    }
}
