import GoCompat

/// `stackit_sd_configs` entry (Prometheus `discovery/stackit`).
public struct STACKITSDConfig: DiscoveryConfig {
    public static var mechanism: String { "stackit" }
    public static var goTypeName: String { "stackit.plain" }

    public var httpClientConfig = HTTPClientConfig()
    public var refreshInterval = PromDuration.seconds(60)
    public var port = 80
    public var region = "eu01"
    public var endpoint = ""
    public var project = ""
    public var serviceAccountKey = ""
    public var privateKey = ""
    public var serviceAccountKeyPath = ""
    public var privateKeyPath = ""
    public var credentialsFilePath = ""

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = m.allMarks
        httpClientConfig = try m.inline()
        refreshInterval = try m.field("refresh_interval", refreshInterval)
        port = try m.field("port", port)
        region = try m.field("region", region)
        endpoint = try m.field("endpoint", endpoint)
        project = try m.field("project", project)
        serviceAccountKey = try m.field("service_account_key", serviceAccountKey)
        privateKey = try m.field("private_key", privateKey)
        serviceAccountKeyPath = try m.field("service_account_key_path", serviceAccountKeyPath)
        privateKeyPath = try m.field("private_key_path", privateKeyPath)
        credentialsFilePath = try m.field("credentials_file_path", credentialsFilePath)
        guard m.finish() else { return }
        if endpoint.isEmpty && region.isEmpty {
            throw ConfigError("endpoint or region missing", at: marks.first(of: "endpoint", "region"))
        }
        if case .failure(let e) = GoURL.parse(endpoint) {
            throw ConfigError("invalid endpoint \(goQuote(endpoint)): \(e.message)", at: marks["endpoint"])
        }
        try httpClientConfig.validate()
    }

    /// The key and credential files are read as given (Prometheus does not resolve them against the config's directory).
    public var referencedFiles: [String] {
        httpClientConfig.referencedFiles + [serviceAccountKeyPath, privateKeyPath, credentialsFilePath].filter { !$0.isEmpty }
    }

    public mutating func resolvePaths(relativeTo directory: String) { httpClientConfig.resolvePaths(relativeTo: directory) }
}
