/// `marathon_sd_configs` entry (Prometheus `discovery/marathon`).
public struct MarathonSDConfig: DiscoveryConfig {
    public static var mechanism: String { "marathon" }
    public static var goTypeName: String { "marathon.plain" }

    public var servers: [String] = []
    public var refreshInterval = PromDuration.seconds(30)
    public var authToken = Secret("")
    public var authTokenFile = ""
    public var httpClientConfig = HTTPClientConfig()

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = m.allMarks
        servers = try m.field("servers", servers)
        refreshInterval = try m.field("refresh_interval", refreshInterval)
        authToken = try m.field("auth_token", authToken)
        authTokenFile = try m.field("auth_token_file", authTokenFile)
        httpClientConfig = try m.inline()
        guard m.finish() else { return }

        let h = httpClientConfig
        let hasToken = !authToken.isEmpty || !authTokenFile.isEmpty
        if servers.isEmpty {
            throw ConfigError("marathon_sd: must contain at least one Marathon server", at: marks["servers"])
        }
        if !authToken.isEmpty && !authTokenFile.isEmpty {
            throw ConfigError("marathon_sd: at most one of auth_token & auth_token_file must be configured",
                              at: marks.last(of: "auth_token", "auth_token_file"))
        }
        if h.basicAuth != nil && hasToken {
            throw ConfigError("marathon_sd: at most one of basic_auth, auth_token & auth_token_file must be configured",
                              at: marks.last(of: "basic_auth", "auth_token", "auth_token_file"))
        }
        if (!h.bearerToken.isEmpty || !h.bearerTokenFile.isEmpty) && hasToken {
            throw ConfigError("marathon_sd: at most one of bearer_token, bearer_token_file, auth_token & auth_token_file must be configured",
                              at: marks.last(of: "bearer_token", "bearer_token_file", "auth_token", "auth_token_file"))
        }
        if h.authorization != nil && hasToken {
            throw ConfigError("marathon_sd: at most one of auth_token, auth_token_file & authorization must be configured",
                              at: marks.last(of: "authorization", "auth_token", "auth_token_file"))
        }
        try httpClientConfig.validate()
    }

    public var referencedFiles: [String] {
        httpClientConfig.referencedFiles + (authTokenFile.isEmpty ? [] : [authTokenFile])
    }

    public mutating func resolvePaths(relativeTo directory: String) {
        httpClientConfig.resolvePaths(relativeTo: directory)
        authTokenFile = FilePath.joinDir(directory, authTokenFile)
    }
}
