import GoCompat
import AsyncHTTPClient
import ConfigModel
import NIOCore
import NIOHTTP1
import NIOSSL
import Locking

/// The one HTTP client of promtool-swift: `query`, `check healthy|ready` and scraping send their
/// requests through it, so none of them knows which library carries them (today AsyncHTTPClient on
/// SwiftNIO: HTTP/1.1 and 2, TLS, gzip).
///
/// Built from a prometheus/common `HTTPClientConfig` (the `--http.config.file` format) and behaving as
/// the client Prometheus 3.14 makes from it: basic auth, `authorization` / bearer tokens and OAuth 2.0
/// client credentials (secrets in files are read again at each request, `*_ref` secrets fail as they do
/// without a secret manager), `http_headers`, `tls_config` (CA, client certificate, `server_name`,
/// `insecure_skip_verify`, versions), `follow_redirects`, `enable_http2`, `proxy_url` with `no_proxy`,
/// `proxy_from_environment` and `proxy_connect_header`. Errors never contain a credential.
///
/// AsyncHTTPClient fixes its proxy and DNS override per client, so the transport keeps one client per
/// proxy (and per target host when `server_name` is set), made when first needed. Two kinds of request
/// take SwiftNIO's own parts instead (`HTTP1Exchange`), because AsyncHTTPClient cannot send them as Go
/// does: a plain `http://` request through a proxy (Go: absolute form to the proxy, no CONNECT), and a
/// direct HTTPS request with `server_name` (Go verifies the certificate against that name only).
/// A redirect chain that starts on that path is followed here, hop by hop, as Go's client follows it.
/// Call `shutdown()` when done (the event-loop threads are shared and stay; the connection pools go).
public final class HTTPTransport: Sendable {
    /// What a client of the pool is specific to.
    private struct ClientKey: Hashable, Sendable {
        var proxy: ProxySelector.Endpoint?
        /// With `server_name`: the real host the name stands for on this connection.
        var serverNameHost: String?
        /// A client that returns redirects (for a hop of a chain `HTTPTransport` follows itself).
        var returnsRedirects = false
    }

    /// How one request (one hop of a redirect chain) is sent.
    enum Route {
        /// AsyncHTTPClient.
        case library
        /// A plain request in absolute form to this proxy.
        case proxyForward(ProxySelector.Endpoint)
        /// HTTPS straight to the URL's host, verified against `server_name`.
        case serverNameTLS
    }

    /// How the transport authenticates its requests.
    private enum AuthSource: Sendable {
        case none
        /// `authorization` (or `bearer_token`): `TYPE CREDENTIALS`.
        case credentials(type: String, SecretSource?)
        case basic(username: SecretSource?, password: SecretSource?)
        case oauth2(OAuth2TokenSource)
    }

    private let tls: TLSConfiguration
    let followRedirects: Bool
    private let enableHTTP2: Bool
    let maxBodyBytes: Int
    /// `http_headers` (values, secrets, and files read at each request, as Go does) and the `User-Agent`.
    private let fixedHeaders: [(String, SecretSource)]
    private let auth: AuthSource
    private let proxy: ProxySelector
    /// `proxy_connect_header`, sent on `CONNECT` (HTTPS through a proxy), without `Proxy-Authorization`.
    private let connectHeaders: [(String, String)]
    /// `proxy_connect_header`'s `Proxy-Authorization`, when the proxy URL carries no credentials.
    private let connectAuthorization: String?
    /// `tls_config.server_name`: the name sent in SNI and verified in the server's certificate.
    private let serverName: String?
    /// With `server_name`: the TLS of `HTTP1Exchange` (NIOSSL's hostname check off, Go's done after the handshake).
    let serverNameTLS: HTTP1Exchange.TLS?
    private let clients = SanitizedMutex<[ClientKey: HTTPClient]>([:])

    /// The `User-Agent` sent when a request names none.
    public static let defaultUserAgent = "promtool-swift/0.1.0"

