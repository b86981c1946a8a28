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
    /// The Go type of one list element as yaml.v2 names it in `cannot unmarshal … into []*T` errors
    /// (`kubernetes.SDConfig`); by default `goTypeName` with `plain` replaced by `SDConfig`.
    static var goConfigTypeName: String { get }
}

extension DiscoveryConfig {
    public var referencedFiles: [String] { [] }
    public mutating func resolvePaths(relativeTo directory: String) {}
    public static var goConfigTypeName: String {
        let name = goTypeName
        guard let dot = name.lastIndex(of: ".") else { return name }
        return String(name[...dot]) + "SDConfig"
    }
}

/// The `*_sd_configs` of one scrape job or Alertmanager config, decoded from the enclosing mapping.
public struct ServiceDiscoveryConfigs: InlineYAMLDecodable {
    public struct Entry: Sendable {
        /// The mechanism name (`kubernetes`).
        public var mechanism: String
        public var config: any DiscoveryConfig
        public var mark: Mark
    }

    /// By mechanism in registry order, then in list order (the order Prometheus keeps them in).
    public var entries: [Entry] = []

    public init() {}

    /// Decodes every `<name>_sd_configs` key of the enclosing mapping, in document order as yaml.v2 does;
    /// then, as Prometheus's `readConfigs` does, rejects null list items (in registry order).
    public init(inline m: inout MappingDecoder) throws(ConfigError) {
        let errorsAtStart = m.decoder.typeErrorCount
        let kindByKey = DiscoveryRegistry.kindByKey
        var seen: Set<String> = []
        var nullItems: [(order: Int, key: String, mark: Mark)] = []
        for key in m.keys where !seen.contains(key) {
            guard let kind = kindByKey[key] else { continue }
            seen.insert(key)
            guard let node = m.node(key), !node.isNull else { continue }
            guard case .sequence(let items) = node.content else {
                m.decoder.cannotUnmarshal(node, into: "[]*" + kind.goConfigTypeName)
                continue
            }
            let order = DiscoveryRegistry.rank[kind.mechanism] ?? 0
            for item in items {
                if item.isNull {
                    nullItems.append((order, key, item.mark))
                    continue
                }
                let config = try kind.init(yaml: item, decoder: m.decoder)
                entries.append(Entry(mechanism: kind.mechanism, config: config, mark: item.mark))
            }
        }
        // Go checks for null items only once the whole mapping decoded without type errors.
        if m.decoder.typeErrorCount == errorsAtStart,
           let first = nullItems.min(by: { $0.order != $1.order ? $0.order < $1.order : $0.mark < $1.mark }) {
            throw ConfigError("empty or null section in \(first.key)", at: first.mark)
        }
        // Prometheus lists the configs by mechanism (registry order), then in list order.
        guard entries.count > 1 else { return }
        let rank = DiscoveryRegistry.rank
        entries.sort { a, b in
            let ra = rank[a.mechanism] ?? 0, rb = rank[b.mechanism] ?? 0
            return ra != rb ? ra < rb : a.mark < b.mark
        }
    }
}
