/// One service-discovery mechanism's config (`kubernetes_sd_configs` entries, `consul_sd_configs`, …).
///
/// Each mechanism is a model of its own; `DiscoveryRegistry.kinds` lists them so that scrape and
/// Alertmanager configs decode every `<name>_sd_configs` key without knowing the mechanisms.
public protocol DiscoveryConfig: YAMLDecodable {
    /// The key prefix in prometheus.yml: `kubernetes` for `kubernetes_sd_configs`.
    static var mechanism: String { get }
    /// Paths of files this config names (credentials, TLS, kubeconfig), for the existence checks of
    /// `check config`; empty when none.
    var referencedFiles: [String] { get }
    /// Makes every relative file path absolute against `directory` (Prometheus does this on load).
    mutating func resolvePaths(relativeTo directory: String)
}

extension DiscoveryConfig {
    public var referencedFiles: [String] { [] }
    public mutating func resolvePaths(relativeTo directory: String) {}
}

/// The `*_sd_configs` of one scrape job or Alertmanager config, decoded from the enclosing mapping.
public struct ServiceDiscoveryConfigs: InlineYAMLDecodable {
    public struct Entry: Sendable {
        /// The mechanism name (`kubernetes`).
        public var mechanism: String
        public var config: any DiscoveryConfig
        public var mark: Mark
    }

    /// In document order of their keys, then list order.
    public var entries: [Entry] = []

    public init() {}

    public init(inline m: inout MappingDecoder) throws(ConfigError) {
        for kind in DiscoveryRegistry.kinds {
            let key = kind.mechanism + "_sd_configs"
            guard let node = m.node(key), !node.isNull else { continue }
            guard case .sequence(let items) = node.content else {
                m.decoder.cannotUnmarshal(node, into: "[]*" + kind.goTypeName)
                continue
            }
            for item in items {
                if item.isNull {
                    throw ConfigError("empty or null section in \(key)", at: item.mark)
                }
                let config = try kind.init(yaml: item, decoder: m.decoder)
                entries.append(Entry(mechanism: kind.mechanism, config: config, mark: item.mark))
            }
        }
        entries.sort { $0.mark < $1.mark }
    }
}
