/// `outscale_sd_configs` entry (Prometheus `discovery/outscale`, OUTSCALE VMs).
public struct OutscaleSDConfig: DiscoveryConfig {
    public static var mechanism: String { "outscale" }
    public static var goTypeName: String { "outscale.plain" }

    /// `https://api.<region>.outscale.com/api/v1` when not given.
    public var endpoint = ""
    public var region = "eu-west-2"
    public var accessKey = ""
    public var secretKey = Secret("")
    public var secretKeyFile = ""
    public var refreshInterval = PromDuration.seconds(60)
    public var port = 80
    public var httpClientConfig = HTTPClientConfig()

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = m.allMarks
        endpoint = try m.field("endpoint", endpoint)
        region = try m.field("region", region)
        accessKey = try m.field("access_key", accessKey)
        secretKey = try m.field("secret_key", secretKey)
        secretKeyFile = try m.field("secret_key_file", secretKeyFile)
        refreshInterval = try m.field("refresh_interval", refreshInterval)
        port = try m.field("port", port)
        httpClientConfig = try m.inline()
        guard m.finish() else { return }
        if region.isEmpty { throw ConfigError("outscale SD configuration requires a region", at: marks["region"]) }
        if accessKey.isEmpty { throw ConfigError("outscale SD configuration requires access_key", at: marks["access_key"]) }
        if secretKey.isEmpty && secretKeyFile.isEmpty {
            throw ConfigError("one of secret_key & secret_key_file must be configured", at: marks.base)
        }
        if !secretKey.isEmpty && !secretKeyFile.isEmpty {
            throw ConfigError("at most one of secret_key & secret_key_file must be configured", at: marks.last(of: "secret_key", "secret_key_file"))
        }
        if endpoint.isEmpty { endpoint = "https://api." + region + ".outscale.com/api/v1" }
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
