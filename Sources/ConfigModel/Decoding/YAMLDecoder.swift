/// Strict decoding of positioned YAML nodes into models, with Go yaml.v2's `UnmarshalStrict` semantics.
///
/// yaml.v2 collects type errors (unknown fields, wrong types, duplicate keys) across the whole document and
/// reports them together, while a validation error aborts at once; a struct with type errors skips its own
/// validation. Models follow that by recording type errors here and throwing `ConfigError` for validations.
public final class YAMLDecoder {
    /// One collected type error: where, and yaml.v2's text (`line N: ...`).
    public struct TypeErrorEntry: Sendable {
        public var mark: Mark
        public var text: String
        /// Where the error falls in Go's decoding order, when that is not `mark` (errors about a mapping's
        /// keys arise when the mapping is reached, before anything inside it).
        public var order: Mark? = nil
    }

    public private(set) var typeErrors: [TypeErrorEntry] = []
    /// When false, unknown fields are ignored (`--ignore-unknown-fields`).
    public var rejectUnknownFields: Bool
    /// Label and metric names are checked with the legacy `[a-zA-Z_][a-zA-Z0-9_]*` rule when true.
    public var legacyNameValidation = false

    /// Set for yaml v3 (rule files): it knows only `true`/`false` spellings as booleans (yaml v2, configs, also
    /// `yes`, `on`…), and skips a struct entry whose key is null where yaml v2 looks up the empty name.
    public var yamlV3Booleans = false

    public init(rejectUnknownFields: Bool = true) {
        self.rejectUnknownFields = rejectUnknownFields
    }

    /// Set when the composer's alias budget ran out (`YAMLComposer.Work.aliasBudgetExceededAt`): decoding may
    /// then visit at most `limit` nodes before failing as go-yaml does. go-yaml counts aliases only while it
    /// decodes, so a bomb under unknown fields (never decoded) is no error there, and none here.
    public var aliasBudget: (limit: Int, mark: Mark)?
    private var visited = 0

    /// Counts one decoded node against `aliasBudget`.
    public func visit() throws(ConfigError) {
        guard let budget = aliasBudget else { return }
        visited &+= 1
        if visited > budget.limit { throw ConfigError("yaml: document contains excessive aliasing", at: budget.mark) }
    }

    /// Called for every scalar a model decodes: counts it (`visit`) and applies go-yaml's `resolve(tag,
    /// value)`, which fails the whole decode for an explicit tag that does not fit (`tagMismatch`). Only
    /// scalars that are decoded get here, so tags under unknown fields never fail.
    public func willDecodeScalar(_ node: Node) throws(ConfigError) {
        try visit()
        if let e = tagMismatch(node) { throw e }
    }

    /// A fatal error met where no error could be thrown (a tagged scalar decoded into a collection type):
    /// go-yaml aborts there, so it replaces whatever the decode reports afterwards.
    public private(set) var abortingError: ConfigError?

    /// go-yaml's `resolve(tag, value)` check: `!!null 15s` or `!!int abc` is `yaml: cannot decode !!str
    /// `15s` as a !!null` (an integer may carry `!!float`). go-yaml resolves every scalar it decodes, even
    /// one decoded into a list or struct, before anything else.
    func tagMismatch(_ node: Node) -> ConfigError? {
        guard let tag = node.tag, case .scalar(let text, _) = node.content else { return nil }
        switch tag {
        case "!!bool", "!!int", "!!float", "!!null", "!!timestamp": break
        default: return nil
        }
        let resolved: String
        switch YAMLScalar.resolve(text) {
        case .null: resolved = "!!null"
        case .bool:
            resolved = !yamlV3Booleans || ["true", "True", "TRUE", "false", "False", "FALSE"].contains(text) ? "!!bool" : "!!str"
        case .int, .uint: resolved = "!!int"
        case .float: resolved = "!!float"
        case .string: resolved = "!!str"
        }
        if resolved == tag || (tag == "!!float" && resolved == "!!int") || (tag == "!!timestamp" && resolved == "!!str") { return nil }
        return ConfigError("yaml: cannot decode \(resolved) `\(text)` as a \(tag)", at: node.mark)
    }

    /// Records a fatal error met where it cannot be thrown (a mapping key whose tag does not fit); the first
    /// one replaces whatever the decode reports, as go-yaml's panic does.
    public func abort(with error: ConfigError) {
        if abortingError == nil { abortingError = error }
    }

    /// Records a type error unless `node` is a scalar whose tag does not fit, which is fatal instead.
    /// Returns false when it was fatal.
    public func typeErrorUnlessFatal(_ node: Node) -> Bool {
        guard let e = tagMismatch(node) else { return true }
        if abortingError == nil { abortingError = e }
        return false
    }

