/// `ovhcloud_sd_configs` entry (Prometheus `discovery/ovhcloud`).
public struct OVHcloudSDConfig: DiscoveryConfig {
    public static var mechanism: String { "ovhcloud" }
    public static var goTypeName: String { "ovhcloud.plain" }

    public var endpoint = "ovh-eu"
    public var applicationKey = ""
    public var applicationSecret = Secret("")
    public var consumerKey = Secret("")
    public var refreshInterval = PromDuration.seconds(60)
    /// `vps` or `dedicated_server`.
    public var service = ""

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = m.allMarks
        endpoint = try m.field("endpoint", endpoint)
        applicationKey = try m.field("application_key", applicationKey)
        applicationSecret = try m.field("application_secret", applicationSecret)
        consumerKey = try m.field("consumer_key", consumerKey)
        refreshInterval = try m.field("refresh_interval", refreshInterval)
        service = try m.field("service", service)
        guard m.finish() else { return }
        if endpoint.isEmpty { throw ConfigError("endpoint can not be empty", at: marks["endpoint"]) }
        if applicationKey.isEmpty { throw ConfigError("application key can not be empty", at: marks["application_key"]) }
        if applicationSecret.isEmpty { throw ConfigError("application secret can not be empty", at: marks["application_secret"]) }
        if consumerKey.isEmpty { throw ConfigError("consumer key can not be empty", at: marks["consumer_key"]) }
        switch service {
        case "dedicated_server", "vps":
            break
        default:
            throw ConfigError("unknown service: \(service)", at: marks["service"])
        }
    }
}
