/// `docker_sd_configs` entry (Prometheus `discovery/moby`, containers of one Docker daemon).
public struct DockerSDConfig: DiscoveryConfig {
    public static var mechanism: String { "docker" }
    public static var goTypeName: String { "moby.plain" }
    public static var goConfigTypeName: String { "moby.DockerSDConfig" }

    public var httpClientConfig = HTTPClientConfig()
    public var host = ""
    public var port = 80
    public var filters: [SDFilter] = []
    public var hostNetworkingHost = "localhost"
    public var refreshInterval = PromDuration.seconds(60)
    public var matchFirstNetwork = true

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = m.allMarks
        httpClientConfig = try m.inline()
        host = try m.field("host", host)
        port = try m.field("port", port)
        filters = try SDFilter.decodeList(&m, key: "filters", goType: "moby.Filter", pointers: false) ?? []
        hostNetworkingHost = try m.field("host_networking_host", hostNetworkingHost)
        refreshInterval = try m.field("refresh_interval", refreshInterval)
        matchFirstNetwork = try m.field("match_first_network", matchFirstNetwork)
        guard m.finish() else { return }
        if host.isEmpty { throw ConfigError("host missing", at: marks["host"]) }
        _ = try parseSDURL(host, at: marks["host"])
        try httpClientConfig.validate()
    }

    public var referencedFiles: [String] { httpClientConfig.referencedFiles }
    public mutating func resolvePaths(relativeTo directory: String) { httpClientConfig.resolvePaths(relativeTo: directory) }
}
