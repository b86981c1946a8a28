import GoCompat

/// `scaleway_sd_configs` entry (Prometheus `discovery/scaleway`).
public struct ScalewaySDConfig: DiscoveryConfig {
    public static var mechanism: String { "scaleway" }
    public static var goTypeName: String { "scaleway.plain" }

    /// Instances or bare-metal servers.
    public enum Role: String, Sendable, YAMLDecodable {
        case instance, baremetal
        public static var goTypeName: String { "scaleway.role" }
        public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
            guard let s = try decoder.stringOrTypeError(node) else { self = .instance; return }
            guard let r = Role(rawValue: s) else { throw ConfigError("unknown role \(goQuote(s))", at: node.mark) }
            self = r
        }
    }

    public var projectID = ""
    public var apiURL = "https://api.scaleway.com"
    public var zone = "fr-par-1"
    public var accessKey = ""
    public var secretKey = Secret("")
    public var secretKeyFile = ""
    public var nameFilter = ""
    public var tagsFilter: [String] = []
    public var httpClientConfig = HTTPClientConfig()
    public var refreshInterval = PromDuration.seconds(60)
    public var port = 80
    public var role: Role?

    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let marks = m.allMarks
        projectID = try m.field("project_id", projectID)
        apiURL = try m.field("api_url", apiURL)
        zone = try m.field("zone", zone)
        accessKey = try m.field("access_key", accessKey)
        secretKey = try m.field("secret_key", secretKey)
        secretKeyFile = try m.field("secret_key_file", secretKeyFile)
        nameFilter = try m.field("name_filter", nameFilter)
        tagsFilter = try m.field("tags_filter", tagsFilter)
        httpClientConfig = try m.inline()
        refreshInterval = try m.field("refresh_interval", refreshInterval)
        port = try m.field("port", port)
        if let n = m.node("role"), !n.isNull { role = try Role(yaml: n, decoder: decoder) }
        guard m.finish() else { return }
        if role == nil { throw ConfigError("role missing (one of: instance, baremetal)", at: marks["role"]) }
        if projectID.isEmpty { throw ConfigError("project_id is mandatory", at: marks["project_id"]) }
        if secretKey.isEmpty && secretKeyFile.isEmpty {
            throw ConfigError("one of secret_key & secret_key_file must be configured", at: marks.base)
        }
        if !secretKey.isEmpty && !secretKeyFile.isEmpty {
            throw ConfigError("at most one of secret_key & secret_key_file must be configured", at: marks.last(of: "secret_key", "secret_key_file"))
        }
        if accessKey.isEmpty { throw ConfigError("access_key is mandatory", at: marks["access_key"]) }
        if let e = sdkClientError() { throw ConfigError("scaleway-sdk-go: " + e, at: marks.base) }
        try httpClientConfig.validate()
    }

    /// The zones the Scaleway SDK knows, as its error message lists them.
    public static let knownZones = ["fr-par-1", "fr-par-2", "fr-par-3", "nl-ams-1", "nl-ams-2", "nl-ams-3",
                                    "pl-waw-1", "pl-waw-2", "pl-waw-3", "it-mil-1"]

    /// The checks the Scaleway SDK makes when Prometheus builds a client from this config on load
    /// (a secret read from a file stands in as a well-formed UUID).
    private func sdkClientError() -> String? {
        func all(_ b: ArraySlice<UInt8>, _ ok: (UInt8) -> Bool) -> Bool { b.allSatisfy(ok) }
        func isHex(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46) }
        func isUUID(_ s: String) -> Bool {
            let b = Array(s.utf8)
            guard b.count == 36 else { return false }
            for (i, c) in b.enumerated() {
                if [8, 13, 18, 23].contains(i) { if c != 0x2D { return false } } else if !isHex(c) { return false }
            }
            return true
        }
        let ak = Array(accessKey.utf8)
        if !(ak.count == 20 && ak.starts(with: Array("SCW".utf8))
             && all(ak[3...], { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) })) {
            return "invalid access key format '\(accessKey)', expected SCWXXXXXXXXXXXXXXXXX format"
        }
        let secret = secretKeyFile.isEmpty ? secretKey.exposedValue : "00000000-0000-0000-0000-000000000000"
        if secret.isEmpty { return "secret key cannot be empty" }
        if !isUUID(secret) {
            return "invalid secret key format '\(secret)', expected a UUID: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
        }
        if !isUUID(projectID) {
            return "invalid project ID format '\(projectID)', expected a UUID: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
        }
        if zone.isEmpty { return "default zone cannot be empty" }
        let z = Array(zone.utf8)
        func lower(_ c: UInt8) -> Bool { c >= 0x61 && c <= 0x7A }
        if !(z.count == 8 && all(z[0..<2], lower) && z[2] == 0x2D && all(z[3..<6], lower) && z[6] == 0x2D && z[7] >= 0x31 && z[7] <= 0x39) {
            return "invalid default zone format '\(zone)', available zones are: " + Self.knownZones.joined(separator: ", ")
        }
        if case .failure = GoURL.parse(apiURL) { return "invalid url \(apiURL)" }
        return nil
    }

    public var referencedFiles: [String] {
        httpClientConfig.referencedFiles + (secretKeyFile.isEmpty ? [] : [secretKeyFile])
    }

    public mutating func resolvePaths(relativeTo directory: String) {
        secretKeyFile = FilePath.joinDir(directory, secretKeyFile)
        httpClientConfig.resolvePaths(relativeTo: directory)
    }
}
