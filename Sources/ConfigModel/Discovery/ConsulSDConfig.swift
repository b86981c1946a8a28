/// `consul_sd_configs` entry (Prometheus `discovery/consul`).
public struct ConsulSDConfig: DiscoveryConfig {
    public static var mechanism: String { "consul" }
    public static var goTypeName: String { "consul.plain" }

    public var server = "localhost:8500"
    public var pathPrefix = ""
    public var token = Secret("")
    public var datacenter = ""
    public var namespace = ""
    public var partition = ""
    public var tagSeparator = ","
    public var scheme = "http"
    /// Deprecated: folded into `httpClientConfig.basicAuth` on load.
    public var username = ""
    public var password = Secret("")
    public var allowStale = true
    public var refreshInterval = PromDuration.seconds(30)
    public var services: [String] = []
    public var tags: [String] = []
    public var nodeMeta = OrderedStringMap<String>()
    public var filter = ""
    public var healthFilter = ""
    public var httpClientConfig = HTTPClientConfig()

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = m.allMarks
        server = try m.field("server", server)
        pathPrefix = try m.field("path_prefix", pathPrefix)
        token = try m.field("token", token)
        datacenter = try m.field("datacenter", datacenter)
        namespace = try m.field("namespace", namespace)
        partition = try m.field("partition", partition)
        tagSeparator = try m.field("tag_separator", tagSeparator)
        scheme = try m.field("scheme", scheme)
        username = try m.field("username", username)
        password = try m.field("password", password)
        allowStale = try m.field("allow_stale", allowStale)
        refreshInterval = try m.field("refresh_interval", refreshInterval)
        services = try m.field("services", services)
        tags = try m.field("tags", tags)
        nodeMeta = try m.decode("node_meta", default: nodeMeta)
        filter = try m.field("filter", filter)
        healthFilter = try m.field("health_filter", healthFilter)
        httpClientConfig = try m.inline()
        guard m.finish() else { return }

        if goTrimSpace(server).isEmpty {
            throw ConfigError("consul SD configuration requires a server address", at: marks["server"])
        }
        if !username.isEmpty || !password.isEmpty {
            if httpClientConfig.basicAuth != nil {
                throw ConfigError("at most one of consul SD configuration username and password and basic auth can be configured",
                                  at: marks.last(of: "username", "password", "basic_auth"))
            }
            var auth = BasicAuth()
            auth.username = username
            auth.password = password
            auth.mark = marks.first(of: "username", "password") ?? node.mark
            httpClientConfig.basicAuth = auth
        }
        if !token.isEmpty && (httpClientConfig.authorization != nil || httpClientConfig.oauth2 != nil) {
            throw ConfigError("at most one of consul SD token, authorization, or oauth2 can be configured",
                              at: marks.last(of: "token", "authorization", "oauth2"))
        }
        try httpClientConfig.validate()
    }

    public var referencedFiles: [String] { httpClientConfig.referencedFiles }
    public mutating func resolvePaths(relativeTo directory: String) { httpClientConfig.resolvePaths(relativeTo: directory) }
}
