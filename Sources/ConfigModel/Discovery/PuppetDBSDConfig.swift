/// `puppetdb_sd_configs` entry (Prometheus `discovery/puppetdb`).
public struct PuppetDBSDConfig: DiscoveryConfig {
    public static var mechanism: String { "puppetdb" }
    public static var goTypeName: String { "puppetdb.plain" }

    public var httpClientConfig = HTTPClientConfig()
    public var refreshInterval = PromDuration.seconds(60)
    public var url = ""
    public var query = ""
    public var includeParameters = false
    public var port = 80

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = m.allMarks
        httpClientConfig = try m.inline()
        refreshInterval = try m.field("refresh_interval", refreshInterval)
        url = try m.field("url", url)
        query = try m.field("query", query)
        includeParameters = try m.field("include_parameters", includeParameters)
        port = try m.field("port", port)
        guard m.finish() else { return }
        let at = marks["url"]
        if url.isEmpty { throw ConfigError("URL is missing", at: at) }
        let parsed = try parseSDURL(url, at: at)
        if parsed.scheme != "http" && parsed.scheme != "https" {
            throw ConfigError("URL scheme must be 'http' or 'https'", at: at)
        }
        if parsed.host.isEmpty { throw ConfigError("host is missing in URL", at: at) }
        if query.isEmpty { throw ConfigError("query missing", at: marks["query"]) }
        try httpClientConfig.validate()
    }

    public var referencedFiles: [String] { httpClientConfig.referencedFiles }
    public mutating func resolvePaths(relativeTo directory: String) { httpClientConfig.resolvePaths(relativeTo: directory) }
}
