import GoCompat

/// `kubernetes_sd_configs` entry (Prometheus `discovery/kubernetes`).
public struct KubernetesSDConfig: DiscoveryConfig {
    public static var mechanism: String { "kubernetes" }
    public static var goTypeName: String { "kubernetes.plain" }

    /// The kinds of object Kubernetes SD discovers.
    public enum Role: String, Sendable, CaseIterable, YAMLDecodable {
        case node, pod, service, endpoints, endpointslice, ingress
        public static var goTypeName: String { "kubernetes.Role" }
        public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
            guard let s = try decoder.stringOrTypeError(node) else { self = .node; return }
            guard let r = Role(rawValue: s) else {
                throw ConfigError("unknown Kubernetes SD role \(goQuote(s))", at: node.mark)
            }
            self = r
        }
    }

    /// `namespaces`: which namespaces to watch.
    public struct NamespaceDiscovery: YAMLDecodable, Equatable {
        public var ownNamespace = false
        public var names: [String] = []
        public static var goTypeName: String { "kubernetes.plain" }
        public init() {}
        public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
            var m = decoder.mapping(node, goType: Self.goTypeName)
            ownNamespace = try m.field("own_namespace", false)
            names = try m.field("names", [])
            m.finish()
        }
    }

    /// One `selectors` entry; `role` is empty when not given.
    public struct Selector: YAMLDecodable, Equatable {
        public var role = ""
        public var label = ""
        public var field = ""
        public var mark = Mark(line: 0, column: 0)
        public static var goTypeName: String { "kubernetes.SelectorConfig" }
        public init(role: String, label: String = "", field: String = "") {
            self.role = role
            self.label = label
            self.field = field
        }
        public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
            mark = node.mark
            var m = decoder.mapping(node, goType: Self.goTypeName)
            if let n = m.node("role"), !n.isNull { role = try Role(yaml: n, decoder: decoder).rawValue }
            label = try m.field("label", "")
            field = try m.field("field", "")
            m.finish()
        }
    }

    /// `attach_metadata`: extra objects whose metadata is attached to targets.
    public struct AttachMetadata: YAMLDecodable, Equatable {
        public var node = false
        public var namespace = false
        public var deployment = false
        public var job = false
        public var cronjob = false
        public static var goTypeName: String { "kubernetes.AttachMetadataConfig" }
        public init() {}
        public init(yaml n: Node, decoder: YAMLDecoder) throws(ConfigError) {
            var m = decoder.mapping(n, goType: Self.goTypeName)
            node = try m.field("node", false)
            namespace = try m.field("namespace", false)
            deployment = try m.field("deployment", false)
            job = try m.field("job", false)
            cronjob = try m.field("cronjob", false)
            m.finish()
        }
    }

    /// `api_server`; nil when not given (Prometheus then uses the in-cluster config).
    public var apiServer: GoURL?
    public var role: Role?
    public var kubeconfigFile = ""
    public var httpClientConfig = HTTPClientConfig()
    public var namespaces = NamespaceDiscovery()
    public var selectors: [Selector] = []
    public var attachMetadata = AttachMetadata()

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = m.allMarks
        if let n = m.node("api_server"), !n.isNull { apiServer = try GoURL(yaml: n, decoder: decoder) }
        if let n = m.node("role"), !n.isNull { role = try Role(yaml: n, decoder: decoder) }
        kubeconfigFile = try m.field("kubeconfig_file", "")
        httpClientConfig = try m.inline()
        namespaces = try m.decode("namespaces", default: NamespaceDiscovery())
        selectors = try m.field("selectors", [])
        attachMetadata = try m.decode("attach_metadata", default: AttachMetadata())
        guard m.finish() else { return }

        guard let role else {
            throw ConfigError("role missing (one of: pod, service, endpoints, endpointslice, node, ingress)", at: marks["role"])
        }
        try httpClientConfig.validate()
        if apiServer != nil && !kubeconfigFile.isEmpty {
            throw ConfigError("cannot use 'kubeconfig_file' and 'api_server' simultaneously", at: marks.last(of: "kubeconfig_file", "api_server"))
        }
        if !kubeconfigFile.isEmpty && !httpClientConfig.isDefault {
            throw ConfigError("cannot use a custom HTTP client configuration together with 'kubeconfig_file'", at: marks["kubeconfig_file"])
        }
        if apiServer == nil && !httpClientConfig.isDefault {
            throw ConfigError("to use custom HTTP client configuration please provide the 'api_server' URL explicitly", at: marks.base)
        }
        if apiServer != nil && namespaces.ownNamespace {
            throw ConfigError("cannot use 'api_server' and 'namespaces.own_namespace' simultaneously", at: marks["namespaces"])
        }
        if !kubeconfigFile.isEmpty && namespaces.ownNamespace {
            throw ConfigError("cannot use 'kubeconfig_file' and 'namespaces.own_namespace' simultaneously", at: marks["namespaces"])
        }

        let allowed = Self.allowedSelectorRoles(for: role)
        var seen: Set<String> = []
        for s in selectors {
            if seen.contains(s.role) {
                throw ConfigError("duplicated selector role: \(s.role)", at: s.mark)
            }
            seen.insert(s.role)
            if !allowed.contains(s.role) {
                throw ConfigError("\(role.rawValue) role supports only \(allowed.joined(separator: ", ")) selectors", at: s.mark)
            }
            if let e = KubernetesSelectors.fieldSelectorError(s.field) { throw ConfigError(e, at: s.mark) }
            if let e = KubernetesSelectors.labelSelectorError(s.label) { throw ConfigError(e, at: s.mark) }
        }
    }

    /// The selector roles each discovery role accepts, in Prometheus's order.
    public static func allowedSelectorRoles(for role: Role) -> [String] {
        switch role {
        case .pod: return ["pod", "node"]
        case .service: return ["service"]
        case .endpointslice: return ["pod", "service", "endpointslice"]
        case .endpoints: return ["pod", "service", "endpoints"]
        case .node: return ["node"]
        case .ingress: return ["ingress"]
        }
    }

    public var referencedFiles: [String] {
        httpClientConfig.referencedFiles + (kubeconfigFile.isEmpty ? [] : [kubeconfigFile])
    }

    public mutating func resolvePaths(relativeTo directory: String) {
        httpClientConfig.resolvePaths(relativeTo: directory)
        kubeconfigFile = FilePath.joinDir(directory, kubeconfigFile)
    }
}