    /// Number of type errors so far; models compare it before and after decoding themselves.
    public var typeErrorCount: Int { typeErrors.count }

    /// Records a type error for `node` with yaml.v2's `line N: ` prefix.
    public func typeError(_ node: Node, _ text: String, orderedAt order: Mark? = nil) {
        typeErrors.append(TypeErrorEntry(mark: node.mark, text: "line \(node.mark.line): \(text)", order: order))
    }

    /// Records yaml.v2's `cannot unmarshal !!tag `value` into TYPE`.
    public func cannotUnmarshal(_ node: Node, into goType: String) {
        guard typeErrorUnlessFatal(node) else { return }
        var value = ""
        let tag = node.shortTag
        if tag != "!!seq" && tag != "!!map", let s = node.scalarValue {
            if s.utf8.count > 10 {
                value = " `" + String(decoding: Array(s.utf8.prefix(7)), as: UTF8.self) + "...`"
            } else {
                value = " `" + s + "`"
            }
        }
        typeError(node, "cannot unmarshal \(tag)\(value) into \(goType)")
    }

    /// A string for a custom unmarshaller that first unmarshals into `string` (SD roles): nil after recording
    /// the type error for a collection, so that the caller's own validation (`unknown role`) does not run.
    public func stringOrTypeError(_ node: Node) throws(ConfigError) -> String? {
        let before = typeErrorCount
        let s = try String(yaml: node, decoder: self)
        return typeErrorCount == before ? s : nil
    }

    /// Records `cannot unmarshal` for an integer field and gives the zero value that field is left with.
    func integerTypeError(_ node: Node, into goType: String) -> Int64 {
        cannotUnmarshal(node, into: goType)
        return 0
    }

    /// Decodes a whole document as `T` and turns collected type errors into yaml.v2's combined error.
    public func decodeDocument<T: YAMLDecodable>(_ type: T.Type, from node: Node) throws(ConfigError) -> T {
        let value: T
        do {
            value = try T(yaml: node, decoder: self)
        } catch {
            throw abortingError ?? error
        }
        try throwCollectedTypeErrors()
        return value
    }

    /// Throws `yaml: unmarshal errors:` with every collected type error, in document order.
    public func throwCollectedTypeErrors() throws(ConfigError) {
        if let abortingError { throw abortingError }
        guard !typeErrors.isEmpty else { return }
        let sorted = typeErrors.enumerated().sorted { a, b in
            let x = a.element.order ?? a.element.mark, y = b.element.order ?? b.element.mark
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
        let text = "yaml: unmarshal errors:\n  " + sorted.map(\.text).joined(separator: "\n  ")
        throw ConfigError(text, at: sorted.first?.mark)
    }

    /// Opens a mapping node for field-by-field decoding into a struct that Go calls `goType`.
    public func mapping(_ node: Node, goType: String) -> MappingDecoder {
        MappingDecoder(node, decoder: self, goType: goType)
    }
}

/// A model that decodes itself from a node. Type problems are recorded on the decoder (and a usable
/// value returned); validation failures throw.
public protocol YAMLDecodable: Sendable {
    init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError)
    /// The Go type name yaml.v2 prints for this type in errors.
    static var goTypeName: String { get }
}

/// A model whose fields are inlined into the enclosing mapping (Go's `yaml:",inline"`).
public protocol InlineYAMLDecodable: Sendable {
    init(inline m: inout MappingDecoder) throws(ConfigError)
}

/// Field-by-field access to one mapping, tracking which keys were consumed so that `finish()` can report
/// unknown and repeated fields exactly as yaml.v2's strict mode does.
public struct MappingDecoder {
    public let node: Node
    public let decoder: YAMLDecoder
    public let goType: String
    private let errorsAtStart: Int
    private var ordered: [Node.Pair] = []
    /// The key text of each pair, parallel to `ordered`.
    private var keyTexts: [String] = []
    /// Whether a model asked for the key of each pair (unknown fields are the ones never asked for).
    private var consumedFlags: [Bool] = []
    /// First index of each key, built only for large mappings; small ones are scanned (cheaper than hashing).
    private var index: [String: Int]?
    private var finished = false

