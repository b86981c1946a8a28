/// `dockerswarm_sd_configs` entry (Prometheus `discovery/moby`, services, tasks or nodes of a swarm).
public struct DockerSwarmSDConfig: DiscoveryConfig {
    public static var mechanism: String { "dockerswarm" }
    public static var goTypeName: String { "moby.plain" }
    public static var goConfigTypeName: String { "moby.DockerSwarmSDConfig" }

    public var httpClientConfig = HTTPClientConfig()
    public var host = ""
    /// `services`, `tasks` or `nodes`.
    public var role = ""
    public var port = 80
    public var filters: [SDFilter] = []
    public var refreshInterval = PromDuration.seconds(60)

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = m.allMarks
        httpClientConfig = try m.inline()
        host = try m.field("host", host)
        role = try m.field("role", role)
        port = try m.field("port", port)
        filters = try SDFilter.decodeList(&m, key: "filters", goType: "moby.Filter", pointers: false) ?? []
        refreshInterval = try m.field("refresh_interval", refreshInterval)
        guard m.finish() else { return }
        if host.isEmpty { throw ConfigError("host missing", at: marks["host"]) }
        _ = try parseSDURL(host, at: marks["host"])
        switch role {
        case "services", "nodes", "tasks":
            break
        case "":
            throw ConfigError("role missing (one of: tasks, services, nodes)", at: marks["role"])
        default:
            throw ConfigError("invalid role \(role), expected tasks, services, or nodes", at: marks["role"])
        }
        try httpClientConfig.validate()
    }

    public var referencedFiles: [String] { httpClientConfig.referencedFiles }
    public mutating func resolvePaths(relativeTo directory: String) { httpClientConfig.resolvePaths(relativeTo: directory) }
}
