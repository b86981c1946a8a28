/// `nomad_sd_configs` entry (Prometheus `discovery/nomad`).
public struct NomadSDConfig: DiscoveryConfig {
    public static var mechanism: String { "nomad" }
    public static var goTypeName: String { "nomad.plain" }

    public var allowStale = true
    public var httpClientConfig = HTTPClientConfig()
    public var namespace = "default"
    public var refreshInterval = PromDuration.seconds(60)
    public var region = "global"
    public var server = "http://localhost:4646"
    public var tagSeparator = ","

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = m.allMarks
        allowStale = try m.field("allow_stale", allowStale)
        httpClientConfig = try m.inline()
        namespace = try m.field("namespace", namespace)
        refreshInterval = try m.field("refresh_interval", refreshInterval)
        region = try m.field("region", region)
        server = try m.field("server", server)
        tagSeparator = try m.field("tag_separator", tagSeparator)
        guard m.finish() else { return }
        if goTrimSpace(server).isEmpty {
            throw ConfigError("nomad SD configuration requires a server address", at: marks["server"])
        }
        try httpClientConfig.validate()
    }

    public var referencedFiles: [String] { httpClientConfig.referencedFiles }
    public mutating func resolvePaths(relativeTo directory: String) { httpClientConfig.resolvePaths(relativeTo: directory) }
}
