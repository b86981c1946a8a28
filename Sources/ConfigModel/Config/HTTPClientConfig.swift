import GoCompat

/// prometheus/common's `config.HTTPClientConfig`: authentication, TLS, proxy and headers of one HTTP client.
///
/// Inlined into scrape, remote-write, Alertmanager and most SD configs (Go's `yaml:",inline"`). Inlined,
/// Go's own unmarshal hook does not run, so the enclosing config calls `validate()`; we do the same.
public struct HTTPClientConfig: InlineYAMLDecodable, Sendable {
    public var basicAuth: BasicAuth?
    public var authorization: Authorization?
    public var oauth2: OAuth2?
    /// Deprecated spelling of `authorization.credentials`.
    public var bearerToken = Secret("")
    /// Deprecated spelling of `authorization.credentials_file`.
    public var bearerTokenFile = ""
    public var tlsConfig = TLSConfig()
    public var followRedirects = true
    public var enableHTTP2 = true
    public var proxy = ProxyConfig()
    public var httpHeaders: HTTPHeaders?
    /// Positions of this config's keys, for errors.
    public var marks = FieldMarks()

    /// The keys this config takes from its enclosing mapping.
    public static let keys = [
        "basic_auth", "authorization", "oauth2", "bearer_token", "bearer_token_file", "tls_config",
        "follow_redirects", "enable_http2", "http_headers",
    ] + ProxyConfig.keys

    public init() {}

    public init(inline m: inout MappingDecoder) throws(ConfigError) {
        marks = FieldMarks(m, keys: Self.keys)
        basicAuth = try m.decodeIfPresent("basic_auth")
        authorization = try m.decodeIfPresent("authorization")
        oauth2 = try m.decodeIfPresent("oauth2")
        bearerToken = try m.decode("bearer_token", default: Secret(""))
        bearerTokenFile = try m.decode("bearer_token_file", default: "")
        tlsConfig = try m.decode("tls_config", default: TLSConfig())
        followRedirects = try m.decode("follow_redirects", default: true)
        enableHTTP2 = try m.decode("enable_http2", default: true)
        proxy = try m.inline(ProxyConfig.self)
        httpHeaders = try m.decodeIfPresent("http_headers")
    }

    /// The authorization in effect: `authorization`, or the one `bearer_token(_file)` stands for.
    public var effectiveAuthorization: Authorization? {
        if let authorization { return authorization }
        if !bearerToken.isEmpty { return Authorization(type: "Bearer", credentials: bearerToken) }
        if !bearerTokenFile.isEmpty { return Authorization(type: "Bearer", credentialsFile: bearerTokenFile) }
        return nil
    }

