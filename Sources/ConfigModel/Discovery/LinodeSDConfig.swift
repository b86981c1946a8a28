/// `linode_sd_configs` entry (Prometheus `discovery/linode`).
public struct LinodeSDConfig: DiscoveryConfig {
    public static var mechanism: String { "linode" }
    public static var goTypeName: String { "linode.plain" }

    public var httpClientConfig = HTTPClientConfig()
    public var refreshInterval = PromDuration.seconds(60)
    public var port = 80
    public var tagSeparator = ","
    public var region = ""

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        httpClientConfig = try m.inline()
        refreshInterval = try m.field("refresh_interval", refreshInterval)
        port = try m.field("port", port)
        tagSeparator = try m.field("tag_separator", tagSeparator)
        region = try m.field("region", region)
        guard m.finish() else { return }
        try httpClientConfig.validate()
    }

    public var referencedFiles: [String] { httpClientConfig.referencedFiles }
    public mutating func resolvePaths(relativeTo directory: String) { httpClientConfig.resolvePaths(relativeTo: directory) }
}
