import GoCompat

/// The `storage` section: runtime-reloadable TSDB and exemplar settings.
public struct StorageConfig: YAMLDecodable, Sendable {
    public var tsdb: TSDBConfig?
    public var exemplars: ExemplarsConfig? = ExemplarsConfig()
    public static var goTypeName: String { "config.StorageConfig" }
    public init() {}
    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        tsdb = try m.decodeIfPresent("tsdb")
        if let n = m.node("exemplars") {
            exemplars = n.isNull ? nil : try ExemplarsConfig(yaml: n, decoder: decoder)
        }
        m.finish()
    }
}

/// `storage.tsdb`.
public struct TSDBConfig: YAMLDecodable, Sendable {
    public var outOfOrderTimeWindow = PromDuration.zero
    public var staleSeriesCompactionThreshold = 0.0
    /// `chunk_encoding.floats`: `xor`, `xor2`, or nil when omitted.
    public var floatChunkEncoding: String?
    public var retention: TSDBRetentionConfig?
    public static var goTypeName: String { "config.plain" }

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        outOfOrderTimeWindow = try m.decode("out_of_order_time_window", default: .zero)
        staleSeriesCompactionThreshold = try m.decode("stale_series_compaction_threshold", default: 0.0)
        var encodingMark: Mark?
        if let n = m.node("chunk_encoding"), !n.isNull {
            var c = decoder.mapping(n, goType: "config.ChunkEncodingConfig")
            encodingMark = c.peek("floats")?.mark ?? n.mark
            if let f = c.node("floats"), !f.isNull { floatChunkEncoding = try String(yaml: f, decoder: decoder) }
            c.finish()
        }
        retention = try m.decodeIfPresent("retention")
        guard m.finish() else { return }
        if let f = floatChunkEncoding, f != "xor", f != "xor2" {
            throw ConfigError("'storage.tsdb.chunk_encoding.floats' must be 'xor' or 'xor2', or the field must be omitted entirely, got \(goQuote(f))", at: encodingMark)
        }
    }
}

/// `storage.tsdb.retention`.
public struct TSDBRetentionConfig: YAMLDecodable, Sendable {
    public var time = PromDuration.zero
    public var size = Base2Bytes.zero
    public var percentage = 0.0
    public static var goTypeName: String { "config.TSDBRetentionConfig" }
    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = FieldMarks(m, keys: ["time", "size", "percentage"])
        time = try m.decode("time", default: .zero)
        size = try m.decode("size", default: .zero)
        percentage = try m.decode("percentage", default: 0.0)
        guard m.finish() else { return }
        if size.bytes < 0 {
            throw ConfigError("'storage.tsdb.retention.size' must be greater than or equal to 0", at: marks["size"])
        }
        if percentage < 0 || percentage > 100 || percentage.isNaN {
            throw ConfigError("'storage.tsdb.retention.percentage' must be in the range [0, 100]", at: marks["percentage"])
        }
    }
}

/// `storage.exemplars`.
public struct ExemplarsConfig: YAMLDecodable, Sendable {
    public var maxExemplars: Int64 = 100_000
    public static var goTypeName: String { "config.ExemplarsConfig" }
    public init() {}
    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        maxExemplars = try m.decode("max_exemplars", default: Int64(100_000))
        m.finish()
    }
}

/// The `tracing` section (OTLP trace export).
public struct TracingConfig: YAMLDecodable, Sendable {
    public var clientType = "grpc"
    public var endpoint = ""
    public var samplingFraction = 0.0
    public var insecure = false
    public var tlsConfig = TLSConfig()
    public var headers = OrderedStringMap<String>()
    public var compression = ""
    public var timeout = PromDuration.zero
    public static var goTypeName: String { "config.plain" }