    /// `HTTPClientConfig.Validate()`: exclusivity of the authentication methods, proxy and header rules.
    public func validate() throws(ConfigError) {
        if !bearerToken.isEmpty && !bearerTokenFile.isEmpty {
            throw ConfigError("at most one of bearer_token & bearer_token_file must be configured",
                              at: marks.last(of: "bearer_token", "bearer_token_file"))
        }
        let hasBearer = !bearerToken.isEmpty || !bearerTokenFile.isEmpty
        if (basicAuth != nil || oauth2 != nil) && hasBearer {
            throw ConfigError("at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured",
                              at: marks.last(of: "basic_auth", "oauth2", "bearer_token", "bearer_token_file"))
        }
        if let b = basicAuth {
            if [!b.username.isEmpty, !b.usernameFile.isEmpty, !b.usernameRef.isEmpty].filter({ $0 }).count > 1 {
                throw ConfigError("at most one of basic_auth username, username_file & username_ref must be configured", at: b.mark)
            }
            if [!b.password.isEmpty, !b.passwordFile.isEmpty, !b.passwordRef.isEmpty].filter({ $0 }).count > 1 {
                throw ConfigError("at most one of basic_auth password, password_file & password_ref must be configured", at: b.mark)
            }
        }
        if let a = authorization {
            if hasBearer {
                throw ConfigError("authorization is not compatible with bearer_token & bearer_token_file",
                                  at: marks.last(of: "authorization", "bearer_token", "bearer_token_file"))
            }
            if [!a.credentials.isEmpty, !a.credentialsFile.isEmpty, !a.credentialsRef.isEmpty].filter({ $0 }).count > 1 {
                throw ConfigError("at most one of authorization credentials & credentials_file must be configured", at: a.mark)
            }
            if a.effectiveType.lowercased() == "basic" {
                throw ConfigError(#"authorization type cannot be set to "basic", use "basic_auth" instead"#, at: a.mark)
            }
            if basicAuth != nil || oauth2 != nil {
                throw ConfigError("at most one of basic_auth, oauth2 & authorization must be configured",
                                  at: marks.last(of: "basic_auth", "oauth2", "authorization"))
            }
        }
        if let o = oauth2 {
            if basicAuth != nil {
                throw ConfigError("at most one of basic_auth, oauth2 & authorization must be configured",
                                  at: marks.last(of: "basic_auth", "oauth2"))
            }
            if o.clientID.isEmpty { throw ConfigError("oauth2 client_id must be configured", at: o.mark) }
            if o.tokenURL.isEmpty { throw ConfigError("oauth2 token_url must be configured", at: o.mark) }
            if o.grantType == OAuth2.jwtBearerGrantType {
                if [!o.clientCertificateKey.isEmpty, !o.clientCertificateKeyFile.isEmpty, !o.clientCertificateKeyRef.isEmpty].filter({ $0 }).count > 1 {
                    throw ConfigError("at most one of oauth2 client_certificate_key, client_certificate_key_file & client_certificate_key_ref must be configured using grant-type=\(OAuth2.jwtBearerGrantType)", at: o.mark)
                }
            } else if [!o.clientSecret.isEmpty, !o.clientSecretFile.isEmpty, !o.clientSecretRef.isEmpty].filter({ $0 }).count > 1 {
                throw ConfigError("at most one of oauth2 client_secret, client_secret_file & client_secret_ref must be configured", at: o.mark)
            }
        }
        try proxy.validate()
        if let h = httpHeaders { try h.validate() }
    }

    /// Every file this config names (credentials, secrets, TLS, header files), as written or resolved.
    public var referencedFiles: [String] {
        var out: [String] = []
        if let b = basicAuth { out += [b.usernameFile, b.passwordFile] }
        if let a = authorization { out.append(a.credentialsFile) }
        out.append(bearerTokenFile)
        if let o = oauth2 { out += [o.clientSecretFile, o.clientCertificateKeyFile] + o.tlsConfig.referencedFiles }
        out += tlsConfig.referencedFiles
        if let h = httpHeaders { out += h.headers.flatMap { $0.value.files } }
        return out.filter { !$0.isEmpty }
    }

    /// Makes relative file paths absolute against `directory` (Go's `SetDirectory`).
    public mutating func resolvePaths(relativeTo directory: String) {
        tlsConfig.resolvePaths(relativeTo: directory)
        if var b = basicAuth {
            b.usernameFile = FilePath.joinDir(directory, b.usernameFile)
            b.passwordFile = FilePath.joinDir(directory, b.passwordFile)
            basicAuth = b
        }
        if var a = authorization {
            a.credentialsFile = FilePath.joinDir(directory, a.credentialsFile)
            authorization = a
        }
        oauth2?.resolvePaths(relativeTo: directory)
        httpHeaders?.resolvePaths(relativeTo: directory)
        bearerTokenFile = FilePath.joinDir(directory, bearerTokenFile)
    }
}

/// `basic_auth`: username and password, each inline, from a file, or by secret-manager reference.
public struct BasicAuth: YAMLDecodable, Sendable {
    public var username = ""
    public var usernameFile = ""
    public var usernameRef = ""
    public var password = Secret("")
    public var passwordFile = ""
    public var passwordRef = ""
    public var mark = Mark(line: 0, column: 0)

    public static var goTypeName: String { "config.plain" }
    public init() {}
    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        mark = node.mark
        username = try m.decode("username", default: "")
        usernameFile = try m.decode("username_file", default: "")
        usernameRef = try m.decode("username_ref", default: "")
        password = try m.decode("password", default: Secret(""))
        passwordFile = try m.decode("password_file", default: "")
        passwordRef = try m.decode("password_ref", default: "")
        m.finish()
    }
}

/// `authorization`: an `Authorization` header of some type (`Bearer` by default).
public struct Authorization: YAMLDecodable, Sendable {
    /// The type as written (may be empty: see `effectiveType`).
    public var type = ""
    public var credentials = Secret("")
    public var credentialsFile = ""
    public var credentialsRef = ""
    public var mark = Mark(line: 0, column: 0)

