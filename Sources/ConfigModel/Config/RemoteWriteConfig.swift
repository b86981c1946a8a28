/// Headers Prometheus's remote clients set themselves (lower case); configs may not set them.
let remoteReservedHeaders: Set<String> = [
    "host", "content-encoding", "content-length", "content-type", "user-agent", "connection", "keep-alive",
    "proxy-authenticate", "proxy-authorization", "www-authenticate", "accept-encoding",
    "x-prometheus-remote-write-version", "x-prometheus-remote-read-version",
    "x-amz-date", "x-amz-security-token", "x-amz-content-sha256",
]

/// `validateHeaders` of remote write/read (and, with `authorizationMessage`, of tracing).
func validateRemoteHeaders(_ headers: OrderedStringMap<String>, authorizationMessage: String) throws(ConfigError) {
    for h in headers {
        if h.key.lowercased() == "authorization" { throw ConfigError(authorizationMessage, at: h.keyMark) }
        if remoteReservedHeaders.contains(h.key.lowercased()) {
            throw ConfigError("\(h.key) is a reserved header. It must not be changed", at: h.keyMark)
        }
    }
}

/// `queue_config` of a remote write.
public struct QueueConfig: YAMLDecodable, Sendable {
    public var capacity = 10000
    public var maxShards = 50
    public var minShards = 1
    public var maxSamplesPerSend = 2000
    public var batchSendDeadline = PromDuration.seconds(5)
    public var minBackoff = PromDuration(milliseconds: 30)
    public var maxBackoff = PromDuration.seconds(5)
    public var retryOnRateLimit = false
    public var sampleAgeLimit = PromDuration.zero
    public var marks = FieldMarks()
    public static var goTypeName: String { "config.QueueConfig" }

    public init() {}
    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        marks = FieldMarks(m, keys: m.keys)
        let d = QueueConfig()
        capacity = try m.decode("capacity", default: d.capacity)
        maxShards = try m.decode("max_shards", default: d.maxShards)
        minShards = try m.decode("min_shards", default: d.minShards)
        maxSamplesPerSend = try m.decode("max_samples_per_send", default: d.maxSamplesPerSend)
        batchSendDeadline = try m.decode("batch_send_deadline", default: d.batchSendDeadline)
        minBackoff = try m.decode("min_backoff", default: d.minBackoff)
        maxBackoff = try m.decode("max_backoff", default: d.maxBackoff)
        retryOnRateLimit = try m.decode("retry_on_http_429", default: false)
        sampleAgeLimit = try m.decode("sample_age_limit", default: .zero)
        m.finish()
    }

    /// The queue checks of a remote write config.
    public func validate(at mark: Mark?) throws(ConfigError) {
        if maxSamplesPerSend <= 0 {
            throw ConfigError("remote write queue max_samples_per_send must be positive", at: marks.byKey["max_samples_per_send"] ?? mark)
        }
        if maxShards <= 0 { throw ConfigError("remote write queue max_shards must be positive", at: marks.byKey["max_shards"] ?? mark) }
        if minShards <= 0 { throw ConfigError("remote write queue min_shards must be positive", at: marks.byKey["min_shards"] ?? mark) }
        if capacity <= 0 { throw ConfigError("remote write queue capacity must be positive", at: marks.byKey["capacity"] ?? mark) }
        if minShards > maxShards {
            throw ConfigError("remote write queue min_shards must not be greater than max_shards", at: marks.byKey["min_shards"] ?? mark)
        }
        if maxBackoff < minBackoff {
            throw ConfigError("remote write queue max_backoff must not be less than min_backoff", at: marks.byKey["max_backoff"] ?? mark)
        }
    }
}

/// `metadata_config` of a remote write.
public struct MetadataConfig: YAMLDecodable, Sendable {
    public var send = true
    public var sendInterval = PromDuration.minutes(1)
    public var maxSamplesPerSend = 2000
    public static var goTypeName: String { "config.MetadataConfig" }
    public init() {}
    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        send = try m.decode("send", default: true)
        sendInterval = try m.decode("send_interval", default: .minutes(1))
        maxSamplesPerSend = try m.decode("max_samples_per_send", default: 2000)
        m.finish()
    }
}

