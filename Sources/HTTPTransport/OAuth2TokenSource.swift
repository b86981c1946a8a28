import AsyncHTTPClient
import ConfigModel
import GoCompat
import NIOCore
import Locking

/// OAuth 2.0 client credentials (RFC 6749 §4.4) as prometheus/common's `oauth2RoundTripper` with
/// `golang.org/x/oauth2/clientcredentials` does it: a form POST to `token_url` (`grant_type`, `scope`,
/// `endpoint_params`), the client authenticated with HTTP basic auth first and in the form body if that
/// fails (remembered once one works), the token reused until 10 s before `expires_in` runs out, and
/// fetched again when the client secret (file) changes. Requests that need a token while one is being
/// fetched wait for that fetch instead of starting their own (Go's `ReuseTokenSource` holds its lock
/// across the fetch), so concurrent first requests make one token request. The token endpoint has its own `tls_config` and
/// proxy settings. Errors read as Go's (`oauth2: "invalid_client"`,
/// `oauth2: cannot fetch token: 401 Unauthorized\nResponse: …`); they never contain the secret or token.
final class OAuth2TokenSource: Sendable {
    struct Token: Sendable {
        var header: String
        /// Nil: never expires (no `expires_in`).
        var expiry: ContinuousClock.Instant?
        var secret: String
    }

    private enum AuthStyle: Sendable { case inHeader, inParams }

    /// The token fetch under way, which requests for the same client secret join.
    private struct Pending: Sendable {
        var secret: String
        var header: EventLoopFuture<String>
    }

    private struct State: Sendable {
        var token: Token?
        var style: AuthStyle?
        var pending: Pending?
    }

    /// What a request does for its token: use the cached one, join the fetch under way, or make it.
    private enum Step {
        case cached(String)
        case join(EventLoopFuture<String>)
        case fetch(EventLoopPromise<String>, AuthStyle?)
    }

    private let config: OAuth2
    private let secret: SecretSource
    /// The token endpoint's client, or why it could not be made (reported at the first request, as Go does).
    private let transport: Result<HTTPTransport, TransportError>
    private let state = SanitizedMutex(State())

    /// Go's `expiryDelta`: a token this close to its expiry is already renewed.
    static let expiryDelta = Duration.seconds(10)
    /// Go reads at most 1 MiB of a token response.
    static let maxResponseBytes = 1 << 20

    init(_ config: OAuth2) throws(TransportError) {
        if config.grantType == OAuth2.jwtBearerGrantType {
            throw TransportError("oauth2: grant_type \(config.grantType) is not supported by promtool-swift's HTTP transport")
        }
        do {
            secret = try SecretSource.make(config.clientSecret.exposedValue, file: config.clientSecretFile, ref: config.clientSecretRef) ?? .inline("")
        } catch {
            throw error.prefixed("unable to use client secret")
        }
        self.config = config
        var endpointConfig = HTTPClientConfig()
        endpointConfig.tlsConfig = config.tlsConfig
        endpointConfig.proxy = config.proxy
        do {
            transport = .success(try HTTPTransport(config: endpointConfig, maxBodyBytes: Self.maxResponseBytes))
        } catch {
            transport = .failure(error)
        }
    }

    func shutdown() {
        if case .success(let t) = transport { t.shutdown() }
    }

    /// The `Authorization` header value (`Bearer TOKEN`), from the cache or a new token.
    func authorization(userAgent: String?, deadline: NIODeadline, on eventLoop: any EventLoop) -> EventLoopFuture<String> {
        let clientSecret: String
        do { clientSecret = try secret.read() } catch {
            return eventLoop.makeFailedFuture(error.prefixed("unable to read oauth2 client secret"))
        }
        let step = state.withLock { s -> Step in
            if let cached = s.token, cached.secret == clientSecret, cached.expiry.map({ $0 - Self.expiryDelta > .now }) ?? true {
                return .cached(cached.header)
            }
            if let pending = s.pending, pending.secret == clientSecret { return .join(pending.header) }
            let promise = eventLoop.makePromise(of: String.self)
            s.pending = Pending(secret: clientSecret, header: promise.futureResult)
            return .fetch(promise, s.style)
        }
        switch step {
        case .cached(let header):
            return eventLoop.makeSucceededFuture(header)
        case .join(let header):
            return header.hop(to: eventLoop)
        case .fetch(let promise, let style):
            let fetched = fetchToken(secret: clientSecret, style: style, userAgent: userAgent, deadline: deadline, on: eventLoop)
            fetched.whenComplete { result in
                self.state.withLock { s in
                    if s.pending?.header == promise.futureResult { s.pending = nil }
                }
                promise.completeWith(result)
            }
            return promise.futureResult
        }
    }

    /// Requests a token (the secret in the header first, then in the form, until one style works) and
    /// caches it.
    private func fetchToken(secret clientSecret: String, style: AuthStyle?, userAgent: String?, deadline: NIODeadline,
                            on eventLoop: any EventLoop) -> EventLoopFuture<String> {
        let transport: HTTPTransport
        switch self.transport {
        case .success(let t): transport = t
        case .failure(let e): return eventLoop.makeFailedFuture(e)
        }
        var form: [(String, String)] = [("grant_type", "client_credentials")]
        if !config.scopes.isEmpty { form.append(("scope", config.scopes.joined(separator: " "))) }
        for p in config.endpointParams {
            if let i = form.firstIndex(where: { $0.0 == p.key }) {
                guard p.key == "grant_type" else {
                    return eventLoop.makeFailedFuture(TransportError("oauth2: cannot overwrite parameter \(goQuote(p.key))", kind: .other))
                }
                form.remove(at: i)
            }
            form.append((p.key, p.value))
        }
        let params = form
        let first = fetch(transport, form: params, secret: clientSecret, style: style ?? .inHeader, userAgent: userAgent, deadline: deadline)
        let fetched: EventLoopFuture<(Token, AuthStyle)>
        if style == nil {
            // The first time, a failure with the secret in the header is retried with it in the form.
            fetched = first.flatMapError { _ in
                self.fetch(transport, form: params, secret: clientSecret, style: .inParams, userAgent: userAgent, deadline: deadline)
            }
        } else {
            fetched = first
        }
        return fetched.hop(to: eventLoop).map { token, used in
            self.state.withLock { s in
                s.token = token
                s.style = used
            }
            return token.header
        }
    }