    public static var goTypeName: String { "config.Authorization" }

    public init(type: String = "", credentials: Secret = Secret(""), credentialsFile: String = "") {
        self.type = type
        self.credentials = credentials
        self.credentialsFile = credentialsFile
    }

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        mark = node.mark
        type = try m.decode("type", default: "")
        credentials = try m.decode("credentials", default: Secret(""))
        credentialsFile = try m.decode("credentials_file", default: "")
        credentialsRef = try m.decode("credentials_ref", default: "")
        m.finish()
    }

    /// The type after Prometheus's normalisation: trimmed, `Bearer` when empty.
    public var effectiveType: String {
        let t = type.trimmingGoSpace()
        return t.isEmpty ? "Bearer" : t
    }
}

/// `oauth2`: client-credentials (or JWT-bearer) token fetching.
public struct OAuth2: YAMLDecodable, Sendable {
    public static let jwtBearerGrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer"

    public var clientID = ""
    public var clientSecret = Secret("")
    public var clientSecretFile = ""
    public var clientSecretRef = ""
    public var grantType = ""
    public var clientCertificateKey = Secret("")
    public var clientCertificateKeyFile = ""
    public var clientCertificateKeyRef = ""
    public var clientCertificateKeyID = ""
    public var signatureAlgorithm = ""
    public var iss = ""
    public var audience = ""
    public var claims = OrderedStringMap<String>()
    public var scopes: [String] = []
    public var tokenURL = ""
    public var endpointParams = OrderedStringMap<String>()
    public var tlsConfig = TLSConfig()
    public var proxy = ProxyConfig()
    public var mark = Mark(line: 0, column: 0)

    public static var goTypeName: String { "config.plain" }
    public init() {}
    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        mark = node.mark
        clientID = try m.decode("client_id", default: "")
        clientSecret = try m.decode("client_secret", default: Secret(""))
        clientSecretFile = try m.decode("client_secret_file", default: "")
        clientSecretRef = try m.decode("client_secret_ref", default: "")
        grantType = try m.decode("grant_type", default: "")
        clientCertificateKey = try m.decode("client_certificate_key", default: Secret(""))
        clientCertificateKeyFile = try m.decode("client_certificate_key_file", default: "")
        clientCertificateKeyRef = try m.decode("client_certificate_key_ref", default: "")
        clientCertificateKeyID = try m.decode("client_certificate_key_id", default: "")
        signatureAlgorithm = try m.decode("signature_algorithm", default: "")
        iss = try m.decode("iss", default: "")
        audience = try m.decode("audience", default: "")
        claims = try m.decode("claims", default: OrderedStringMap())
        scopes = try m.decode("scopes", default: [])
        tokenURL = try m.decode("token_url", default: "")
        endpointParams = try m.decode("endpoint_params", default: OrderedStringMap())
        tlsConfig = try m.decode("tls_config", default: TLSConfig())
        proxy = try m.inline(ProxyConfig.self)
        if m.finish() { try proxy.validate() }
    }

    mutating func resolvePaths(relativeTo directory: String) {
        clientSecretFile = FilePath.joinDir(directory, clientSecretFile)
        clientCertificateKeyFile = FilePath.joinDir(directory, clientCertificateKeyFile)
        tlsConfig.resolvePaths(relativeTo: directory)
    }
}

/// A TLS protocol version by its config name (`TLS10` … `TLS13`).
public struct TLSVersion: YAMLDecodable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public static let known: [String: UInt16] = ["TLS10": 0x0301, "TLS11": 0x0302, "TLS12": 0x0303, "TLS13": 0x0304]
    public var name: String
    public var code: UInt16
    public static var goTypeName: String { "config.TLSVersion" }
    public static func < (a: TLSVersion, b: TLSVersion) -> Bool { a.code < b.code }
    public var description: String { name }
    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        let s = try String(yaml: node, decoder: decoder)
        guard let code = TLSVersion.known[s] else {
            throw ConfigError("unknown TLS version: \(s)", at: node.mark)
        }
        name = s
        self.code = code
    }
}

