/// `serverset_sd_configs` entry (Prometheus `discovery/zookeeper`).
public struct ServersetSDConfig: DiscoveryConfig {
    public static var mechanism: String { "serverset" }
    public static var goTypeName: String { "zookeeper.plain" }
    public static var goConfigTypeName: String { "zookeeper.ServersetSDConfig" }

    /// Zookeeper servers.
    public var servers: [String] = []
    /// Zookeeper paths, each starting with `/`.
    public var paths: [String] = []
    public var timeout = PromDuration.seconds(10)

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = m.allMarks
        servers = try m.field("servers", servers)
        paths = try m.field("paths", paths)
        timeout = try m.field("timeout", timeout)
        guard m.finish() else { return }
        if servers.isEmpty {
            throw ConfigError("serverset SD config must contain at least one Zookeeper server", at: marks["servers"])
        }
        if paths.isEmpty {
            throw ConfigError("serverset SD config must contain at least one path", at: marks["paths"])
        }
        for path in paths where !path.hasPrefix("/") {
            throw ConfigError("serverset SD config paths must begin with '/': \(path)", at: marks["paths"])
        }
    }
}