    public init() {}
    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = FieldMarks(m, keys: m.keys)
        if let n = m.node("client_type") {
            let s = n.isNull ? "" : try String(yaml: n, decoder: decoder)
            if n.scalarValue != nil {
                guard s == "http" || s == "grpc" else {
                    throw ConfigError("expected tracing client type to be to be http or grpc, but got \(s)", at: n.mark)
                }
                clientType = s
            }
        }
        endpoint = try m.decode("endpoint", default: "")
        samplingFraction = try m.decode("sampling_fraction", default: 0.0)
        insecure = try m.decode("insecure", default: false)
        tlsConfig = try m.decode("tls_config", default: TLSConfig())
        headers = try m.decode("headers", default: OrderedStringMap())
        compression = try m.decode("compression", default: "")
        timeout = try m.decode("timeout", default: .zero)
        guard m.finish() else { return }
        try validateRemoteHeaders(headers, authorizationMessage: "custom authorization header configuration is not yet supported")
        if endpoint.isEmpty { throw ConfigError("tracing endpoint must be set", at: node.mark) }
        if !compression.isEmpty && compression != "gzip" {
            throw ConfigError("invalid compression type \(compression) provided, valid options: gzip", at: marks["compression"])
        }
    }

    mutating func resolvePaths(relativeTo directory: String) { tlsConfig.resolvePaths(relativeTo: directory) }
}

/// The `otlp` section (the OTLP receiver's translation settings).
public struct OTLPConfig: YAMLDecodable, Sendable {
    public static let translationStrategies = [
        "UnderscoreEscapingWithSuffixes", "UnderscoreEscapingWithoutSuffixes", "NoUTF8EscapingWithSuffixes", "NoTranslation",
    ]
    public var promoteAllResourceAttributes = false
    public var promoteResourceAttributes: [String] = []
    public var ignoreResourceAttributes: [String] = []
    public var translationStrategy = "UnderscoreEscapingWithSuffixes"
    public var keepIdentifyingResourceAttributes = false
    public var convertHistogramsToNHCB = false
    public var promoteScopeMetadata = false
    public var labelNameUnderscoreSanitization = true
    public var labelNamePreserveMultipleUnderscores = true
    public var marks = FieldMarks()
    public static var goTypeName: String { "config.plain" }

    public init() {}
    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        marks = FieldMarks(m, keys: m.keys)
        promoteAllResourceAttributes = try m.decode("promote_all_resource_attributes", default: false)
        promoteResourceAttributes = try m.decode("promote_resource_attributes", default: [])
        ignoreResourceAttributes = try m.decode("ignore_resource_attributes", default: [])
        translationStrategy = try m.decode("translation_strategy", default: "UnderscoreEscapingWithSuffixes")
        keepIdentifyingResourceAttributes = try m.decode("keep_identifying_resource_attributes", default: false)
        convertHistogramsToNHCB = try m.decode("convert_histograms_to_nhcb", default: false)
        promoteScopeMetadata = try m.decode("promote_scope_metadata", default: false)
        labelNameUnderscoreSanitization = try m.decode("label_name_underscore_sanitization", default: true)
        labelNamePreserveMultipleUnderscores = try m.decode("label_name_preserve_multiple_underscores", default: true)
        guard m.finish() else { return }
        if promoteAllResourceAttributes {
            if !promoteResourceAttributes.isEmpty {
                throw ConfigError("'promote_all_resource_attributes' and 'promote_resource_attributes' cannot be configured simultaneously",
                                  at: marks.last(of: "promote_all_resource_attributes", "promote_resource_attributes"))
            }
            if let e = OTLPConfig.sanitize(&ignoreResourceAttributes, "ignored") {
                throw ConfigError("invalid 'ignore_resource_attributes': " + e, at: marks["ignore_resource_attributes"])
            }
        } else {
            if !ignoreResourceAttributes.isEmpty {
                throw ConfigError("'ignore_resource_attributes' cannot be configured unless 'promote_all_resource_attributes' is true",
                                  at: marks["ignore_resource_attributes"])
            }
            if let e = OTLPConfig.sanitize(&promoteResourceAttributes, "promoted") {
                throw ConfigError("invalid 'promote_resource_attributes': " + e, at: marks["promote_resource_attributes"])
            }
        }
    }

    /// Trims the attributes; returns the joined errors for empty and duplicated ones.
    static func sanitize(_ attributes: inout [String], _ adjective: String) -> String? {
        var seen: Set<String> = []
        var errors: [String] = []
        for i in attributes.indices {
            let attr = attributes[i].trimmingGoSpace()
            if attr.isEmpty { errors.append("empty \(adjective) OTel resource attribute"); continue }
            if seen.contains(attr) { errors.append("duplicated \(adjective) OTel resource attribute \(goQuote(attr))"); continue }
            seen.insert(attr)
            attributes[i] = attr
        }
        return errors.isEmpty ? nil : errors.joined(separator: "\n")
    }
}
