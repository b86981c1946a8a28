import ConfigModel

/// Metric types known from evidence: `# TYPE` lines of an exposition file, or a saved response of
/// Prometheus's `/api/v1/metadata` (or `/api/v1/targets/metadata`) endpoint, named in
/// `.promtool-swift.yml` under `metric_metadata`. The type checks (rate on a gauge, delta on a counter)
/// rely on it instead of guessing from names.
public struct MetricTypeTable: Sendable {
    /// Metric family name → type as written (`counter`, `gauge`, `histogram`, `summary`, `untyped`, …).
    public private(set) var types: [String: String] = [:]
    /// Where each type was read from (for messages).
    public private(set) var sources: [String: String] = [:]

    public init() {}

    public var isEmpty: Bool { types.isEmpty }

    /// The type of the series named `name`: its family's type, looking through the `_bucket`, `_count`,
    /// `_sum`, `_total` and `_created` series of histograms, summaries and counters.
    public func type(of name: String) -> (type: String, source: String)? {
        if let t = types[name] { return (t, sources[name] ?? "") }
        for suffix in ["_total", "_bucket", "_count", "_sum", "_created"] where name.hasSuffix(suffix) {
            let family = String(name.dropLast(suffix.count))
            if let t = types[family] { return (t, sources[family] ?? "") }
        }
        return nil
    }

    /// Adds the types found in `text` (exposition format or metadata JSON), attributed to `source`.
    /// - Returns: an error message when the text is neither.
    public mutating func add(_ text: String, source: String) -> String? {
        let start = text.utf8.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        if start == 0x7B || start == 0x5B { return addJSON(text, source: source) }
        var found = false
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count >= 4, words[0] == "#", words[1] == "TYPE" else { continue }
            set(String(words[2]), String(words[3]).lowercased(), source: source)
            found = true
        }
        return found || text.isEmpty ? nil : "\(source): no `# TYPE` lines and not a metadata JSON response"
    }

    mutating func set(_ name: String, _ type: String, source: String) {
        // A name typed differently by different targets proves nothing.
        if let old = types[name], old != type {
            types[name] = "unknown"
            return
        }
        types[name] = type
        sources[name] = source
    }

    /// `{"status":"success","data":{"name":[{"type":"counter",…}]}}` (`/api/v1/metadata`) or
    /// `{"data":[{"metric":"name","type":"counter",…}]}` (`/api/v1/targets/metadata`). JSON is read as
    /// the YAML it also is.
    mutating func addJSON(_ text: String, source: String) -> String? {
        let docs: [Node]
        do {
            docs = try YAMLComposer.compose(text)
        } catch {
            return "\(source): not valid JSON: \(error.message)"
        }
        guard let doc = docs.first else { return nil }
        let data = doc["data"] ?? doc
        switch data.content {
        case .mapping(let pairs):
            for p in pairs {
                guard let name = p.key.scalarValue else { continue }
                for entry in NodeRead.sequence(p.value) {
                    if let t = entry["type"]?.scalarValue { set(name, t.lowercased(), source: source) }
                }
            }
        case .sequence(let items):
            for entry in items {
                if let name = entry["metric"]?.scalarValue, let t = entry["type"]?.scalarValue {
                    set(name, t.lowercased(), source: source)
                }
            }
        default:
            return "\(source): a metadata response has a `data` object or list"
        }
        return nil
    }
}
