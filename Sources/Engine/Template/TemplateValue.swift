/// One sample of a query result as seen by templates (`template.sample`: labels and a float value).
public struct QueryResultSample: Sendable, Equatable {
    /// The series labels, including `__name__`.
    public var labels: [String: String]
    /// The sample value.
    public var value: Double

    /// Creates a sample.
    public init(labels: [String: String], value: Double) {
        self.labels = labels
        self.value = value
    }
}

/// A `map[string]interface {}` value; it remembers how deeply values are nested inside it.
public struct TemplateMap: Sendable {
    /// The map's entries.
    public let entries: [String: TemplateValue]
    /// Nesting depth of the value (1 for a map of scalars).
    public let depth: Int

    /// Creates a map value.
    public init(_ entries: [String: TemplateValue]) {
        self.entries = entries
        var d = 0
        for v in entries.values { d = max(d, v.nestingDepth) }
        depth = d + 1
    }
}

/// A Go struct value with named fields in declaration order.
public struct TemplateStruct: Sendable {
    /// Go's type name, e.g. `struct { Labels map[string]string; Value interface {} }`.
    public var typeName: String
    /// Field names in declaration order.
    public var fieldNames: [String]
    /// Field values by name.
    public var fields: [String: TemplateValue]
    /// Fields declared `interface {}` in `typeName` (found once, by a byte scan: field access is hot in
    /// alert templates and a `String.contains` per access dominated their cost).
    public let interfaceFields: [String]
    /// What the struct's `String()` method returns, for a type that has one: Go's `fmt` prints that for the
    /// verbs `v s x X q` and the fields only for the others (a `%)` in an alert name prints a template
    /// parser's token as `{%!)(parse.itemType=2) …}`).
    public var stringForm: String?

    /// Creates a struct value.
    public init(typeName: String, fields: [(String, TemplateValue)], stringForm: String? = nil) {
        self.typeName = typeName
        self.stringForm = stringForm
        self.fieldNames = fields.map { $0.0 }
        var dict: [String: TemplateValue] = [:]
        for (k, v) in fields { dict[k] = v }
        self.fields = dict
        interfaceFields = Self.interfaceFieldNames(typeName)
    }

    /// The identifiers directly before each ` interface {}` in a Go struct type name.
    static func interfaceFieldNames(_ typeName: String) -> [String] {
        let b = Array(typeName.utf8)
        let marker = Array(" interface {}".utf8)
        var out: [String] = []
        var i = 0
        while i + marker.count <= b.count {
            if b[i] == marker[0] && b[i..<(i + marker.count)].elementsEqual(marker) {
                var start = i
                while start > 0, b[start - 1] != 0x20, b[start - 1] != 0x7B, b[start - 1] != 0x3B { start -= 1 }
                if start < i { out.append(String(decoding: b[start..<i], as: UTF8.self)) }
                i += marker.count
            } else {
                i += 1
            }
        }
        return out
    }
}