/// Azure AD authentication of remote writes (`azuread`).
public struct AzureADConfig: YAMLDecodable, Sendable {
    public struct Identity: YAMLDecodable, Sendable {
        public var clientID = ""
        public var clientSecret = Secret("")
        public var tenantID = ""
        public var tokenFilePath = ""
        public var certificatePath = ""
        public var certificateKeyPath = ""
        public var certificatePassword = Secret("")
        public var sendCertificateChain = false
        public static var goTypeName: String { "azuread.Identity" }
        public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
            self.init(yaml: node, decoder: decoder, goType: Self.goTypeName, keys: ["client_id"])
        }
        init(yaml node: Node, decoder: YAMLDecoder, goType: String, keys: Set<String>) {
            var m = decoder.mapping(node, goType: goType)
            func str(_ k: String) -> String {
                guard keys.contains(k) else { return "" }
                return (try? m.decode(k, default: "")) ?? ""
            }
            clientID = str("client_id")
            if keys.contains("client_secret") { clientSecret = (try? m.decode("client_secret", default: Secret(""))) ?? Secret("") }
            tenantID = str("tenant_id")
            tokenFilePath = str("token_file_path")
            certificatePath = str("certificate_path")
            certificateKeyPath = str("certificate_key_path")
            if keys.contains("certificate_password") {
                certificatePassword = (try? m.decode("certificate_password", default: Secret(""))) ?? Secret("")
            }
            if keys.contains("send_certificate_chain") { sendCertificateChain = (try? m.decode("send_certificate_chain", default: false)) ?? false }
            m.finish()
        }
    }

    public var cloud = "AzurePublic"
    public var managedIdentity: Identity?
    public var workloadIdentity: Identity?
    public var oauth: Identity?
    public var certificate: Identity?
    public var sdk: Identity?
    public var scope = ""
    public static var goTypeName: String { "azuread.plain" }

    static func isUUID(_ s: String) -> Bool {
        var t = Substring(s)
        if t.count == 45, t.lowercased().hasPrefix("urn:uuid:") { t = t.dropFirst(9) }
        else if t.count == 38, t.first == "{", t.last == "}" { t = t.dropFirst().dropLast() }
        let hex = Set("0123456789abcdefABCDEF")
        if t.count == 32 { return t.allSatisfy { hex.contains($0) } }
        guard t.count == 36 else { return false }
        for (i, c) in t.enumerated() {
            if [8, 13, 18, 23].contains(i) { if c != "-" { return false } } else if !hex.contains(c) { return false }
        }
        return true
    }

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        cloud = try m.decode("cloud", default: "")
        func identity(_ key: String, _ keys: Set<String>, _ type: String) -> Identity? {
            guard let n = m.node(key), !n.isNull else { return nil }
            return Identity(yaml: n, decoder: decoder, goType: type, keys: keys)
        }
        managedIdentity = identity("managed_identity", ["client_id"], "azuread.ManagedIdentityConfig")
        workloadIdentity = identity("workload_identity", ["client_id", "tenant_id", "token_file_path"], "azuread.WorkloadIdentityConfig")
        oauth = identity("oauth", ["client_id", "client_secret", "tenant_id"], "azuread.OAuthConfig")
        certificate = identity("certificate", ["client_id", "tenant_id", "certificate_path", "certificate_key_path", "certificate_password", "send_certificate_chain"], "azuread.CertificateConfig")
        sdk = identity("sdk", ["tenant_id"], "azuread.SDKConfig")
        scope = try m.decode("scope", default: "")
        guard m.finish() else { return }
        let at = node.mark
        if cloud.isEmpty { cloud = "AzurePublic" }
        guard ["AzureChina", "AzureGovernment", "AzurePublic"].contains(cloud) else {
            throw ConfigError("must provide a cloud in the Azure AD config", at: at)
        }
        let methods = [managedIdentity, workloadIdentity, oauth, certificate, sdk].compactMap { $0 }
        if methods.isEmpty {
            throw ConfigError("must provide an Azure Managed Identity, Azure Workload Identity, Azure OAuth, Azure Certificate or Azure SDK in the Azure AD config", at: at)
        }
        if methods.count > 1 { throw ConfigError("cannot provide multiple authentication methods in the Azure AD config", at: at) }
        if let mi = managedIdentity, !mi.clientID.isEmpty, !AzureADConfig.isUUID(mi.clientID) {
            throw ConfigError("the provided Azure Managed Identity client_id is invalid", at: at)
        }
        if let w = workloadIdentity {
            if w.clientID.isEmpty { throw ConfigError("must provide an Azure Workload Identity client_id in the Azure AD config", at: at) }
            if w.tenantID.isEmpty { throw ConfigError("must provide an Azure Workload Identity tenant_id in the Azure AD config", at: at) }
            if !AzureADConfig.isUUID(w.clientID) { throw ConfigError("the provided Azure Workload Identity client_id is invalid", at: at) }
        }
        if let o = oauth {
            if o.clientID.isEmpty { throw ConfigError("must provide an Azure OAuth client_id in the Azure AD config", at: at) }
            if o.clientSecret.isEmpty { throw ConfigError("must provide an Azure OAuth client_secret in the Azure AD config", at: at) }
            if o.tenantID.isEmpty { throw ConfigError("must provide an Azure OAuth tenant_id in the Azure AD config", at: at) }
            if !AzureADConfig.isUUID(o.clientID) { throw ConfigError("the provided Azure OAuth client_id is invalid", at: at) }
        }
        if let c = certificate {
            if c.clientID.isEmpty { throw ConfigError("must provide an Azure Certificate client_id in the Azure AD config", at: at) }
            if c.tenantID.isEmpty { throw ConfigError("must provide an Azure Certificate tenant_id in the Azure AD config", at: at) }
            if c.certificatePath.isEmpty { throw ConfigError("must provide an Azure Certificate certificate_path in the Azure AD config", at: at) }
        }
    }
}

