/// `dns_sd_configs` entry (Prometheus `discovery/dns`).
public struct DNSSDConfig: DiscoveryConfig {
    public static var mechanism: String { "dns" }
    public static var goTypeName: String { "dns.plain" }

    public var names: [String] = []
    public var refreshInterval = PromDuration.seconds(30)
    /// As written (`SRV` by default); compared case-insensitively.
    public var type = "SRV"
    /// Ignored for SRV records; required for the others.
    public var port = 0

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = m.allMarks
        names = try m.field("names", names)
        refreshInterval = try m.field("refresh_interval", refreshInterval)
        type = try m.field("type", type)
        port = try m.field("port", port)
        guard m.finish() else { return }
        if names.isEmpty {
            throw ConfigError("DNS-SD config must contain at least one SRV record name", at: marks["names"])
        }
        switch type.uppercased() {
        case "SRV":
            break
        case "A", "AAAA", "MX", "NS":
            if port == 0 {
                throw ConfigError("a port is required in DNS-SD configs for all record types except SRV", at: marks.first(of: "port", "type"))
            }
        default:
            throw ConfigError("invalid DNS-SD records type \(type)", at: marks["type"])
        }
    }
}