/// A value visible to a template, modelling the Go types Prometheus templates use.
public indirect enum TemplateValue: Sendable {
    /// Go integer kinds relevant to templates. `parse.itemType` and `parse.Pos` are the integer fields of the
    /// template parser's token, which Go's `fmt` shows when an error message prints a token as a struct.
    public enum IntType: String, Sendable {
        case int, int64, int32
        case parseItemType = "parse.itemType"
        case parsePos = "parse.Pos"
    }
    /// Go unsigned integer kinds relevant to templates.
    public enum UIntType: String, Sendable { case uint, uint64, uint8 }

    /// No value (Go's invalid reflect.Value / untyped nil); prints as `<no value>`.
    case invalid
    /// `bool`.
    case bool(Bool)
    /// A signed integer of the given Go type.
    case int(Int64, IntType)
    /// An unsigned integer of the given Go type.
    case uint(UInt64, UIntType)
    /// `float64`.
    case float(Double)
    /// `complex128`.
    case complex(Double, Double)
    /// `string`.
    case string(String)
    /// `html/template.HTML` (from `safeHtml`).
    case html(String)
    /// `map[string]string` (e.g. `.Labels`).
    case stringMap([String: String])
    /// `map[string]interface {}` (e.g. from `args`).
    case anyMap(TemplateMap)
    /// A slice `[]T` with Go element type name `T` (e.g. `float64`, `interface {}`).
    case list([TemplateValue], elementType: String)
    /// `template.queryResult` (`[]*sample`).
    case queryResult([QueryResultSample])
    /// `*template.sample`.
    case sample(QueryResultSample)
    /// `*time.Time` (UTC), as nanoseconds since the Unix epoch.
    case time(nanos: Int64)
    /// `*time.Duration` in nanoseconds.
    case duration(Int64)
    /// A struct value.
    case structure(TemplateStruct)
    /// Any other Go value that prints via its `String()` method (e.g. `*histogram.FloatHistogram` for a native
    /// histogram alert value): `typeName` is Go's type name, `text` what it prints.
    case opaque(typeName: String, text: String)
    /// A value held in a Go `interface {}` slot (e.g. a `range` element of `map[string]interface {}`); it only
    /// changes the type named in field-access errors.
    case boxed(TemplateValue)

    /// The value without any `interface {}` boxing.
    public var unboxed: TemplateValue {
        if case .boxed(let inner) = self { return inner.unboxed }
        return self
    }

    /// Go's type name (`%T`).
    public var goTypeName: String {
        switch self {
        case .invalid: return "<nil>"
        case .bool: return "bool"
        case .int(_, let t): return t.rawValue
        case .uint(_, let t): return t.rawValue
        case .float: return "float64"
        case .complex: return "complex128"
        case .string: return "string"
        case .html: return "template.HTML"
        case .stringMap: return "map[string]string"
        case .anyMap: return "map[string]interface {}"
        case .list(_, let e): return "[]" + e
        case .queryResult: return "template.queryResult"
        case .sample: return "*template.sample"
        case .time: return "*time.Time"
        case .duration: return "*time.Duration"
        case .structure(let s): return s.typeName
        case .opaque(let t, _): return t
        case .boxed(let inner): return inner.goTypeName
        }
    }

    /// The data Prometheus passes when expanding alert labels and annotations (`template.AlertTemplateData`).
    public static func alertData(labels: [String: String], externalLabels: [String: String], externalURL: String,
                                 value: Double) -> TemplateValue {
        alertData(labels: labels, externalLabels: externalLabels, externalURL: externalURL, value: .float(value))
    }

    /// Alert template data whose `.Value` is an arbitrary value (a histogram in Prometheus 3 is `.opaque`).
    public static func alertData(labels: [String: String], externalLabels: [String: String], externalURL: String,
                                 value: TemplateValue) -> TemplateValue {
        .structure(TemplateStruct(
            typeName: "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value interface {} }",
            fields: [
                ("Labels", .stringMap(labels)),
                ("ExternalLabels", .stringMap(externalLabels)),
                ("ExternalURL", .string(externalURL)),
                ("Value", value),
            ]))
    }

    /// A `[]float64` slice.
    public static func floats(_ v: [Double]) -> TemplateValue { .list(v.map { .float($0) }, elementType: "float64") }

    /// A `[]string` slice.
    public static func strings(_ v: [String]) -> TemplateValue { .list(v.map { .string($0) }, elementType: "string") }

    /// How deeply composite values are nested (0 for scalars).
    public var nestingDepth: Int {
        switch self {
        case .anyMap(let m): return m.depth
        case .stringMap: return 1
        case .list(let l, _): return 1 + (l.map { $0.nestingDepth }.max() ?? 0)
        case .structure(let s): return 1 + (s.fields.values.map { $0.nestingDepth }.max() ?? 0)
        case .boxed(let inner): return inner.nestingDepth
        default: return 0
        }
    }

    var isValid: Bool {
        switch self {
        case .invalid: return false
        case .boxed(let inner): return inner.isValid
        default: return true
        }
    }

    /// Go's truth: non-zero, non-empty, non-nil.
    var truth: Bool {
        switch self {
        case .invalid: return false
        case .bool(let b): return b
        case .int(let i, _): return i != 0
        case .uint(let u, _): return u != 0
        case .float(let f): return f != 0
        case .complex(let r, let i): return r != 0 || i != 0
        case .string(let s), .html(let s): return !s.isEmpty
        case .stringMap(let m): return !m.isEmpty
        case .anyMap(let m): return !m.entries.isEmpty
        case .list(let l, _): return !l.isEmpty
        case .queryResult(let q): return !q.isEmpty
        case .sample, .time, .duration, .structure, .opaque: return true
        case .boxed(let inner): return inner.truth
        }
    }
}