/// Google Cloud IAM authentication of remote writes (`google_iam`).
public struct GoogleIAMConfig: YAMLDecodable, Sendable {
    public var credentialsFile = ""
    public static var goTypeName: String { "googleiam.Config" }
    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        credentialsFile = try m.decode("credentials_file", default: "")
        m.finish()
    }
}

/// One `remote_write` entry.
public struct RemoteWriteConfig: YAMLDecodable, Sendable {
    public static let protobufMessages = ["prometheus.WriteRequest", "io.prometheus.write.v2.Request"]

    public var url: GoURL?
    public var remoteTimeout = PromDuration.seconds(30)
    public var headers = OrderedStringMap<String>()
    public var writeRelabelConfigs: [RelabelConfig] = []
    public var name = ""
    public var sendExemplars = false
    public var sendNativeHistograms = false
    public var roundRobinDNS = false
    public var protobufMessage = "prometheus.WriteRequest"
    /// Remote write's HTTP client defaults to HTTP/1 (`enable_http2: false`).
    public var httpClientConfig = HTTPClientConfig()
    public var queueConfig = QueueConfig()
    public var metadataConfig = MetadataConfig()
    public var sigv4: SigV4Config?
    public var azureAD: AzureADConfig?
    public var googleIAM: GoogleIAMConfig?
    public var mark = Mark(line: 0, column: 0)
    public var marks = FieldMarks()

    public static var goTypeName: String { "config.plain" }

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        mark = node.mark
        var m = decoder.mapping(node, goType: Self.goTypeName)
        marks = FieldMarks(m, keys: m.keys)
        url = try m.decodeIfPresent("url")
        remoteTimeout = try m.decode("remote_timeout", default: .seconds(30))
        headers = try m.decode("headers", default: OrderedStringMap())
        let relabel = try decodeRelabelList(&m, "write_relabel_configs")
        writeRelabelConfigs = relabel.configs
        name = try m.decode("name", default: "")
        sendExemplars = try m.decode("send_exemplars", default: false)
        sendNativeHistograms = try m.decode("send_native_histograms", default: false)
        roundRobinDNS = try m.decode("round_robin_dns", default: false)
        protobufMessage = try m.decode("protobuf_message", default: "prometheus.WriteRequest")
        httpClientConfig = try m.inline(HTTPClientConfig.self)
        if !m.has("enable_http2") { httpClientConfig.enableHTTP2 = false }
        queueConfig = try m.decode("queue_config", default: QueueConfig())
        metadataConfig = try m.decode("metadata_config", default: MetadataConfig())
        sigv4 = try m.decodeIfPresent("sigv4")
        azureAD = try m.decodeIfPresent("azuread")
        googleIAM = try m.decodeIfPresent("google_iam")
        guard m.finish() else { return }

