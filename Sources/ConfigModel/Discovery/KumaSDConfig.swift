/// `kuma_sd_configs` entry (Prometheus `discovery/xds`, Kuma's monitoring assignment service).
public struct KumaSDConfig: DiscoveryConfig {
    public static var mechanism: String { "kuma" }
    public static var goTypeName: String { "xds.plainKumaConf" }
    public static var goConfigTypeName: String { "xds.SDConfig" }

    public var httpClientConfig = HTTPClientConfig()
    public var refreshInterval = PromDuration.seconds(15)
    public var fetchTimeout = PromDuration.minutes(2)
    public var server = ""
    public var clientID = ""

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = m.allMarks
        httpClientConfig = try m.inline()
        refreshInterval = try m.field("refresh_interval", refreshInterval)
        fetchTimeout = try m.field("fetch_timeout", fetchTimeout)
        server = try m.field("server", server)
        clientID = try m.field("client_id", clientID)
        guard m.finish() else { return }
        let at = marks["server"]
        if server.isEmpty { throw ConfigError("kuma SD server must not be empty: \(server)", at: at) }
        let parsed = try parseSDURL(server, at: at)
        if parsed.scheme.isEmpty || parsed.host.isEmpty {
            throw ConfigError("kuma SD server must not be empty and have a scheme: \(server)", at: at)
        }
        try httpClientConfig.validate()
    }

    public var referencedFiles: [String] { httpClientConfig.referencedFiles }
    public mutating func resolvePaths(relativeTo directory: String) { httpClientConfig.resolvePaths(relativeTo: directory) }
}
