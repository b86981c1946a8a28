/// `ec2_sd_configs` entry (Prometheus `discovery/aws`, EC2 instances).
///
/// An empty region is resolved when discovery starts (AWS config, environment or instance metadata), not
/// on load, so `check config` accepts it as Prometheus 3 does.
public struct EC2SDConfig: DiscoveryConfig {
    public static var mechanism: String { "ec2" }
    public static var goTypeName: String { "aws.plain" }
    public static var goConfigTypeName: String { "aws.EC2SDConfig" }

    public var endpoint = ""
    public var region = ""
    public var accessKey = ""
    public var secretKey = Secret("")
    public var profile = ""
    public var roleARN = ""
    public var externalID = ""
    public var refreshInterval = PromDuration.seconds(60)
    public var port = 80
    public var filters: [SDFilter] = []
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
        filters = try SDFilter.decodeList(&m, key: "filters", goType: "aws.EC2Filter", pointers: true) ?? []
        httpClientConfig = try m.inline()
        guard m.finish() else { return }
        for f in filters where f.values.isEmpty {
            throw ConfigError("EC2 SD configuration filter values cannot be empty", at: f.mark)
        }
        try httpClientConfig.validate()
    }

    public var referencedFiles: [String] { httpClientConfig.referencedFiles }
    public mutating func resolvePaths(relativeTo directory: String) { httpClientConfig.resolvePaths(relativeTo: directory) }
}
