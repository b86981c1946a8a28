/// `scaleway_sd_configs` entry (Prometheus `discovery/scaleway`).
public struct ScalewaySDConfig: DiscoveryConfig {
    public static var mechanism: String { "scaleway" }
    public static var goTypeName: String { "scaleway.plain" }

    /// Instances or bare-metal servers.
    public enum Role: String, Sendable, YAMLDecodable {
        case instance, baremetal
        public static var goTypeName: String { "scaleway.role" }
        public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
            let s = try String(yaml: node, decoder: decoder)
            guard let r = Role(rawValue: s) else { throw ConfigError("unknown role \(goQuote(s))", at: node.mark) }
            self = r
        }
    }

    public var projectID = ""
    public var apiURL = "https://api.scaleway.com"
    public var zone = "fr-par-1"
    public var accessKey = ""
    public var secretKey = Secret("")
    public var secretKeyFile = ""
    public var nameFilter = ""
    public var tagsFilter: [String] = []
    public var httpClientConfig = HTTPClientConfig()
    public var refreshInterval = PromDuration.seconds(60)
    public var port = 80
    public var role: Role?

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = m.allMarks
        projectID = try m.field("project_id", projectID)
        apiURL = try m.field("api_url", apiURL)
        zone = try m.field("zone", zone)
        accessKey = try m.field("access_key", accessKey)
        secretKey = try m.field("secret_key", secretKey)
        secretKeyFile = try m.field("secret_key_file", secretKeyFile)
        nameFilter = try m.field("name_filter", nameFilter)
        tagsFilter = try m.field("tags_filter", tagsFilter)
        httpClientConfig = try m.inline()
        refreshInterval = try m.field("refresh_interval", refreshInterval)
        port = try m.field("port", port)
        if let n = m.node("role"), !n.isNull { role = try Role(yaml: n, decoder: decoder) }
        guard m.finish() else { return }
        if role == nil { throw ConfigError("role missing (one of: instance, baremetal)", at: marks["role"]) }
        if projectID.isEmpty { throw ConfigError("project_id is mandatory", at: marks["project_id"]) }
        if secretKey.isEmpty && secretKeyFile.isEmpty {
            throw ConfigError("one of secret_key & secret_key_file must be configured", at: marks.base)
        }
        if !secretKey.isEmpty && !secretKeyFile.isEmpty {
            throw ConfigError("at most one of secret_key & secret_key_file must be configured", at: marks.last(of: "secret_key", "secret_key_file"))
        }
        if accessKey.isEmpty { throw ConfigError("access_key is mandatory", at: marks["access_key"]) }
        try httpClientConfig.validate()
    }

    public var referencedFiles: [String] {
        httpClientConfig.referencedFiles + (secretKeyFile.isEmpty ? [] : [secretKeyFile])
    }

    public mutating func resolvePaths(relativeTo directory: String) {
        secretKeyFile = FilePath.joinDir(directory, secretKeyFile)
        httpClientConfig.resolvePaths(relativeTo: directory)
    }
}
