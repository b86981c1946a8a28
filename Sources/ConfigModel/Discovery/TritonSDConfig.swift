/// `triton_sd_configs` entry (Prometheus `discovery/triton`).
public struct TritonSDConfig: DiscoveryConfig {
    public static var mechanism: String { "triton" }
    public static var goTypeName: String { "triton.plain" }

    public var account = ""
    /// `container` (default) or `cn`.
    public var role = "container"
    public var dnsSuffix = ""
    public var endpoint = ""
    public var groups: [String] = []
    public var port = 9163
    public var refreshInterval = PromDuration.seconds(60)
    public var tlsConfig = TLSConfig()
    public var version = 1

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = m.allMarks
        account = try m.field("account", account)
        role = try m.field("role", role)
        dnsSuffix = try m.field("dns_suffix", dnsSuffix)
        endpoint = try m.field("endpoint", endpoint)
        groups = try m.field("groups", groups)
        port = try m.field("port", port)
        refreshInterval = try m.field("refresh_interval", refreshInterval)
        tlsConfig = try m.decode("tls_config", default: tlsConfig)
        version = try m.field("version", version)
        guard m.finish() else { return }
        if role != "container" && role != "cn" {
            throw ConfigError("triton SD configuration requires role to be 'container' or 'cn'", at: marks["role"])
        }
        if account.isEmpty { throw ConfigError("triton SD configuration requires an account", at: marks["account"]) }
        if dnsSuffix.isEmpty { throw ConfigError("triton SD configuration requires a dns_suffix", at: marks["dns_suffix"]) }
        if endpoint.isEmpty { throw ConfigError("triton SD configuration requires an endpoint", at: marks["endpoint"]) }
        if refreshInterval <= .zero {
            throw ConfigError("triton SD configuration requires RefreshInterval to be a positive integer", at: marks["refresh_interval"])
        }
    }

    public var referencedFiles: [String] { tlsConfig.referencedFiles }
    public mutating func resolvePaths(relativeTo directory: String) { tlsConfig.resolvePaths(relativeTo: directory) }
}
