/// `uyuni_sd_configs` entry (Prometheus `discovery/uyuni`).
public struct UyuniSDConfig: DiscoveryConfig {
    public static var mechanism: String { "uyuni" }
    public static var goTypeName: String { "uyuni.plain" }

    public var server = ""
    public var username = ""
    public var password = Secret("")
    public var httpClientConfig = HTTPClientConfig()
    public var entitlement = "monitoring_entitled"
    public var separator = ","
    public var refreshInterval = PromDuration.minutes(1)

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = m.allMarks
        server = try m.field("server", server)
        username = try m.field("username", username)
        password = try m.field("password", password)
        httpClientConfig = try m.inline()
        entitlement = try m.field("entitlement", entitlement)
        separator = try m.field("separator", separator)
        refreshInterval = try m.field("refresh_interval", refreshInterval)
        guard m.finish() else { return }
        if server.isEmpty { throw ConfigError("Uyuni SD configuration requires server host", at: marks["server"]) }
        if case .failure(let e) = GoURL.parse(server) {
            throw ConfigError("Uyuni Server URL is not valid: \(e.message)", at: marks["server"])
        }
        if username.isEmpty { throw ConfigError("Uyuni SD configuration requires a username", at: marks["username"]) }
        if password.isEmpty { throw ConfigError("Uyuni SD configuration requires a password", at: marks["password"]) }
        try httpClientConfig.validate()
    }

    public var referencedFiles: [String] { httpClientConfig.referencedFiles }
    public mutating func resolvePaths(relativeTo directory: String) { httpClientConfig.resolvePaths(relativeTo: directory) }
}
