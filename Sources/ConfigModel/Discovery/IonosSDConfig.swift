/// `ionos_sd_configs` entry (Prometheus `discovery/ionos`).
public struct IonosSDConfig: DiscoveryConfig {
    public static var mechanism: String { "ionos" }
    public static var goTypeName: String { "ionos.plain" }

    public var httpClientConfig = HTTPClientConfig()
    public var refreshInterval = PromDuration.seconds(60)
    public var port = 80
    public var datacenterID = ""

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = m.allMarks
        httpClientConfig = try m.inline()
        refreshInterval = try m.field("refresh_interval", refreshInterval)
        port = try m.field("port", port)
        datacenterID = try m.field("datacenter_id", datacenterID)
        guard m.finish() else { return }
        if datacenterID.isEmpty { throw ConfigError("datacenter id can't be empty", at: marks["datacenter_id"]) }
        try httpClientConfig.validate()
    }

    public var referencedFiles: [String] { httpClientConfig.referencedFiles }
    public mutating func resolvePaths(relativeTo directory: String) { httpClientConfig.resolvePaths(relativeTo: directory) }
}