    init(_ node: Node, decoder: YAMLDecoder, goType: String) {
        self.node = node
        self.decoder = decoder
        self.goType = goType
        self.errorsAtStart = decoder.typeErrorCount
        switch node.content {
        case .mapping(let pairs):
            ordered = pairs
            keyTexts = pairs.map { $0.key.scalarValue ?? "" }
            consumedFlags = Array(repeating: false, count: pairs.count)
            // An explicit `? key` that is a collection cannot become a field name: go-yaml reports decoding
            // it into the name's `string` and skips the entry.
            for (i, p) in pairs.enumerated() where p.key.scalarValue == nil {
                decoder.cannotUnmarshal(p.key, into: "string")
                keyTexts[i] = "\u{0}complex key \(i)"
                consumedFlags[i] = true
            }
            // go-yaml decodes every key into the field name's `string` before looking the field up: a tag
            // that does not fit fails the decode, `!!binary` is decoded, and a null key is the empty name in
            // yaml.v2 (`field  not found`) while yaml v3's null leaves the name unset and skips the entry
            // (decode.go v3.0.4 mappingStruct: `if !d.unmarshal(ni, name) { continue }`).
            for (i, p) in pairs.enumerated() where p.key.scalarValue != nil && (p.key.tag != nil || p.key.isNull) {
                if p.key.isNull && decoder.yamlV3Booleans {
                    keyTexts[i] = "\u{0}null key \(i)"
                    consumedFlags[i] = true
                    continue
                }
                do {
                    keyTexts[i] = try String(yaml: p.key, decoder: decoder)
                } catch {
                    decoder.abort(with: error)
                    keyTexts[i] = "\u{0}failed key \(i)"
                    consumedFlags[i] = true
                }
            }
            if pairs.count > 24 {
                var idx: [String: Int] = [:]
                idx.reserveCapacity(pairs.count)
                for (i, k) in keyTexts.enumerated() where idx[k] == nil { idx[k] = i }
                index = idx
            }
        case .scalar where node.isNull:
            break
        default:
            decoder.cannotUnmarshal(node, into: goType)
        }
    }

    /// Index of the first pair with `key` (yaml.v2 keeps the first and reports the repeats).
    private func firstIndex(_ key: String) -> Int? {
        if let index { return index[key] }
        return keyTexts.firstIndex(of: key)
    }

    /// True when the mapping has the key (even with a null value).
    public func has(_ key: String) -> Bool { firstIndex(key) != nil }

    /// The value node of `key`, without consuming it.
    public func peek(_ key: String) -> Node? { firstIndex(key).map { ordered[$0].value } }

    /// The key node of `key` (for positions).
    public func keyNode(_ key: String) -> Node? { firstIndex(key).map { ordered[$0].key } }

    /// The value node of `key`, marking it consumed.
    public mutating func node(_ key: String) -> Node? {
        guard let i = firstIndex(key) else { return nil }
        consumedFlags[i] = true
        return ordered[i].value
    }

    /// Decodes `key`; absent keeps `defaultValue`. An explicit null gives the type's zero value, as yaml.v2
    /// sets a non-pointer field to its zero value for `~` (`follow_redirects: ~` is false).
    public mutating func decode<T: YAMLDecodable>(_ key: String, default defaultValue: T) throws(ConfigError) -> T {
        guard let n = node(key) else { return defaultValue }
        return try T(yaml: n, decoder: decoder)
    }

    /// Decodes `key`; absent or null keeps `defaultValue` (for fields whose Go type is a pointer or whose
    /// decoding of null would not give Go's zero value).
    public mutating func decodeKeepingDefault<T: YAMLDecodable>(_ key: String, default defaultValue: T) throws(ConfigError) -> T {
        guard let n = node(key), !n.isNull else { return defaultValue }
        return try T(yaml: n, decoder: decoder)
    }

    /// Decodes `key`; absent or null gives nil.
    public mutating func decodeIfPresent<T: YAMLDecodable>(_ key: String, as type: T.Type = T.self) throws(ConfigError) -> T? {
        guard let n = node(key), !n.isNull else { return nil }
        return try T(yaml: n, decoder: decoder)
    }

    /// Decodes an inlined struct from this same mapping.
    public mutating func inline<T: InlineYAMLDecodable>(_ type: T.Type = T.self) throws(ConfigError) -> T {
        try T(inline: &self)
    }

    /// Marks keys as known without decoding them (fields a model deliberately ignores).
    public mutating func ignore(_ keys: String...) {
        for k in keys { if let i = firstIndex(k) { consumedFlags[i] = true } }
    }

    /// Keys present in the mapping, in document order.
    public var keys: [String] { keyTexts }

    /// Records unknown and repeated fields; returns true when this struct (and everything decoded from it)
    /// had no type errors, i.e. when its validation should run.
    @discardableResult
    public mutating func finish() -> Bool {
        if finished { return decoder.typeErrorCount == errorsAtStart }
        finished = true
        for (i, k) in keyTexts.enumerated() {
            // yaml.v2 says `already set` only for a repeated known field; an unknown one is `not found` again.
            if let first = firstIndex(k), first != i, consumedFlags[first] {
                decoder.typeError(ordered[i].key, "field \(k) already set in type \(goType)")
                continue
            }
            if !consumedFlags[i] && decoder.rejectUnknownFields {
                decoder.typeError(ordered[i].key, "field \(k) not found in type \(goType)")
            }
        }
        return decoder.typeErrorCount == errorsAtStart
    }
}
