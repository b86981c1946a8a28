import GoCompat

/// `digitalocean_sd_configs` entry (Prometheus `discovery/digitalocean`).
public struct DigitalOceanSDConfig: DiscoveryConfig {
    public static var mechanism: String { "digitalocean" }
    public static var goTypeName: String { "digitalocean.plain" }

    /// What to discover: Droplets or managed databases.
    public enum Role: String, Sendable, YAMLDecodable {
        case droplets, databases
        public static var goTypeName: String { "digitalocean.Role" }
        public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
            guard let s = try decoder.stringOrTypeError(node) else { self = .droplets; return }
            guard let r = Role(rawValue: s) else {
                throw ConfigError("unknown DigitalOcean SD role \(goQuote(s))", at: node.mark)
            }
            self = r
        }
    }

    public var httpClientConfig = HTTPClientConfig()
    public var refreshInterval = PromDuration.seconds(60)
    public var port = 80
    /// `.droplets` by default; nil when explicitly null (Go's empty role).
    public var role: Role? = .droplets

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        httpClientConfig = try m.inline()
        refreshInterval = try m.field("refresh_interval", refreshInterval)
        port = try m.field("port", port)
        if let n = m.node("role") { role = n.isNull ? nil : try Role(yaml: n, decoder: decoder) }
        guard m.finish() else { return }
        try httpClientConfig.validate()
    }

    public var referencedFiles: [String] { httpClientConfig.referencedFiles }
    public mutating func resolvePaths(relativeTo directory: String) { httpClientConfig.resolvePaths(relativeTo: directory) }
}
