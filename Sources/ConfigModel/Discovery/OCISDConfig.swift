import GoCompat

/// `oci_sd_configs` entry (Prometheus `discovery/oci`, Oracle Cloud compute instances).
public struct OCISDConfig: DiscoveryConfig {
    public static var mechanism: String { "oci" }
    public static var goTypeName: String { "oci.plain" }

    /// `api_key` (default) or `instance_principal`.
    public var auth = "api_key"
    public var tenancy = ""
    public var user = ""
    public var fingerprint = ""
    public var keyFile = ""
    public var keyPassphrase = Secret("")
    public var keyPassphraseFile = ""
    public var region = ""
    public var compartments: [String] = []
    public var httpClientConfig = HTTPClientConfig()
    public var port = 80
    public var refreshInterval = PromDuration.seconds(60)

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = m.allMarks
        auth = try m.field("auth", auth)
        tenancy = try m.field("tenancy", tenancy)
        user = try m.field("user", user)
        fingerprint = try m.field("fingerprint", fingerprint)
        keyFile = try m.field("key_file", keyFile)
        keyPassphrase = try m.field("key_passphrase", keyPassphrase)
        keyPassphraseFile = try m.field("key_passphrase_file", keyPassphraseFile)
        region = try m.field("region", region)
        compartments = try m.field("compartments", compartments)
        httpClientConfig = try m.inline()
        port = try m.field("port", port)
        refreshInterval = try m.field("refresh_interval", refreshInterval)
        guard m.finish() else { return }

        if region.isEmpty { throw ConfigError("oci_sd: region is required", at: marks["region"]) }
        switch auth {
        case "api_key":
            if tenancy.isEmpty { throw ConfigError("oci_sd: api_key auth requires tenancy", at: marks.base) }
            if user.isEmpty { throw ConfigError("oci_sd: api_key auth requires user", at: marks.base) }
            if fingerprint.isEmpty { throw ConfigError("oci_sd: api_key auth requires fingerprint", at: marks.base) }
            if keyFile.isEmpty { throw ConfigError("oci_sd: api_key auth requires key_file", at: marks.base) }
            if !keyPassphrase.isEmpty && !keyPassphraseFile.isEmpty {
                throw ConfigError("oci_sd: at most one of key_passphrase and key_passphrase_file must be configured",
                                  at: marks.last(of: "key_passphrase", "key_passphrase_file"))
            }
        case "instance_principal":
            if !tenancy.isEmpty || !user.isEmpty || !fingerprint.isEmpty || !keyFile.isEmpty || !keyPassphrase.isEmpty || !keyPassphraseFile.isEmpty {
                throw ConfigError("oci_sd: instance_principal auth must not have tenancy, user, fingerprint, key_file, key_passphrase, or key_passphrase_file set", at: marks["auth"])
            }
        default:
            throw ConfigError("oci_sd: unknown auth method \(goQuote(auth)), expected \"api_key\" or \"instance_principal\"", at: marks["auth"])
        }
        for (i, c) in compartments.enumerated() where c.isEmpty {
            throw ConfigError("oci_sd: compartments[\(i)] must not be empty", at: marks["compartments"])
        }
        if refreshInterval <= .zero {
            throw ConfigError("oci_sd: refresh_interval must be positive, got \(refreshInterval)", at: marks["refresh_interval"])
        }
        try httpClientConfig.validate()
    }

    public var referencedFiles: [String] {
        httpClientConfig.referencedFiles + [keyFile, keyPassphraseFile].filter { !$0.isEmpty }
    }

    public mutating func resolvePaths(relativeTo directory: String) {
        httpClientConfig.resolvePaths(relativeTo: directory)
        keyFile = FilePath.joinDir(directory, keyFile)
        keyPassphraseFile = FilePath.joinDir(directory, keyPassphraseFile)
    }
}