    /// - Parameters:
    ///   - config: authentication, TLS, proxy, headers and redirects (the empty config: none of them).
    ///   - maxBodyBytes: a response whose body (decompressed) is larger fails (a guard against a hostile server).
    ///   - environment: the process environment, read for `proxy_from_environment` (nil: this process's).
    public init(config: HTTPClientConfig = HTTPClientConfig(), maxBodyBytes: Int = 1 << 30,
                environment: [String: String]? = nil) throws(TransportError) {
        // prometheus/common's order: the TLS settings first, then the credentials.
        tls = try TransportTLS.configuration(config.tlsConfig)
        serverName = config.tlsConfig.serverName.isEmpty ? nil : config.tlsConfig.serverName
        if let name = serverName { serverNameTLS = try Self.exchangeTLS(tls, serverName: name) } else { serverNameTLS = nil }
        auth = try Self.authSource(config)
        var headers = Self.configHeaders(config)
        if !headers.contains(where: { $0.0.lowercased() == "user-agent" }) {
            headers.append(("User-Agent", .inline(Self.defaultUserAgent)))
        }
        fixedHeaders = headers
        followRedirects = config.followRedirects
        enableHTTP2 = config.enableHTTP2
        self.maxBodyBytes = maxBodyBytes
        proxy = try ProxySelector(config.proxy, environment: environment ?? ProcessEnvironment.current())
        var connect: [(String, String)] = []
        var connectAuth: String?
        for entry in config.proxy.proxyConnectHeader.entries {
            for v in entry.value {
                if entry.key.lowercased() == "proxy-authorization" {
                    guard v.exposedValue.hasPrefix("Basic ") || v.exposedValue.hasPrefix("Bearer ") else {
                        throw TransportError("proxy_connect_header: Proxy-Authorization must be Basic or Bearer credentials for promtool-swift's HTTP transport")
                    }
                    connectAuth = v.exposedValue
                } else {
                    connect.append((entry.key, v.exposedValue))
                }
            }
        }
        connectHeaders = connect
        connectAuthorization = connectAuth
    }

    /// Closes the connection pools. The transport cannot be used afterwards.
    public func shutdown() {
        let all = clients.withLock { c in
            defer { c.removeAll() }
            return Array(c.values)
        }
        for c in all { try? c.syncShutdown() }
        if case .oauth2(let source) = auth { source.shutdown() }
    }

    /// Sends `request` and waits for the whole response, or fails after `timeout` (Go's context deadline).
    /// Blocks the calling thread; for command-line code that is not async.
    public func perform(_ request: TransportRequest, timeout: Duration) throws(TransportError) -> TransportResponse {
        do {
            return try execute(request, deadline: Self.deadline(after: timeout)).wait()
        } catch {
            throw (error as? TransportError) ?? Self.describe(error, request: request)
        }
    }

    /// `perform`, for async callers (the scraper).
    public func send(_ request: TransportRequest, timeout: Duration) async throws(TransportError) -> TransportResponse {
        do {
            return try await execute(request, deadline: Self.deadline(after: timeout)).get()
        } catch {
            throw (error as? TransportError) ?? Self.describe(error, request: request)
        }
    }

    /// An event loop of the shared group (where futures of this transport complete).
    var eventLoop: any EventLoop { HTTPClient.defaultEventLoopGroup.any() }

