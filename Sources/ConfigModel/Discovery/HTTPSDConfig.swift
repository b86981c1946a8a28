/// `http_sd_configs` entry (Prometheus `discovery/http`).
public struct HTTPSDConfig: DiscoveryConfig {
    public static var mechanism: String { "http" }
    public static var goTypeName: String { "http.plain" }

    public var httpClientConfig = HTTPClientConfig()
    public var refreshInterval = PromDuration.seconds(60)
    public var url = ""

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = m.allMarks
        httpClientConfig = try m.inline()
        refreshInterval = try m.field("refresh_interval", refreshInterval)
        url = try m.field("url", url)
        guard m.finish() else { return }
        let at = marks["url"]
        if url.isEmpty { throw ConfigError("URL is missing", at: at) }
        let parsed = try parseSDURL(url, at: at)
        if parsed.scheme != "http" && parsed.scheme != "https" {
            throw ConfigError("URL scheme must be 'http' or 'https'", at: at)
        }
        if parsed.host.isEmpty { throw ConfigError("host is missing in URL", at: at) }
        try httpClientConfig.validate()
    }

    public var referencedFiles: [String] { httpClientConfig.referencedFiles }
    public mutating func resolvePaths(relativeTo directory: String) { httpClientConfig.resolvePaths(relativeTo: directory) }
}