/// `tls_config`: CA, client certificate and key (inline, file or reference), server name, versions.
public struct TLSConfig: YAMLDecodable, Sendable {
    public var ca = ""
    public var caFile = ""
    public var caRef = ""
    public var cert = ""
    public var certFile = ""
    public var certRef = ""
    public var key = Secret("")
    public var keyFile = ""
    public var keyRef = ""
    public var serverName = ""
    public var insecureSkipVerify = false
    public var minVersion: TLSVersion?
    public var maxVersion: TLSVersion?
    public var nextProtos: [String] = []
    public var mark = Mark(line: 0, column: 0)

    public static var goTypeName: String { "config.plain" }
    public init() {}

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        mark = node.mark
        ca = try m.decode("ca", default: "")
        cert = try m.decode("cert", default: "")
        key = try m.decode("key", default: Secret(""))
        caFile = try m.decode("ca_file", default: "")
        certFile = try m.decode("cert_file", default: "")
        keyFile = try m.decode("key_file", default: "")
        caRef = try m.decode("ca_ref", default: "")
        certRef = try m.decode("cert_ref", default: "")
        keyRef = try m.decode("key_ref", default: "")
        serverName = try m.decode("server_name", default: "")
        insecureSkipVerify = try m.decode("insecure_skip_verify", default: false)
        minVersion = try m.decodeIfPresent("min_version")
        maxVersion = try m.decodeIfPresent("max_version")
        nextProtos = try m.decode("next_protos", default: [])
        if m.finish() { try validate() }
    }

    public var usingClientCert: Bool { !cert.isEmpty || !certFile.isEmpty || !certRef.isEmpty }
    public var usingClientKey: Bool { !key.isEmpty || !keyFile.isEmpty || !keyRef.isEmpty }

    /// `TLSConfig.Validate()`.
    public func validate() throws(ConfigError) {
        func count(_ flags: Bool...) -> Int { flags.filter { $0 }.count }
        if count(!ca.isEmpty, !caFile.isEmpty, !caRef.isEmpty) > 1 {
            throw ConfigError("at most one of ca, ca_file & ca_ref must be configured", at: mark)
        }
        if count(!cert.isEmpty, !certFile.isEmpty, !certRef.isEmpty) > 1 {
            throw ConfigError("at most one of cert, cert_file & cert_ref must be configured", at: mark)
        }
        if count(!key.isEmpty, !keyFile.isEmpty, !keyRef.isEmpty) > 1 {
            throw ConfigError("at most one of key and key_file must be configured", at: mark)
        }
        if usingClientCert && !usingClientKey {
            throw ConfigError("exactly one of key or key_file must be configured when a client certificate is configured", at: mark)
        }
        if usingClientKey && !usingClientCert {
            throw ConfigError("exactly one of cert or cert_file must be configured when a client key is configured", at: mark)
        }
    }

    public var referencedFiles: [String] { [caFile, certFile, keyFile].filter { !$0.isEmpty } }

    public mutating func resolvePaths(relativeTo directory: String) {
        caFile = FilePath.joinDir(directory, caFile)
        certFile = FilePath.joinDir(directory, certFile)
        keyFile = FilePath.joinDir(directory, keyFile)
    }
}

/// The proxy fields inlined into `HTTPClientConfig` and `OAuth2`.
public struct ProxyConfig: InlineYAMLDecodable, Sendable {
    public static let keys = ["proxy_url", "no_proxy", "proxy_from_environment", "proxy_connect_header"]
    /// Nil when absent; present but empty is an empty URL (as in Go).
    public var proxyURL: GoURL?
    public var noProxy = ""
    public var proxyFromEnvironment = false
    /// Header name → values (secrets: they may carry credentials).
    public var proxyConnectHeader = OrderedStringMap<[Secret]>()
    public var marks = FieldMarks()

    public init() {}
    public init(inline m: inout MappingDecoder) throws(ConfigError) {
        marks = FieldMarks(m, keys: Self.keys)
        if let n = m.node("proxy_url") {
            // An explicit null leaves the URL unset, as yaml.v2 does for a struct pointer.
            proxyURL = n.isNull ? nil : try GoURL(yaml: n, decoder: m.decoder)
        }
        noProxy = try m.decode("no_proxy", default: "")
        proxyFromEnvironment = try m.decode("proxy_from_environment", default: false)
        if let n = m.node("proxy_connect_header"), !n.isNull {
            proxyConnectHeader = try OrderedStringMap<[Secret]>(yaml: n, decoder: m.decoder, goTypeName: "config.ProxyHeader")
        }
    }

