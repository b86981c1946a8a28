/// The two Zookeeper mechanisms of Prometheus `discovery/zookeeper` (`nerve_sd_configs`, `serverset_sd_configs`):
/// the same fields and rules, told apart by their name in keys and messages.
public struct ZookeeperSDConfig<Flavor: ZookeeperFlavor>: DiscoveryConfig {
    public static var mechanism: String { Flavor.mechanism }
    public static var goTypeName: String { "zookeeper.plain" }
    public static var goConfigTypeName: String { Flavor.goConfigTypeName }

    /// Zookeeper servers.
    public var servers: [String] = []
    /// Zookeeper paths, each starting with `/`.
    public var paths: [String] = []
    public var timeout = PromDuration.seconds(10)

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = m.allMarks
        servers = try m.field("servers", servers)
        paths = try m.field("paths", paths)
        timeout = try m.field("timeout", timeout)
        guard m.finish() else { return }
        let name = Flavor.mechanism
        if servers.isEmpty {
            throw ConfigError("\(name) SD config must contain at least one Zookeeper server", at: marks["servers"])
        }
        if paths.isEmpty {
            throw ConfigError("\(name) SD config must contain at least one path", at: marks["paths"])
        }
        for path in paths where !path.hasPrefix("/") {
            throw ConfigError("\(name) SD config paths must begin with '/': \(path)", at: marks["paths"])
        }
    }
}

/// Which Zookeeper mechanism a `ZookeeperSDConfig` is.
public protocol ZookeeperFlavor: Sendable {
    static var mechanism: String { get }
    static var goConfigTypeName: String { get }
}

public enum NerveFlavor: ZookeeperFlavor {
    public static var mechanism: String { "nerve" }
    public static var goConfigTypeName: String { "zookeeper.NerveSDConfig" }
}

public enum ServersetFlavor: ZookeeperFlavor {
    public static var mechanism: String { "serverset" }
    public static var goConfigTypeName: String { "zookeeper.ServersetSDConfig" }
}

/// `nerve_sd_configs` entry.
public typealias NerveSDConfig = ZookeeperSDConfig<NerveFlavor>
/// `serverset_sd_configs` entry.
public typealias ServersetSDConfig = ZookeeperSDConfig<ServersetFlavor>
