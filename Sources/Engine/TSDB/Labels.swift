import ConfigModel
import GoCompat

/// A label set, kept sorted by name so that equal sets compare and hash equally.
public struct Labels: Sendable, Hashable, Comparable, CustomStringConvertible {
    public struct Label: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Sorted by name; names are unique.
    public private(set) var labels: [Label]

    public init() { labels = [] }

    /// Builds a set from pairs; a later pair wins over an earlier one with the same name; empty values are dropped.
    public init(_ pairs: [(String, String)]) {
        var dict: [String: String] = [:]
        for (n, v) in pairs { dict[n] = v }
        labels = dict.filter { !$0.value.isEmpty }.map { Label($0.key, $0.value) }.sorted { $0.name < $1.name }
    }

    public init(_ dict: [String: String]) { self.init(dict.map { ($0.key, $0.value) }) }

    /// Wraps labels already sorted by name with unique names (not checked).
    public init(sorted: [Label]) { labels = sorted }

    public var isEmpty: Bool { labels.isEmpty }
    public var count: Int { labels.count }

    public subscript(name: String) -> String? {
        var lo = 0, hi = labels.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if labels[mid].name < name { lo = mid + 1 } else { hi = mid }
        }
        return lo < labels.count && labels[lo].name == name ? labels[lo].value : nil
    }

    /// The metric name (`__name__`), if any.
    public var metricName: String? { self["__name__"] }

    /// Returns a copy with `name` set to `value` (removed when `value` is empty).
    /// At most one array is allocated, none when nothing changes (rule evaluation sets labels on every sample).
    public func setting(_ name: String, _ value: String) -> Labels {
        var lo = 0, hi = labels.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if labels[mid].name < name { lo = mid + 1 } else { hi = mid }
        }
        if lo < labels.count && labels[lo].name == name {
            if value.isEmpty {
                var out = labels
                out.remove(at: lo)
                return Labels(sorted: out)
            }
            if tsdbUTF8Equal(labels[lo].name, name) && tsdbUTF8Equal(labels[lo].value, value) { return self }
            var out = labels
            out[lo] = Label(name, value)
            return Labels(sorted: out)
        }
        if value.isEmpty { return self }
        var out: [Label] = []
        out.reserveCapacity(labels.count + 1)
        out.append(contentsOf: labels[..<lo])
        out.append(Label(name, value))
        out.append(contentsOf: labels[lo...])
        return Labels(sorted: out)
    }

    /// Returns a copy without the given names.
    public func removing(_ names: Set<String>) -> Labels { Labels(sorted: labels.filter { !names.contains($0.name) }) }

    /// Returns a copy with only the given names.
    public func keeping(_ names: Set<String>) -> Labels { Labels(sorted: labels.filter { names.contains($0.name) }) }

    public static func < (a: Labels, b: Labels) -> Bool {
        let n = min(a.labels.count, b.labels.count)
        for i in 0..<n {
            let x = a.labels[i], y = b.labels[i]
            if x.name != y.name { return x.name < y.name }
            if x.value != y.value { return x.value < y.value }
        }
        return a.labels.count < b.labels.count
    }

    /// Prometheus's `{a="1", b="2"}` form (metric name not pulled out), as `labels.Labels.String()` writes
    /// it: a name outside the legacy `[a-zA-Z_][a-zA-Z0-9_]*` set is quoted too (`{"foo.bar"="x", job="y"}`),
    /// so that UTF-8 names read back unambiguously in every message that prints a label set.
    public var description: String {
        "{" + labels.map { l in
            let name = NameValidationScheme.legacy.isValidLabelName(l.name) ? l.name : quoteLabelValue(l.name)
            return name + "=" + quoteLabelValue(l.value)
        }.joined(separator: ", ") + "}"
    }
}

/// Quotes a label value as Go's `strconv.Quote` does (what Prometheus prints); the project's one Go quoting
/// rule is ConfigModel's `goQuote`.
public func quoteLabelValue(_ s: String) -> String { goQuote(s) }

extension Labels {
    /// A stable 64-bit FNV-1a hash over `name 0xFF value 0xFF` bytes of every label (same on every run and platform).
    public var stableHash: UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        let prime: UInt64 = 0x0000_0100_0000_01b3
        for l in labels {
            for b in l.name.utf8 { h = (h ^ UInt64(b)) &* prime }
            h = (h ^ 0xff) &* prime
            for b in l.value.utf8 { h = (h ^ UInt64(b)) &* prime }
            h = (h ^ 0xff) &* prime
        }
        return h
    }

    /// Byte-exact equality of names and values (`==` uses Swift's Unicode canonical equivalence; Prometheus
    /// compares bytes).
    public func isIdentical(to other: Labels) -> Bool {
        guard labels.count == other.labels.count else { return false }
        for (a, b) in zip(labels, other.labels) {
            guard tsdbUTF8Equal(a.name, b.name), tsdbUTF8Equal(a.value, b.value) else { return false }
        }
        return true
    }
}
