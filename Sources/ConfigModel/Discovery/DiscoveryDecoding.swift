/// Decoding helpers shared by the service-discovery mechanisms.

/// A type with Go's zero value, which yaml.v2 stores when a field is given an explicit null.
protocol SDZeroValue {
    static var sdZero: Self { get }
}

extension String: SDZeroValue { static var sdZero: String { "" } }
extension Int: SDZeroValue { static var sdZero: Int { 0 } }
extension Bool: SDZeroValue { static var sdZero: Bool { false } }
extension PromDuration: SDZeroValue { static var sdZero: PromDuration { .zero } }
extension Secret: SDZeroValue { static var sdZero: Secret { Secret("") } }
extension Array: SDZeroValue { static var sdZero: [Element] { [] } }

extension MappingDecoder {
    /// A field with yaml.v2's semantics: absent keeps `defaultValue`, an explicit null gives Go's zero value.
    mutating func field<T: YAMLDecodable & SDZeroValue>(_ key: String, _ defaultValue: T) throws(ConfigError) -> T {
        guard let n = node(key) else { return defaultValue }
        if n.isNull { return T.sdZero }
        return try T(yaml: n, decoder: decoder)
    }

    /// Positions of every key present, for validation errors.
    var allMarks: FieldMarks { FieldMarks(self, keys: keys) }
}

extension HTTPClientConfig {
    /// Go's `reflect.DeepEqual(c, config.DefaultHTTPClientConfig)`: nothing configured but the defaults.
    var isDefault: Bool {
        let tls = tlsConfig
        let tlsDefault = tls.ca.isEmpty && tls.caFile.isEmpty && tls.caRef.isEmpty && tls.cert.isEmpty
            && tls.certFile.isEmpty && tls.certRef.isEmpty && tls.key.isEmpty && tls.keyFile.isEmpty
            && tls.keyRef.isEmpty && tls.serverName.isEmpty && !tls.insecureSkipVerify
            && tls.minVersion == nil && tls.maxVersion == nil && tls.nextProtos.isEmpty
        let proxyDefault = proxy.proxyURL == nil && proxy.noProxy.isEmpty && !proxy.proxyFromEnvironment
            && proxy.proxyConnectHeader.isEmpty
        return basicAuth == nil && authorization == nil && oauth2 == nil && bearerToken.isEmpty
            && bearerTokenFile.isEmpty && tlsDefault && followRedirects && enableHTTP2 && proxyDefault
            && httpHeaders == nil
    }
}

/// Parses `raw` as Go's `url.Parse` does, throwing its error at `mark`.
func parseSDURL(_ raw: String, at mark: Mark?) throws(ConfigError) -> GoURL {
    switch GoURL.parse(raw) {
    case .success(let u): return u
    case .failure(let e): throw ConfigError(e.message, at: mark)
    }
}

/// A `name` + `values` filter (Docker, Docker Swarm, EC2 and AWS filters share the shape).
public struct SDFilter: Sendable, Equatable {
    public var name: String
    public var values: [String]
    public var mark: Mark

    public init(name: String, values: [String], mark: Mark = Mark(line: 0, column: 0)) {
        self.name = name
        self.values = values
        self.mark = mark
    }

    static func decode(_ node: Node, decoder: YAMLDecoder, goType: String) throws(ConfigError) -> SDFilter {
        var m = decoder.mapping(node, goType: goType)
        let name = try m.field("name", "")
        let values: [String] = try m.field("values", [])
        m.finish()
        return SDFilter(name: name, values: values, mark: node.mark)
    }

    /// Decodes a list of filters (`[]Filter` or `[]*Filter` in Go; a null item is a nil pointer there).
    static func decodeList(_ m: inout MappingDecoder, key: String, goType: String, pointers: Bool) throws(ConfigError) -> [SDFilter]? {
        guard let n = m.node(key), !n.isNull else { return nil }
        guard case .sequence(let items) = n.content else {
            m.decoder.cannotUnmarshal(n, into: "[]" + (pointers ? "*" : "") + goType)
            return []
        }
        var out: [SDFilter] = []
        for item in items {
            // A null item is a nil pointer (or zero struct) in Go; it counts as a filter without values.
            if item.isNull { out.append(SDFilter(name: "", values: [], mark: item.mark)); continue }
            out.append(try decode(item, decoder: m.decoder, goType: goType))
        }
        return out
    }
}

/// A string-keyed map of strings (`map[string]string`), in document order.
typealias SDStringMap = OrderedStringMap<String>

/// Go's `strings.TrimSpace`: strips leading and trailing Unicode white space.
func goTrimSpace(_ s: String) -> String {
    func isSpace(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }
    let scalars = Array(s.unicodeScalars)
    guard let start = scalars.firstIndex(where: { !isSpace($0) }),
          let end = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
    var out = String.UnicodeScalarView()
    out.append(contentsOf: scalars[start...end])
    return String(out)
}
