/// `lightsail_sd_configs` entry (Prometheus `discovery/aws`, Lightsail instances).
///
/// As for EC2, an empty region is resolved when discovery starts, not on load.
public struct LightsailSDConfig: DiscoveryConfig {
    public static var mechanism: String { "lightsail" }
    public static var goTypeName: String { "aws.plain" }
    public static var goConfigTypeName: String { "aws.LightsailSDConfig" }

    public var endpoint = ""
    public var region = ""
    public var accessKey = ""
    public var secretKey = Secret("")
    public var profile = ""
    public var roleARN = ""
    public var externalID = ""
    public var refreshInterval = PromDuration.seconds(60)
    public var port = 80
    public var httpClientConfig = HTTPClientConfig()

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        endpoint = try m.field("endpoint", endpoint)
        region = try m.field("region", region)
        accessKey = try m.field("access_key", accessKey)
        secretKey = try m.field("secret_key", secretKey)
        profile = try m.field("profile", profile)
        roleARN = try m.field("role_arn", roleARN)
        externalID = try m.field("external_id", externalID)
        refreshInterval = try m.field("refresh_interval", refreshInterval)
        port = try m.field("port", port)
        httpClientConfig = try m.inline()
        guard m.finish() else { return }
        try httpClientConfig.validate()
    }

    public var referencedFiles: [String] { httpClientConfig.referencedFiles }
    public mutating func resolvePaths(relativeTo directory: String) { httpClientConfig.resolvePaths(relativeTo: directory) }
}
