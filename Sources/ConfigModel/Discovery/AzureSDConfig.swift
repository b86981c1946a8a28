import GoCompat

/// `azure_sd_configs` entry (Prometheus `discovery/azure`).
public struct AzureSDConfig: DiscoveryConfig {
    public static var mechanism: String { "azure" }
    public static var goTypeName: String { "azure.plain" }

    /// The authentication methods Prometheus accepts, in the order its error message lists them.
    public static let authenticationMethods = ["OAuth", "ManagedIdentity", "SDK", "WorkloadIdentity"]

    public var environment = "AzurePublicCloud"
    public var port = 80
    public var subscriptionID = ""
    public var tenantID = ""
    public var clientID = ""
    public var clientSecret = Secret("")
    public var refreshInterval = PromDuration.minutes(5)
    public var authenticationMethod = "OAuth"
    public var resourceGroup = ""
    public var httpClientConfig = HTTPClientConfig()

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = m.allMarks
        environment = try m.field("environment", environment)
        port = try m.field("port", port)
        subscriptionID = try m.field("subscription_id", subscriptionID)
        tenantID = try m.field("tenant_id", tenantID)
        clientID = try m.field("client_id", clientID)
        clientSecret = try m.field("client_secret", clientSecret)
        refreshInterval = try m.field("refresh_interval", refreshInterval)
        authenticationMethod = try m.field("authentication_method", authenticationMethod)
        resourceGroup = try m.field("resource_group", resourceGroup)
        httpClientConfig = try m.inline()
        guard m.finish() else { return }

        func require(_ value: String, _ name: String) throws(ConfigError) {
            if value.isEmpty { throw ConfigError("azure SD configuration requires a \(name)", at: marks[name]) }
        }
        try require(subscriptionID, "subscription_id")
        if authenticationMethod == "OAuth" {
            try require(tenantID, "tenant_id")
            try require(clientID, "client_id")
            try require(clientSecret.exposedValue, "client_secret")
        }
        if !Self.authenticationMethods.contains(authenticationMethod) {
            let m = Self.authenticationMethods.map(goQuote)
            throw ConfigError("unknown authentication_type \(goQuote(authenticationMethod)). Supported types are \(m[0]), \(m[1]), \(m[2]) or \(m[3])",
                              at: marks["authentication_method"])
        }
        try httpClientConfig.validate()
    }

    public var referencedFiles: [String] { httpClientConfig.referencedFiles }
    public mutating func resolvePaths(relativeTo directory: String) { httpClientConfig.resolvePaths(relativeTo: directory) }
}
