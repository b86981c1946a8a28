/// `gce_sd_configs` entry (Prometheus `discovery/gce`).
public struct GCESDConfig: DiscoveryConfig {
    public static var mechanism: String { "gce" }
    public static var goTypeName: String { "gce.plain" }

    public var project = ""
    public var zone = ""
    public var filter = ""
    public var refreshInterval = PromDuration.seconds(60)
    public var port = 80
    public var tagSeparator = ","

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = m.allMarks
        project = try m.field("project", project)
        zone = try m.field("zone", zone)
        filter = try m.field("filter", filter)
        refreshInterval = try m.field("refresh_interval", refreshInterval)
        port = try m.field("port", port)
        tagSeparator = try m.field("tag_separator", tagSeparator)
        guard m.finish() else { return }
        if project.isEmpty { throw ConfigError("GCE SD configuration requires a project", at: marks["project"]) }
        if zone.isEmpty { throw ConfigError("GCE SD configuration requires a zone", at: marks["zone"]) }
    }
}