    private var hasProxyURL: Bool { proxyURL.map { !$0.raw.isEmpty } ?? false }

    /// `ProxyConfig.Validate()`.
    public func validate() throws(ConfigError) {
        if !proxyConnectHeader.isEmpty && !proxyFromEnvironment && !hasProxyURL {
            throw ConfigError("if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured",
                              at: marks["proxy_connect_header"])
        }
        if proxyFromEnvironment && hasProxyURL {
            throw ConfigError("if proxy_from_environment is configured, proxy_url must not be configured",
                              at: marks.last(of: "proxy_from_environment", "proxy_url"))
        }
        if proxyFromEnvironment && !noProxy.isEmpty {
            throw ConfigError("if proxy_from_environment is configured, no_proxy must not be configured",
                              at: marks.last(of: "proxy_from_environment", "no_proxy"))
        }
        if proxyURL == nil && !noProxy.isEmpty {
            throw ConfigError("if no_proxy is configured, proxy_url must also be configured", at: marks["no_proxy"])
        }
    }
}

/// `http_headers`: header name → values, secret values and files to read values from.
public struct HTTPHeaders: YAMLDecodable, Sendable {
    public struct Header: YAMLDecodable, Sendable {
        public var values: [String] = []
        public var secrets: [Secret] = []
        public var files: [String] = []
        public static var goTypeName: String { "config.Header" }
        public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
            var m = decoder.mapping(node, goType: Self.goTypeName)
            values = try m.decode("values", default: [])
            secrets = try m.decode("secrets", default: [])
            files = try m.decode("files", default: [])
            m.finish()
        }
    }

    public var headers = OrderedStringMap<Header>()
    public var mark = Mark(line: 0, column: 0)
    public static var goTypeName: String { "config.Headers" }

    /// Headers Prometheus sets itself, which configs may not override (canonical spelling).
    public static let reserved: Set<String> = [
        "Authorization", "Host", "Content-Encoding", "Content-Length", "Content-Type", "User-Agent",
        "Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Www-Authenticate",
        "Accept-Encoding", "X-Prometheus-Remote-Write-Version", "X-Prometheus-Remote-Read-Version",
        "X-Prometheus-Scrape-Timeout-Seconds", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256",
    ]

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        mark = node.mark
        headers = try OrderedStringMap<Header>(yaml: node, decoder: decoder, goTypeName: Self.goTypeName)
    }

    public func validate() throws(ConfigError) {
        for h in headers {
            let canonical = canonicalHeaderKey(h.key)
            if Self.reserved.contains(canonical) {
                throw ConfigError("setting header \(goQuote(canonical)) is not allowed", at: h.keyMark)
            }
        }
    }

    mutating func resolvePaths(relativeTo directory: String) {
        for i in headers.entries.indices {
            headers.entries[i].value.files = headers.entries[i].value.files.map { FilePath.joinDir(directory, $0) }
        }
    }
}

/// Go's `http.CanonicalHeaderKey`: `content-type` → `Content-Type`; keys with invalid characters unchanged.
public func canonicalHeaderKey(_ s: String) -> String {
    let bytes = Array(s.utf8)
    let tokenExtra = Array("!#$%&'*+-.^_`|~".utf8)
    for b in bytes {
        let ok = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || tokenExtra.contains(b)
        if !ok { return s }
    }
    var upper = true
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    for b in bytes {
        var c = b
        if upper && c >= 0x61 && c <= 0x7A { c -= 0x20 } else if !upper && c >= 0x41 && c <= 0x5A { c += 0x20 }
        out.append(c)
        upper = c == 0x2D
    }
    return String(decoding: out, as: UTF8.self)
}

extension String {
    /// `strings.TrimSpace`: trims ASCII and Unicode white space at both ends.
    public func trimmingGoSpace() -> String {
        var s = Substring(self)
        while let f = s.unicodeScalars.first, f.properties.isWhitespace { s = Substring(s.unicodeScalars.dropFirst()) }
        while let l = s.unicodeScalars.last, l.properties.isWhitespace { s = Substring(s.unicodeScalars.dropLast()) }
        return String(s)
    }
}
