import GoCompat
import AsyncHTTPClient
import ConfigModel
import NIOCore
import NIOHTTP1
import NIOSSL

/// The one HTTP client of promtool-swift: `query`, `check healthy|ready` and (later) scraping send their
/// requests through it, so none of them knows which library carries them (today AsyncHTTPClient on
/// SwiftNIO: HTTP/1.1 and 2, TLS, gzip).
///
/// Built from a prometheus/common `HTTPClientConfig` (the `--http.config.file` format): basic auth,
/// `authorization` / bearer tokens, `http_headers`, `tls_config`, `follow_redirects`, `enable_http2`,
/// `proxy_url`. Credentials are read once, when the transport is made, and never appear in an error.
/// Call `shutdown()` when done (the event-loop threads are shared and stay; the connection pool goes).
public final class HTTPTransport: Sendable {
    private let client: HTTPClient
    private let fixedHeaders: [(String, String)]
    private let authorization: String?
    private let maxBodyBytes: Int

    /// The `User-Agent` sent when a request names none.
    public static let defaultUserAgent = "promtool-swift/0.1.0"

    /// - Parameters:
    ///   - config: authentication, TLS, headers and redirects (the empty config: none of them).
    ///   - maxBodyBytes: a response whose body is larger fails (a guard against a hostile server).
    public init(config: HTTPClientConfig = HTTPClientConfig(), maxBodyBytes: Int = 1 << 30) throws(TransportError) {
        let auth = try Self.authorizationHeader(config)
        var headers = try Self.configHeaders(config)
        if !headers.contains(where: { $0.0.lowercased() == "user-agent" }) {
            headers.append(("User-Agent", Self.defaultUserAgent))
        }
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: try Self.tlsConfiguration(config.tlsConfig),
            redirectConfiguration: config.followRedirects ? .follow(max: 10, allowCycles: false) : .disallow,
            // A gzip bomb is bounded by the same size as a plain body.
            decompression: .enabled(limit: .size(maxBodyBytes))
        )
        // Fail at once on a refused connection instead of retrying until the deadline, as Go's client does.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.httpVersion = config.enableHTTP2 ? .automatic : .http1Only
        if let proxy = config.proxy.proxyURL {
            guard proxy.scheme == "http" else {
                throw TransportError("proxy_url: only http:// proxies are supported, not \(goQuote(proxy.scheme))")
            }
            let (host, port) = Self.hostAndPort(proxy, defaultPort: 80)
            configuration.proxy = .server(host: host, port: port)
        }
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        fixedHeaders = headers
        authorization = auth
        self.maxBodyBytes = maxBodyBytes
    }

    /// Closes the connection pool. The transport cannot be used afterwards.
    public func shutdown() {
        try? client.syncShutdown()
    }

    /// Sends `request` and waits for the whole response, or fails after `timeout` (Go's context deadline).
    /// Blocks the calling thread; for command-line code that is not async.
    public func perform(_ request: TransportRequest, timeout: Duration) throws(TransportError) -> TransportResponse {
        let prepared = try prepare(request)
        let future = start(prepared, timeout: timeout)
        do {
            return Self.response(try future.wait())
        } catch {
            throw Self.describe(error, request: request)
        }
    }

    /// `perform`, for async callers (the scraper).
    public func send(_ request: TransportRequest, timeout: Duration) async throws(TransportError) -> TransportResponse {
        let prepared = try prepare(request)
        let future = start(prepared, timeout: timeout)
        do {
            return Self.response(try await future.get())
        } catch {
            throw Self.describe(error, request: request)
        }
    }

    // MARK: - Requests

    private func prepare(_ request: TransportRequest) throws(TransportError) -> HTTPClient.Request {
        var headers = HTTPHeaders()
        for (k, v) in fixedHeaders where !request.headers.contains(where: { $0.0.lowercased() == k.lowercased() }) {
            headers.add(name: k, value: v)
        }
        for (k, v) in request.headers { headers.add(name: k, value: v) }
        // Credentials in the URL (`http://user:pass@host`), as Go's client sends them.
        if headers["Authorization"].isEmpty, let user = request.url.username {
            let password = request.url.password?.exposedValue ?? ""
            headers.add(name: "Authorization", value: HTTPClient.Authorization.basic(username: user, password: password).headerValue)
        }
        if headers["Authorization"].isEmpty, let authorization {
            headers.add(name: "Authorization", value: authorization)
        }
        let body: HTTPClient.Body? = request.body.isEmpty && request.method == .get ? nil : .bytes(request.body)
        do {
            return try HTTPClient.Request(url: request.url.withoutUserInfo, method: request.method.nio, headers: headers, body: body)
        } catch {
            throw TransportError("\(request.method.goName) \(goQuote(request.url.description)): unsupported URL")
        }
    }

    private func start(_ request: HTTPClient.Request, timeout: Duration) -> EventLoopFuture<HTTPClient.Response> {
        let (seconds, attoseconds) = timeout.components
        let nanos = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let total = nanos.overflow ? Int64.max : nanos.partialValue.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
        let deadline = NIODeadline.now() + .nanoseconds(max(0, total))
        return client.execute(request: request, delegate: ResponseAccumulator(request: request, maxBodySize: maxBodyBytes),
                              deadline: deadline).futureResult
    }

    private static func response(_ r: HTTPClient.Response) -> TransportResponse {
        var body: [UInt8] = []
        if var buffer = r.body { body = buffer.readBytes(length: buffer.readableBytes) ?? [] }
        return TransportResponse(status: Int(r.status.code), headers: r.headers.map { ($0.name, $0.value) }, body: body)
    }

    // MARK: - Errors

    /// Go's `*url.Error` text: `Post "URL": dial tcp HOST:PORT: connect: connection refused`.
    static func describe(_ error: any Error, request: TransportRequest) -> TransportError {
        let prefix = "\(request.method.goName) \(goQuote(request.url.description)): "
        let (host, port) = hostAndPort(request.url, defaultPort: request.url.scheme == "https" ? 443 : 80)
        let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        let text = String(describing: error)
        if let e = error as? HTTPClientError {
            switch e {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .getConnectionFromPoolTimeout:
                return TransportError(prefix + "context deadline exceeded", kind: .timeout)
            case .connectTimeout:
                return TransportError(prefix + "dial tcp \(address): i/o timeout", kind: .timeout)
            case .remoteConnectionClosed:
                return TransportError(prefix + "EOF", kind: .connection)
            case .redirectLimitReached:
                return TransportError(prefix + "stopped after 10 redirects", kind: .other)
            case .redirectCycleDetected:
                return TransportError(prefix + "redirect cycle detected", kind: .other)
            default:
                break
            }
        }
        if error is ResponseAccumulator.ResponseTooBigError {
            return TransportError(prefix + "response body exceeds the limit", kind: .bodyTooLarge)
        }
        if error is NIOSSLError || text.contains("NIOSSL") || text.contains("handshakeFailed") {
            return TransportError(prefix + "tls: \(text)", kind: .tls)
        }
        if text.contains("Connection refused") || text.contains("connectionRefused") {
            return TransportError(prefix + "dial tcp \(address): connect: connection refused", kind: .connection)
        }
        if text.contains("dnsAError") || text.contains("dnsAAAAError") || text.contains("NXDOMAIN") || text.contains("dns")
            || text.contains("UnknownHost") {
            return TransportError(prefix + "dial tcp: lookup \(host): no such host", kind: .connection)
        }
        if text.contains("Connection reset") {
            return TransportError(prefix + "read tcp \(address): connection reset by peer", kind: .connection)
        }
        return TransportError(prefix + text, kind: .other)
    }

    static func hostAndPort(_ url: GoURL, defaultPort: Int) -> (String, Int) {
        let host = url.hostname
        var port = defaultPort
        let afterHost = url.host.hasPrefix("[") ? String(url.host.drop(while: { $0 != "]" }).dropFirst()) : url.host
        if let colon = afterHost.lastIndex(of: ":"), let p = Int(afterHost[afterHost.index(after: colon)...]) { port = p }
        return (host, port)
    }

    // MARK: - Settings from the HTTP client config

    private static func readSecretFile(_ path: String, what: String) throws(TransportError) -> String {
        switch FileSystem.readFile(path) {
        case .success(let bytes): return String(decoding: bytes, as: UTF8.self).trimmingGoSpace()
        case .failure: throw TransportError("unable to read \(what) file \(path)")
        }
    }

    /// The `Authorization` header the config asks for, if any.
    static func authorizationHeader(_ config: HTTPClientConfig) throws(TransportError) -> String? {
        if config.oauth2 != nil { throw TransportError("oauth2 is not supported by promtool-swift's HTTP transport yet") }
        if let b = config.basicAuth {
            if !b.usernameRef.isEmpty || !b.passwordRef.isEmpty {
                throw TransportError("basic_auth: secret references (*_ref) are not supported")
            }
            let user = b.usernameFile.isEmpty ? b.username : try readSecretFile(b.usernameFile, what: "basic auth username")
            let password = b.passwordFile.isEmpty ? b.password.exposedValue : try readSecretFile(b.passwordFile, what: "basic auth password")
            return HTTPClient.Authorization.basic(username: user, password: password).headerValue
        }
        if let a = config.effectiveAuthorization {
            if !a.credentialsRef.isEmpty { throw TransportError("authorization: credentials_ref is not supported") }
            let credentials = a.credentialsFile.isEmpty ? a.credentials.exposedValue : try readSecretFile(a.credentialsFile, what: "authorization credentials")
            return a.effectiveType + " " + credentials
        }
        return nil
    }

    /// `http_headers`: values, secrets and the contents of header files.
    static func configHeaders(_ config: HTTPClientConfig) throws(TransportError) -> [(String, String)] {
        guard let h = config.httpHeaders else { return [] }
        var out: [(String, String)] = []
        for entry in h.headers.entries {
            let (name, header) = (entry.key, entry.value)
            for v in header.values { out.append((name, v)) }
            for s in header.secrets { out.append((name, s.exposedValue)) }
            for f in header.files { out.append((name, try readSecretFile(f, what: "header"))) }
        }
        return out
    }

    static func tlsConfiguration(_ t: TLSConfig) throws(TransportError) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if !t.caRef.isEmpty || !t.certRef.isEmpty || !t.keyRef.isEmpty {
            throw TransportError("tls_config: secret references (*_ref) are not supported")
        }
        if !t.serverName.isEmpty {
            throw TransportError("tls_config: server_name is not supported by promtool-swift's HTTP transport yet")
        }
        if t.insecureSkipVerify { tls.certificateVerification = .none }
        if let v = t.minVersion { tls.minimumTLSVersion = try tlsVersion(v) }
        if let v = t.maxVersion { tls.maximumTLSVersion = try tlsVersion(v) }
        do {
            if !t.ca.isEmpty || !t.caFile.isEmpty {
                let pem = t.caFile.isEmpty ? Array(t.ca.utf8) : try fileBytes(t.caFile, what: "CA cert")
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(pem))
            }
            if t.usingClientCert {
                let certPEM = t.certFile.isEmpty ? Array(t.cert.utf8) : try fileBytes(t.certFile, what: "client cert")
                let keyPEM = t.keyFile.isEmpty ? Array(t.key.exposedValue.utf8) : try fileBytes(t.keyFile, what: "client key")
                tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(certPEM).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: keyPEM, format: .pem))
            }
        } catch let e as TransportError {
            throw e
        } catch {
            throw TransportError("tls_config: unable to use the certificates or key: \(error)")
        }
        return tls
    }

    private static func fileBytes(_ path: String, what: String) throws(TransportError) -> [UInt8] {
        switch FileSystem.readFile(path) {
        case .success(let b): return b
        case .failure(let e): throw TransportError("unable to load \(what) \(path): \(e.message)")
        }
    }

    private static func tlsVersion(_ v: ConfigModel.TLSVersion) throws(TransportError) -> NIOSSL.TLSVersion {
        switch v.name {
        case "TLS10": return .tlsv1
        case "TLS11": return .tlsv11
        case "TLS12": return .tlsv12
        case "TLS13": return .tlsv13
        default: throw TransportError("tls_config: unknown TLS version \(v.name)")
        }
    }
}


extension GoURL {
    /// The URL as AsyncHTTPClient takes it: credentials moved out (they become a header).
    var withoutUserInfo: String {
        let bytes = Array(raw.utf8)
        guard username != nil, let colon = bytes.firstIndex(of: 0x3A), bytes.count > colon + 2,
              bytes[colon + 1] == 0x2F, bytes[colon + 2] == 0x2F else { return raw }
        let authorityStart = colon + 3
        var hostEnd = authorityStart
        while hostEnd < bytes.count, bytes[hostEnd] != 0x2F, bytes[hostEnd] != 0x3F, bytes[hostEnd] != 0x23 { hostEnd += 1 }
        guard let at = bytes[authorityStart..<hostEnd].lastIndex(of: 0x40) else { return raw }
        return String(decoding: bytes[..<authorityStart] + bytes[(at + 1)...], as: UTF8.self)
    }
}
