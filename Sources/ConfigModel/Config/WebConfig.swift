import GoCompat

/// The web configuration file of Prometheus and exporters (`--web.config.file`, prometheus/exporter-toolkit):
/// TLS server settings, HTTP server settings and bcrypt-hashed basic-auth users.
public struct WebConfig: YAMLDecodable, Sendable {
    /// `tls_server_config`.
    public struct TLSServerConfig: YAMLDecodable, Sendable {
        public var cert = ""
        public var key = Secret("")
        public var clientCA = ""
        public var certFile = ""
        public var keyFile = ""
        public var clientAuthType = ""
        public var clientCAFile = ""
        public var cipherSuites: [String] = []
        public var curvePreferences: [String] = []
        public var minVersion: TLSVersion?
        public var maxVersion: TLSVersion?
        public var preferServerCipherSuites = true
        public var clientAllowedSANs: [String] = []
        public var mark = Mark(line: 0, column: 0)
        public static var goTypeName: String { "web.TLSConfig" }

        static let ciphers: Set<String> = [
            "TLS_RSA_WITH_RC4_128_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA",
            "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_RSA_WITH_RC4_128_SHA", "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305",
        ]
        static let curves: Set<String> = ["CurveP256", "CurveP384", "CurveP521", "X25519", "X25519MLKEM768"]

        public init() {}
        public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
            mark = node.mark
            var m = decoder.mapping(node, goType: Self.goTypeName)
            cert = try m.decode("cert", default: "")
            key = try m.decode("key", default: Secret(""))
            clientCA = try m.decode("client_ca", default: "")
            certFile = try m.decode("cert_file", default: "")
            keyFile = try m.decode("key_file", default: "")
            clientAuthType = try m.decode("client_auth_type", default: "")
            clientCAFile = try m.decode("client_ca_file", default: "")
            if let n = m.node("cipher_suites"), !n.isNull {
                cipherSuites = try [String](yaml: n, decoder: decoder)
                if case .sequence(let items) = n.content {
                    for (i, c) in cipherSuites.enumerated() where !Self.ciphers.contains(c) {
                        throw ConfigError("unknown cipher: \(c)", at: i < items.count ? items[i].mark : n.mark)
                    }
                }
            }
            if let n = m.node("curve_preferences"), !n.isNull {
                curvePreferences = try [String](yaml: n, decoder: decoder)
                if case .sequence(let items) = n.content {
                    for (i, c) in curvePreferences.enumerated() where !Self.curves.contains(c) {
                        throw ConfigError("unknown curve: \(c)", at: i < items.count ? items[i].mark : n.mark)
                    }
                }
            }
            minVersion = try m.decodeIfPresent("min_version")
            maxVersion = try m.decodeIfPresent("max_version")
            preferServerCipherSuites = try m.decode("prefer_server_cipher_suites", default: true)
            clientAllowedSANs = try m.decode("client_allowed_sans", default: [])
            m.finish()
        }

        var isEmpty: Bool {
            certFile.isEmpty && cert.isEmpty && keyFile.isEmpty && key.isEmpty && clientCAFile.isEmpty && clientCA.isEmpty && clientAuthType.isEmpty
        }
    }

    public var tlsServerConfig = TLSServerConfig()
    public var http2 = true
    public var headers = OrderedStringMap<String>()
    public var basicAuthUsers = OrderedStringMap<Secret>()
    public var rateLimit: OrderedStringMap<String>?
    public static var goTypeName: String { "web.Config" }

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        tlsServerConfig = try m.decode("tls_server_config", default: TLSServerConfig())
        if let n = m.node("http_server_config"), !n.isNull {
            var h = decoder.mapping(n, goType: "web.HTTPConfig")
            http2 = try h.decode("http2", default: true)
            headers = try h.decode("headers", default: OrderedStringMap())
            h.finish()
        }
        basicAuthUsers = try m.decode("basic_auth_users", default: OrderedStringMap())
        if let n = m.node("rate_limit"), !n.isNull {
            rateLimit = try OrderedStringMap<String>(yaml: n, decoder: decoder, goTypeName: "web.RateLimitConfig")
        }
        m.finish()
    }

    static let allowedHeaders: [String: [String]] = [
        "Strict-Transport-Security": [], "X-Content-Type-Options": ["nosniff"],
        "X-Frame-Options": ["deny", "sameorigin"], "X-XSS-Protection": [], "Content-Security-Policy": [],
    ]

    /// exporter-toolkit's `web.Validate`: YAML (strict), headers, user password hashes, then TLS settings.
    public static func validate(path: String) throws(ConfigError) -> WebConfig {
        let bytes: [UInt8]
        switch FileSystem.readFile(path) {
        case .success(let b): bytes = b
        case .failure(let e): throw e
        }
        let docs: [Node]
        do { docs = try YAMLComposer.compose(bytes: bytes, firstDocumentOnly: true) } catch { throw ConfigError(error.message, at: error.mark) }
        var cfg = WebConfig()
        if let root = docs.first, !root.isNull { cfg = try YAMLDecoder().decodeDocument(WebConfig.self, from: root) }
        for h in cfg.headers {
            guard let allowed = allowedHeaders[h.key] else {
                throw ConfigError("HTTP header \(goQuote(h.key)) can not be configured", at: h.keyMark)
            }
            if !allowed.isEmpty && !allowed.contains(h.value) {
                throw ConfigError("invalid value for \(h.key). Expected one of: [\(allowed.map(goQuote).joined(separator: " "))], but got: \(goQuote(h.value))", at: h.valueMark)
            }
        }
        for u in cfg.basicAuthUsers {
            if let e = bcryptCostError(u.value.exposedValue) { throw ConfigError(e, at: u.valueMark) }
        }
        let dir = FilePath.dir(path)
        try cfg.tlsServerConfig.validate(directory: dir)
        return cfg
    }

    init() {}

    /// Go's `bcrypt.Cost` errors for a stored hash; nil when the hash is well-formed.
    static func bcryptCostError(_ hash: String) -> String? {
        let b = Array(hash.utf8)
        if b.count < 59 { return "crypto/bcrypt: hashedSecret too short to be a bcrypted password" }
        if b[0] != 0x24 { return "crypto/bcrypt: bcrypt hashes must start with '$', but hashedSecret started with '\(String(decoding: [b[0]], as: UTF8.self))'" }
        if b[1] > 0x32 {
            return "crypto/bcrypt: bcrypt algorithm version '\(String(decoding: [b[1]], as: UTF8.self))' requested is newer than current version '2'"
        }
        var n = 3
        if b[2] != 0x24 { n += 1 }
        let costText = String(decoding: b[n..<(n + 2)], as: UTF8.self)
        guard let cost = Int(costText), costText.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-" || $0 == "+") }) else {
            return "strconv.Atoi: parsing \(goQuote(costText)): invalid syntax"
        }
        if cost < 4 || cost > 31 { return "crypto/bcrypt: cost \(cost) is outside allowed range (4,31)" }
        return nil
    }
}