        if url == nil { throw ConfigError("url for remote_write is empty", at: node.mark) }
        if let at = relabel.nullMark { throw ConfigError("empty or null relabeling rule in remote write config", at: at) }
        try validateRemoteHeaders(headers, authorizationMessage: "authorization header must be changed via the basic_auth, authorization, oauth2, sigv4, azuread or google_iam parameter")
        if !RemoteWriteConfig.protobufMessages.contains(protobufMessage) {
            throw ConfigError("invalid protobuf_message value: unknown type for remote write protobuf message \(protobufMessage), supported: \(RemoteWriteConfig.protobufMessages.joined(separator: ", "))",
                              at: marks["protobuf_message"])
        }
        try queueConfig.validate(at: marks["queue_config"])
        try httpClientConfig.validate()
        var configured: [String] = []
        if httpClientConfig.basicAuth != nil { configured.append("basic_auth") }
        if httpClientConfig.authorization != nil { configured.append("authorization") }
        if httpClientConfig.oauth2 != nil { configured.append("oauth2") }
        if sigv4 != nil { configured.append("sigv4") }
        if azureAD != nil { configured.append("azuread") }
        if googleIAM != nil { configured.append("google_iam") }
        if configured.count > 1 {
            throw ConfigError("at most one of basic_auth, authorization, oauth2, sigv4, azuread or google_iam must be configured. Currently configured: [\(configured.joined(separator: " "))]",
                              at: node.mark)
        }
    }

    public func validate(scheme: NameValidationScheme) throws(ConfigError) {
        for rc in writeRelabelConfigs { try rc.validate(scheme: scheme) }
    }

    public mutating func resolvePaths(relativeTo directory: String) {
        httpClientConfig.resolvePaths(relativeTo: directory)
    }
}

/// One `remote_read` entry.
public struct RemoteReadConfig: YAMLDecodable, Sendable {
    public var url: GoURL?
    public var remoteTimeout = PromDuration.minutes(1)
    public var chunkedReadLimit: UInt64 = 50_000_000
    public var headers = OrderedStringMap<String>()
    public var readRecent = false
    public var name = ""
    public var httpClientConfig = HTTPClientConfig()
    public var requiredMatchers = LabelSet()
    public var filterExternalLabels = true
    public var mark = Mark(line: 0, column: 0)
    public static var goTypeName: String { "config.plain" }

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        mark = node.mark
        var m = decoder.mapping(node, goType: Self.goTypeName)
        url = try m.decodeIfPresent("url")
        remoteTimeout = try m.decode("remote_timeout", default: .minutes(1))
        chunkedReadLimit = try m.decode("chunked_read_limit", default: UInt64(50_000_000))
        headers = try m.decode("headers", default: OrderedStringMap())
        readRecent = try m.decode("read_recent", default: false)
        name = try m.decode("name", default: "")
        httpClientConfig = try m.inline(HTTPClientConfig.self)
        requiredMatchers = try m.decode("required_matchers", default: LabelSet())
        filterExternalLabels = try m.decode("filter_external_labels", default: true)
        guard m.finish() else { return }
        if url == nil { throw ConfigError("url for remote_read is empty", at: node.mark) }
        try validateRemoteHeaders(headers, authorizationMessage: "authorization header must be changed via the basic_auth, authorization, oauth2, sigv4, azuread or google_iam parameter")
        try httpClientConfig.validate()
    }

    public mutating func resolvePaths(relativeTo directory: String) {
        httpClientConfig.resolvePaths(relativeTo: directory)
    }
}
