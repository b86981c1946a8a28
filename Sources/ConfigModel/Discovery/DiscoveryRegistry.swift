/// Every service-discovery mechanism prometheus.yml may name, in Prometheus's registration order.
public enum DiscoveryRegistry {
    public static let kinds: [any DiscoveryConfig.Type] = [FileSDConfig.self]
}