    /// The request with its credentials, through the right client; every failure as Go's `*url.Error`.
    func execute(_ request: TransportRequest, deadline: NIODeadline) -> EventLoopFuture<TransportResponse> {
        let loop = eventLoop
        let prefix = "\(request.method.goName) \(goQuote(request.url.description)): "
        let worded: @Sendable (any Error) -> any Error = { error in
            if let e = error as? TransportError { return TransportError(prefix + e.message, kind: e.kind) }
            return Self.describe(error, request: request)
        }
        return authorization(for: request, deadline: deadline, on: loop).flatMapErrorThrowing { error -> String? in
            throw worded(error)
        }.flatMap { authorization in
            if case .library = self.route(for: request.url) {
                return self.sendThroughLibrary(request, authorization: authorization, deadline: deadline, on: loop)
                    .flatMapErrorThrowing { error -> TransportResponse in throw worded(error) }
            }
            // Every error of the chain is already in Go's words (with the URL of the hop that failed).
            return self.followChain(request, authorization: authorization, deadline: deadline, on: loop)
        }
    }

    /// One request through AsyncHTTPClient (its own redirects followed unless `returnsRedirects`).
    func sendThroughLibrary(_ request: TransportRequest, authorization: String?, deadline: NIODeadline,
                            on loop: any EventLoop, returnsRedirects: Bool = false) -> EventLoopFuture<TransportResponse> {
        do {
            let (client, prepared) = try prepare(request, authorization: authorization, returnsRedirects: returnsRedirects)
            return client.execute(request: prepared, delegate: ResponseAccumulator(request: prepared, maxBodySize: maxBodyBytes),
                                  eventLoop: .delegate(on: loop), deadline: deadline).futureResult.map(Self.response)
        } catch {
            return loop.makeFailedFuture(error)
        }
    }

    /// How a request to `url` goes out (see the type's comment).
    func route(for url: GoURL) -> Route {
        let proxy = proxy.proxy(for: url)
        if url.scheme == "http", let proxy { return .proxyForward(proxy) }
        if url.scheme == "https", serverNameTLS != nil, proxy == nil { return .serverNameTLS }
        return .library
    }

    private static func deadline(after timeout: Duration) -> NIODeadline {
        let (seconds, attoseconds) = timeout.components
        let nanos = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let total = nanos.overflow ? Int64.max : nanos.partialValue.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
        return NIODeadline.now() + .nanoseconds(max(0, total))
    }

    // MARK: - Requests

    /// The `Authorization` value the config adds to `request`, if any (read or fetched now).
    private func authorization(for request: TransportRequest, deadline: NIODeadline, on loop: any EventLoop) -> EventLoopFuture<String?> {
        // A header the caller set, or credentials in the URL, win (Go sets neither over an existing one).
        if request.headers.contains(where: { $0.0.lowercased() == "authorization" }) || request.url.username != nil {
            return loop.makeSucceededFuture(nil)
        }
        do throws(TransportError) {
            switch auth {
            case .none:
                return loop.makeSucceededFuture(nil)
            case .credentials(let type, let source):
                let credentials: String
                do { credentials = try source?.read() ?? "" } catch { throw error.prefixed("unable to read authorization credentials") }
                return loop.makeSucceededFuture(type + " " + credentials)
            case .basic(let username, let password):
                let user: String
                let pass: String
                do { user = try username?.read() ?? "" } catch { throw error.prefixed("unable to read basic auth username") }
                do { pass = try password?.read() ?? "" } catch { throw error.prefixed("unable to read basic auth password") }
                return loop.makeSucceededFuture(HTTPClient.Authorization.basic(username: user, password: pass).headerValue)
            case .oauth2(let source):
                let userAgent = request.headers.last(where: { $0.0.lowercased() == "user-agent" })?.1
                    ?? fixedHeaders.first(where: { $0.0.lowercased() == "user-agent" }).flatMap { try? $0.1.read() }
                return source.authorization(userAgent: userAgent, deadline: deadline, on: loop).map { Optional($0) }
            }
        } catch {
            return loop.makeFailedFuture(error)
        }
    }

