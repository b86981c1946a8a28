/// `eureka_sd_configs` entry (Prometheus `discovery/eureka`).
public struct EurekaSDConfig: DiscoveryConfig {
    public static var mechanism: String { "eureka" }
    public static var goTypeName: String { "eureka.plain" }

    public var server = ""
    public var httpClientConfig = HTTPClientConfig()
    public var refreshInterval = PromDuration.seconds(30)

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = m.allMarks
        server = try m.field("server", server)
        httpClientConfig = try m.inline()
        refreshInterval = try m.field("refresh_interval", refreshInterval)
        guard m.finish() else { return }
        let at = marks["server"]
        if server.isEmpty { throw ConfigError("eureka_sd: empty or null eureka server", at: at) }
        let parsed = try parseSDURL(server, at: at)
        if parsed.scheme.isEmpty || parsed.host.isEmpty {
            throw ConfigError("eureka_sd: invalid eureka server URL", at: at)
        }
        try httpClientConfig.validate()
    }

    public var referencedFiles: [String] { httpClientConfig.referencedFiles }
    public mutating func resolvePaths(relativeTo directory: String) { httpClientConfig.resolvePaths(relativeTo: directory) }
}
