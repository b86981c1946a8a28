import GoCompat

/// `openstack_sd_configs` entry (Prometheus `discovery/openstack`).
public struct OpenStackSDConfig: DiscoveryConfig {
    public static var mechanism: String { "openstack" }
    public static var goTypeName: String { "openstack.plain" }

    /// What to discover: hypervisors, instances or load balancers.
    public enum Role: String, Sendable, YAMLDecodable {
        case hypervisor, instance, loadbalancer
        public static var goTypeName: String { "openstack.Role" }
        public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
            guard let s = try decoder.stringOrTypeError(node) else { self = .hypervisor; return }
            guard let r = Role(rawValue: s) else { throw ConfigError("unknown OpenStack SD role \(goQuote(s))", at: node.mark) }
            self = r
        }
    }

    public var identityEndpoint = ""
    public var username = ""
    public var userID = ""
    public var password = Secret("")
    public var projectName = ""
    public var projectID = ""
    public var domainName = ""
    public var domainID = ""
    public var applicationCredentialName = ""
    public var applicationCredentialID = ""
    public var applicationCredentialSecret = Secret("")
    public var role: Role?
    public var region = ""
    public var refreshInterval = PromDuration.seconds(60)
    public var port = 80
    public var allTenants = false
    public var tlsConfig = TLSConfig()
    public var availability = "public"

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = m.allMarks
        identityEndpoint = try m.field("identity_endpoint", identityEndpoint)
        username = try m.field("username", username)
        userID = try m.field("userid", userID)
        password = try m.field("password", password)
        projectName = try m.field("project_name", projectName)
        projectID = try m.field("project_id", projectID)
        domainName = try m.field("domain_name", domainName)
        domainID = try m.field("domain_id", domainID)
        applicationCredentialName = try m.field("application_credential_name", applicationCredentialName)
        applicationCredentialID = try m.field("application_credential_id", applicationCredentialID)
        applicationCredentialSecret = try m.field("application_credential_secret", applicationCredentialSecret)
        if let n = m.node("role"), !n.isNull { role = try Role(yaml: n, decoder: decoder) }
        region = try m.field("region", region)
        refreshInterval = try m.field("refresh_interval", refreshInterval)
        port = try m.field("port", port)
        allTenants = try m.field("all_tenants", allTenants)
        tlsConfig = try m.decode("tls_config", default: tlsConfig)
        availability = try m.field("availability", availability)
        guard m.finish() else { return }
        switch availability {
        case "public", "internal", "admin":
            break
        default:
            throw ConfigError("unknown availability \(availability), must be one of admin, internal or public", at: marks["availability"])
        }
        if role == nil { throw ConfigError("role missing (one of: instance, hypervisor, loadbalancer)", at: marks["role"]) }
        if region.isEmpty { throw ConfigError("openstack SD configuration requires a region", at: marks["region"]) }
    }

    public var referencedFiles: [String] { tlsConfig.referencedFiles }
    public mutating func resolvePaths(relativeTo directory: String) { tlsConfig.resolvePaths(relativeTo: directory) }
}
