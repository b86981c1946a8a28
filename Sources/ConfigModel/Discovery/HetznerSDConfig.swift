import GoCompat

/// `hetzner_sd_configs` entry (Prometheus `discovery/hetzner`).
public struct HetznerSDConfig: DiscoveryConfig {
    public static var mechanism: String { "hetzner" }
    public static var goTypeName: String { "hetzner.plain" }

    /// Hetzner Robot (dedicated servers) or Hetzner Cloud.
    public enum Role: String, Sendable, YAMLDecodable {
        case robot, hcloud
        public static var goTypeName: String { "hetzner.Role" }
        public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
            guard let s = try decoder.stringOrTypeError(node) else { self = .robot; return }
            guard let r = Role(rawValue: s) else { throw ConfigError("unknown role \(goQuote(s))", at: node.mark) }
            self = r
        }
    }

    public var httpClientConfig = HTTPClientConfig()
    public var refreshInterval = PromDuration.seconds(60)
    public var port = 80
    public var role: Role?
    public var labelSelector = ""

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = m.allMarks
        httpClientConfig = try m.inline()
        refreshInterval = try m.field("refresh_interval", refreshInterval)
        port = try m.field("port", port)
        if let n = m.node("role"), !n.isNull { role = try Role(yaml: n, decoder: decoder) }
        labelSelector = try m.field("label_selector", labelSelector)
        guard m.finish() else { return }
        if role == nil { throw ConfigError("role missing (one of: robot, hcloud)", at: marks["role"]) }
        try httpClientConfig.validate()
    }

    public var referencedFiles: [String] { httpClientConfig.referencedFiles }
    public mutating func resolvePaths(relativeTo directory: String) { httpClientConfig.resolvePaths(relativeTo: directory) }
}