    private func fetch(_ transport: HTTPTransport, form: [(String, String)], secret: String, style: AuthStyle,
                       userAgent: String?, deadline: NIODeadline) -> EventLoopFuture<(Token, AuthStyle)> {
        var form = form
        var headers = [("Content-Type", "application/x-www-form-urlencoded")]
        switch style {
        case .inHeader:
            let auth = HTTPClient.Authorization.basic(username: GoURLEscape.query(config.clientID), password: GoURLEscape.query(secret))
            headers.append(("Authorization", auth.headerValue))
        case .inParams:
            if !config.clientID.isEmpty { form.append(("client_id", config.clientID)) }
            if !secret.isEmpty { form.append(("client_secret", secret)) }
        }
        if let userAgent { headers.append(("User-Agent", userAgent)) }
        let url: GoURL
        switch GoURL.parse(config.tokenURL) {
        case .success(let u): url = u
        case .failure(let e): return transport.eventLoop.makeFailedFuture(TransportError(e.message, kind: .other))
        }
        let request = TransportRequest(method: .post, url: url, headers: headers, body: Array(GoURLEscape.form(form).utf8))
        return transport.execute(request, deadline: deadline).flatMapThrowing { response in
            (try Self.token(from: response, secret: secret), style)
        }
    }

    /// Go's `doTokenRoundTrip`: a form or JSON body; an error status or an `error` field is a `RetrieveError`.
    static func token(from r: TransportResponse, secret: String) throws(TransportError) -> Token {
        let failureStatus = r.status < 200 || r.status > 299
        let mediaType = (r.header("Content-Type") ?? "").split(separator: ";", maxSplits: 1).first
            .map { String($0).trimmingGoSpace().lowercased() } ?? ""
        var fields: [String: String] = [:]
        var expiresIn: Int64 = 0
        if mediaType == "application/x-www-form-urlencoded" || mediaType == "text/plain" {
            for pair in String(decoding: r.body, as: UTF8.self).split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = formUnescape(kv[0])
                if fields[key] == nil { fields[key] = kv.count > 1 ? formUnescape(kv[1]) : "" }
            }
            expiresIn = Int64(fields["expires_in"] ?? "") ?? 0
        } else {
            let root: Node
            do { root = try JSONReader.parse(r.body) } catch {
                if failureStatus { throw retrieveError(r, fields: [:]) }
                throw TransportError("oauth2: cannot parse json: \(error.message)", kind: .other)
            }
            if case .mapping(let pairs) = root.content {
                for p in pairs {
                    guard let key = p.key.scalarValue, case .scalar(let v, let style) = p.value.content else { continue }
                    if key == "expires_in" {
                        // A number, or a number in a string (Go's expirationTime); anything else is no expiry.
                        expiresIn = Int64(v) ?? Double(v).flatMap { $0.isFinite && abs($0) < 1e15 ? Int64($0) : nil } ?? 0
                    } else if style == .doubleQuoted {
                        fields[key] = v
                    }
                }
            }
        }
        if failureStatus || !(fields["error"] ?? "").isEmpty { throw retrieveError(r, fields: fields) }
        guard let access = fields["access_token"], !access.isEmpty else {
            throw TransportError("oauth2: server response missing access_token", kind: .other)
        }
        let type = fields["token_type"] ?? ""
        let normalised: String
        switch type.lowercased() {
        case "bearer", "": normalised = "Bearer"
        case "mac": normalised = "MAC"
        case "basic": normalised = "Basic"
        default: normalised = type
        }
        let expiry = expiresIn > 0 ? ContinuousClock.now + .seconds(min(expiresIn, Int64(Int32.max))) : nil
        return Token(header: normalised + " " + access, expiry: expiry, secret: secret)
    }

    /// `oauth2.RetrieveError`'s text. The body is the server's own answer (it has no secret of ours).
    private static func retrieveError(_ r: TransportResponse, fields: [String: String]) -> TransportError {
        if let code = fields["error"], !code.isEmpty {
            var s = "oauth2: " + goQuote(code)
            if let d = fields["error_description"], !d.isEmpty { s += " " + goQuote(d) }
            if let u = fields["error_uri"], !u.isEmpty { s += " " + goQuote(u) }
            return TransportError(s, kind: .other)
        }
        return TransportError("oauth2: cannot fetch token: \(r.statusText)\nResponse: \(String(decoding: r.body, as: UTF8.self))", kind: .other)
    }

    /// `url.QueryUnescape` for one form key or value (`+` is a space; a bad escape is kept as written).
    private static func formUnescape(_ s: Substring) -> String {
        let b = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x41...0x46: return c - 0x41 + 10
            case 0x61...0x66: return c - 0x61 + 10
            default: return nil
            }
        }
        while i < b.count {
            if b[i] == 0x25, i + 2 < b.count, let h = hex(b[i + 1]), let l = hex(b[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(b[i] == 0x2B ? 0x20 : b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