    private func prepare(_ request: TransportRequest, authorization: String?,
                         returnsRedirects: Bool) throws(TransportError) -> (HTTPClient, HTTPClient.Request) {
        var headers = try requestHeaders(request, authorization: authorization)
        var key = ClientKey(proxy: proxy.proxy(for: request.url), returnsRedirects: returnsRedirects)
        var url = request.url.withoutUserInfo
        if let serverName, request.url.scheme == "https" {
            // Through a proxy's tunnel (a direct request takes `HTTP1Exchange`): connect to the URL's host,
            // but present and verify `server_name`: the request goes to `server_name`, which this client's
            // DNS override maps to the real host; Host stays the URL's.
            key.serverNameHost = request.url.hostname
            url = request.url.replacingHost(with: serverName)
            if headers["Host"].isEmpty { headers.add(name: "Host", value: request.url.host) }
        }
        let body: HTTPClient.Body? = request.body.isEmpty && request.method == .get ? nil : .bytes(request.body)
        let prepared: HTTPClient.Request
        do {
            prepared = try HTTPClient.Request(url: url, method: request.method.nio, headers: headers, body: body)
        } catch {
            throw TransportError("unsupported URL", kind: .other)
        }
        return (client(for: key), prepared)
    }

    /// The headers of `request` as sent: the config's (`http_headers`, files read now, `User-Agent`), the
    /// caller's, then credentials: the URL's user info, else the config's `authorization`.
    func requestHeaders(_ request: TransportRequest, authorization: String?) throws(TransportError) -> NIOHTTP1.HTTPHeaders {
        var headers = NIOHTTP1.HTTPHeaders()
        for (k, source) in fixedHeaders where !request.headers.contains(where: { $0.0.lowercased() == k.lowercased() }) {
            let value: String
            switch source {
            case .inline(let v): value = v
            case .file(let path):
                switch FileSystem.readFile(path) {
                case .success(let b): value = String(decoding: b, as: UTF8.self).trimmingGoSpace()
                case .failure(let e): throw TransportError("unable to read headers file \(path): \(e.message)", kind: .other)
                }
            }
            headers.add(name: k, value: value)
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
        return headers
    }

    /// The pool's client for `key`, made on first use.
    private func client(for key: ClientKey) -> HTTPClient {
        clients.withLock { pool in
            if let c = pool[key] { return c }
            var configuration = HTTPClient.Configuration(
                tlsConfiguration: tls,
                redirectConfiguration: followRedirects && !key.returnsRedirects ? .follow(max: 10, allowCycles: false) : .disallow,
                // A gzip bomb is bounded by the same size as a plain body.
                decompression: .enabled(limit: .size(maxBodyBytes))
            )
            // Fail at once on a refused connection instead of retrying until the deadline, as Go's client does.
            configuration.connectionPool.retryConnectionEstablishment = false
            configuration.httpVersion = enableHTTP2 ? .automatic : .http1Only
            if let p = key.proxy {
                // The proxy URL's credentials, else a `Proxy-Authorization` from `proxy_connect_header`.
                var endpoint = p
                if endpoint.authorization == nil { endpoint.authorization = connectAuthorization }
                configuration.proxy = .server(host: p.host, port: p.port, authorization: endpoint.clientAuthorization,
                                              connectHeaders: HTTPHeaders(connectHeaders))
            }
            if let host = key.serverNameHost, let serverName { configuration.dnsOverride = [serverName: host] }
            let c = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            pool[key] = c
            return c
        }
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
            case .invalidProxyResponse:
                return TransportError(prefix + "proxyconnect: the proxy refused the CONNECT request", kind: .connection)
            case .proxyAuthenticationRequired:
                return TransportError(prefix + "proxyconnect: Proxy Authentication Required", kind: .connection)
            case .bodyLengthMismatch:
                return TransportError("unexpected EOF", kind: .connection)
            default:
                break
            }
        }
        // The connection closed inside the body: Go's body read fails with a bare `unexpected EOF`
        // (Prometheus reports the scrape with just that).
        if text.contains("invalidEOFState") || text.contains("stream ended at an unexpected time") {
            return TransportError("unexpected EOF", kind: .connection)
        }
        // Too large, or (a gzip bomb) decompressing to more than the limit.
        if error is ResponseAccumulator.ResponseTooBigError || String(reflecting: error).contains("DecompressionError.limit") {
            return TransportError(prefix + "response body exceeds the limit", kind: .bodyTooLarge)
        }
        if let tls = tlsProblem(error, text: text) {
            return TransportError(prefix + tls, kind: .tls)
        }
        if let dial = dialProblem(error, host: host, port: port) {
            return TransportError(prefix + dial.message, kind: dial.kind)
        }
        if text.contains("Connection reset") {
            return TransportError(prefix + "read tcp \(address): connection reset by peer", kind: .connection)
        }
        return TransportError(prefix + text, kind: .other)
    }

    /// A failure to connect to `host`:`port` in the words of Go's dialer (`dial tcp HOST:PORT: connect:
    /// connection refused`, `dial tcp: lookup HOST: no such host`); nil when `error` is none of those.
    static func dialProblem(_ error: any Error, host: String, port: Int) -> TransportError? {
        let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        let text = String(describing: error)
        if let e = error as? ChannelError, case .connectTimeout = e {
            return TransportError("dial tcp \(address): i/o timeout", kind: .timeout)
        }
        if text.contains("Connection refused") || text.contains("connectionRefused") {
            return TransportError("dial tcp \(address): connect: connection refused", kind: .connection)
        }
        if text.contains("dnsAError") || text.contains("dnsAAAAError") || text.contains("NXDOMAIN") || text.contains("dns")
            || text.contains("UnknownHost") {
            return TransportError("dial tcp: lookup \(host): no such host", kind: .connection)
        }
        return nil
    }

    /// A TLS failure in Go's words where NIOSSL/BoringSSL lets us tell which it is; nil when not TLS.
    private static func tlsProblem(_ error: any Error, text: String) -> String? {
        if let e = error as? NIOSSLExtraError, e == .failedToValidateHostname {
            // `Couldn't find NAME in certificate from peer`: the name we asked for.
            let name = text.split(separator: " ").dropFirst().drop { $0 != "find" }.dropFirst().first.map(String.init) ?? ""
            return "tls: failed to verify certificate: x509: certificate is not valid for " + (name.isEmpty ? "the requested server name" : name)
        }
        guard error is NIOSSLError || error is NIOSSLExtraError || text.contains("NIOSSL") || text.contains("handshakeFailed")
                || text.contains("BoringSSL") else { return nil }
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return "tls: failed to verify certificate: x509: certificate signed by unknown authority (or expired, or not valid yet)"
        }
        let alerts = [("CERTIFICATE_REQUIRED", "certificate required"), ("BAD_CERTIFICATE", "bad certificate"),
                      ("UNKNOWN_CA", "unknown certificate authority"), ("HANDSHAKE_FAILURE", "handshake failure"),
                      ("PROTOCOL_VERSION", "protocol version not supported"), ("CERTIFICATE_EXPIRED", "expired certificate")]
        for (code, words) in alerts where text.contains("ALERT_" + code) { return "remote error: tls: " + words }
        if text.contains("WRONG_VERSION_NUMBER") || text.contains("UNSUPPORTED_PROTOCOL") {
            return "tls: first record does not look like a TLS handshake"
        }
        return "tls: " + text
    }

    static func hostAndPort(_ url: GoURL, defaultPort: Int) -> (String, Int) {
        let host = url.hostname
        var port = defaultPort
        let afterHost = url.host.hasPrefix("[") ? String(url.host.drop(while: { $0 != "]" }).dropFirst()) : url.host
        if let colon = afterHost.lastIndex(of: ":"), let p = Int(afterHost[afterHost.index(after: colon)...]) { port = p }
        return (host, port)
    }

    // MARK: - Settings from the HTTP client config

    /// `HTTP1Exchange`'s TLS for `server_name`: the transport's configuration with NIOSSL's hostname check
    /// off (it also accepts an IP SAN equal to the dialled address), Go's check done after the handshake.
    private static func exchangeTLS(_ tls: TLSConfiguration, serverName: String) throws(TransportError) -> HTTP1Exchange.TLS {
        var configuration = tls
        let verify = configuration.certificateVerification == .fullVerification
        if verify { configuration.certificateVerification = .noHostnameVerification }
        let context: NIOSSLContext
        do { context = try NIOSSLContext(configuration: configuration) } catch {
            throw TransportError("tls: \(error)")
        }
        // Go sends no SNI for an IP address (and NIOSSL refuses one).
        return HTTP1Exchange.TLS(context: context, serverHostname: parseIP(serverName) == nil ? serverName : nil,
                                 verifyName: verify ? serverName : nil)
    }

    /// The config's authentication, with prometheus/common's errors when it cannot be used.
    private static func authSource(_ config: HTTPClientConfig) throws(TransportError) -> AuthSource {
        if let a = config.authorization {
            do {
                return .credentials(type: a.effectiveType, try SecretSource.make(a.credentials.exposedValue, file: a.credentialsFile, ref: a.credentialsRef))
            } catch { throw error.prefixed("unable to use credentials") }
        }
        if !config.bearerToken.isEmpty || !config.bearerTokenFile.isEmpty {
            return .credentials(type: "Bearer", try SecretSource.make(config.bearerToken.exposedValue, file: config.bearerTokenFile, ref: ""))
        }
        if let b = config.basicAuth {
            let user: SecretSource?
            let password: SecretSource?
            do { user = try SecretSource.make(b.username, file: b.usernameFile, ref: b.usernameRef) } catch { throw error.prefixed("unable to use username") }
            do { password = try SecretSource.make(b.password.exposedValue, file: b.passwordFile, ref: b.passwordRef) } catch { throw error.prefixed("unable to use password") }
            return .basic(username: user, password: password)
        }
        if let o = config.oauth2 { return .oauth2(try OAuth2TokenSource(o)) }
        return .none
    }

    /// `http_headers`: values, secrets, and files (read at each request, so a rotated value is picked up).
    static func configHeaders(_ config: HTTPClientConfig) -> [(String, SecretSource)] {
        guard let h = config.httpHeaders else { return [] }
        var out: [(String, SecretSource)] = []
        for entry in h.headers.entries {
            let (name, header) = (entry.key, entry.value)
            for v in header.values { out.append((name, .inline(v))) }
            for s in header.secrets { out.append((name, .inline(s.exposedValue))) }
            for f in header.files { out.append((name, .file(f))) }
        }
        return out
    }

}


extension GoURL {
    /// The URL (credentials moved out) with its host replaced by `host`, keeping the port.
    func replacingHost(with host: String) -> String {
        let raw = withoutUserInfo
        let bytes = Array(raw.utf8)
        guard let colon = bytes.firstIndex(of: 0x3A), bytes.count > colon + 2, bytes[colon + 1] == 0x2F, bytes[colon + 2] == 0x2F else {
            return raw
        }
        let authorityStart = colon + 3
        var authorityEnd = authorityStart
        while authorityEnd < bytes.count, bytes[authorityEnd] != 0x2F, bytes[authorityEnd] != 0x3F, bytes[authorityEnd] != 0x23 {
            authorityEnd += 1
        }
        let authority = bytes[authorityStart..<authorityEnd]
        let hostEnd = authority.lastIndex(of: 0x5D) ?? authorityStart
        let port = authority[hostEnd...].lastIndex(of: 0x3A).map { Array(authority[$0...]) } ?? []
        let newHost = host.contains(":") ? "[" + host + "]" : host
        return String(decoding: bytes[..<authorityStart] + Array(newHost.utf8) + port + bytes[authorityEnd...], as: UTF8.self)
    }

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