extension WebConfig.TLSServerConfig {
    /// exporter-toolkit's `ConfigToTLSConfig` checks (certificate contents are checked for PEM data only).
    func validate(directory: String) throws(ConfigError) {
        if isEmpty { return }
        let certPath = FilePath.joinDir(directory, certFile)
        let keyPath = FilePath.joinDir(directory, keyFile)
        let caPath = FilePath.joinDir(directory, clientCAFile)
        if !certFile.isEmpty && !cert.isEmpty { throw ConfigError("cannot specify both cert_file and cert", at: mark) }
        if !keyFile.isEmpty && !key.isEmpty { throw ConfigError("cannot specify both key_file and key", at: mark) }
        if !clientCAFile.isEmpty && !clientCA.isEmpty { throw ConfigError("cannot specify both client_ca_file and client_ca", at: mark) }
        if certFile.isEmpty && cert.isEmpty { throw ConfigError("missing cert_file", at: mark) }
        if keyFile.isEmpty && key.isEmpty { throw ConfigError("missing key_file", at: mark) }
        var certData = cert
        var keyData = key.exposedValue
        if !certFile.isEmpty {
            switch FileSystem.readFile(certPath) {
            case .success(let b): certData = String(decoding: b, as: UTF8.self)
            case .failure(let e): throw ConfigError("failed to load X509KeyPair: \(e.message)", at: mark)
            }
        }
        if !keyFile.isEmpty {
            switch FileSystem.readFile(keyPath) {
            case .success(let b): keyData = String(decoding: b, as: UTF8.self)
            case .failure(let e): throw ConfigError("failed to load X509KeyPair: \(e.message)", at: mark)
            }
        }
        let certBlocks = WebConfig.pemBlockTypes(certData)
        if !certBlocks.contains("CERTIFICATE") {
            if certBlocks.contains(where: { $0.hasSuffix("PRIVATE KEY") }) {
                throw ConfigError("failed to load X509KeyPair: tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched", at: mark)
            }
            throw ConfigError("failed to load X509KeyPair: tls: failed to find any PEM data in certificate input", at: mark)
        }
        let keyBlocks = WebConfig.pemBlockTypes(keyData)
        if !keyBlocks.contains(where: { $0 == "PRIVATE KEY" || $0.hasSuffix(" PRIVATE KEY") }) {
            if keyBlocks.contains("CERTIFICATE") {
                throw ConfigError("failed to load X509KeyPair: tls: found a certificate rather than a key in the PEM for the private key", at: mark)
            }
            throw ConfigError("failed to load X509KeyPair: tls: failed to find any PEM data in key input", at: mark)
        }
        if !clientCAFile.isEmpty, case .failure(let e) = FileSystem.readFile(caPath) { throw ConfigError(e.message, at: mark) }
        let policies = ["RequestClientCert", "RequireAnyClientCert", "VerifyClientCertIfGiven", "RequireAndVerifyClientCert", "", "NoClientCert"]
        if !policies.contains(clientAuthType) { throw ConfigError("Invalid ClientAuth: " + clientAuthType, at: mark) }
        if (!clientCAFile.isEmpty || !clientCA.isEmpty) && (clientAuthType.isEmpty || clientAuthType == "NoClientCert") {
            throw ConfigError("Client CA's have been configured without a Client Auth Policy", at: mark)
        }
    }
}

extension WebConfig {
    /// The types of the PEM blocks in `text` (`CERTIFICATE`, `RSA PRIVATE KEY`, …).
    static func pemBlockTypes(_ text: String) -> [String] {
        var out: [String] = []
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let l = line.trimmingCharacters(in: " \t")
            if l.hasPrefix("-----BEGIN "), l.hasSuffix("-----") {
                out.append(String(l.dropFirst(11).dropLast(5)))
            }
        }
        return out
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var s = self
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
