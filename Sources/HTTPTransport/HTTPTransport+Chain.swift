import ConfigModel
import GoCompat
import NIOCore
import NIOHTTP1

/// The requests `HTTPTransport` sends on SwiftNIO's own parts (`HTTP1Exchange`), and the redirect chain
/// they start, followed as Go's `http.Client` follows it: at most 10 requests, 301/302/303 turn a POST
/// into a GET without body, 307/308 repeat method and body, `Referer` from the previous URL (not from
/// https to http), the caller's credentials dropped when the chain leaves the first host's domain, the
/// config's credentials (Prometheus's round trippers) on every hop. Each hop is routed again: a hop
/// that AsyncHTTPClient can send as Go does goes through it (without its own redirects).
extension HTTPTransport {
    /// Go's `Client.Do` loop. Errors are final (`Get "URL": …`, the URL of the hop that failed). Futures
    /// on `loop` only (no task on the cooperative pool, which a busy scraper may hold).
    func followChain(_ request: TransportRequest, authorization: String?, deadline: NIODeadline,
                     on loop: any EventLoop) -> EventLoopFuture<TransportResponse> {
        follow(request, from: request, via: [], authorization: authorization, deadline: deadline, on: loop)
    }

    /// Sends `hop` (a request of the chain `request` started, after the requests `via`) and follows its redirect.
    private func follow(_ hop: TransportRequest, from request: TransportRequest, via: [GoURL], authorization: String?,
                        deadline: NIODeadline, on loop: any EventLoop) -> EventLoopFuture<TransportResponse> {
        var sent = hop
        if let previous = via.last, let referer = Self.referer(from: previous, to: hop.url) {
            sent.headers.append(("Referer", referer))
        }
        return sendHop(sent, op: request.method, authorization: authorization, deadline: deadline, on: loop).flatMap { response in
            let via = via + [hop.url]
            guard self.followRedirects, [301, 302, 303, 307, 308].contains(response.status),
                  let location = response.header("Location") else { return loop.makeSucceededFuture(response) }
            let prefix = "\(request.method.goName) \(goQuote(hop.url.description)): "
            let next: GoURL
            switch hop.url.resolvingReference(location) {
            case .success(let u): next = u
            case .failure(let e):
                return loop.makeFailedFuture(TransportError(prefix + "failed to parse Location header \(goQuote(location)): \(e.message)", kind: .other))
            }
            // Go's default CheckRedirect, with the Location as written in the error.
            if via.count >= 10 {
                return loop.makeFailedFuture(TransportError("\(request.method.goName) \(goQuote(location)): stopped after 10 redirects", kind: .other))
            }
            var nextHop = hop
            if response.status != 307 && response.status != 308 {
                nextHop.method = .get
                nextHop.body = []
            }
            if !Self.sameDomain(next.hostname, initial: request.url.hostname) {
                let sensitive: Set<String> = ["authorization", "www-authenticate", "cookie", "cookie2", "proxy-authorization", "proxy-authenticate"]
                nextHop.headers.removeAll { sensitive.contains($0.0.lowercased()) }
            }
            // A Host the caller chose is for the first URL only.
            nextHop.headers.removeAll { $0.0.lowercased() == "host" }
            nextHop.url = next
            return self.follow(nextHop, from: request, via: via, authorization: authorization, deadline: deadline, on: loop)
        }
    }

    /// One hop, routed for its URL; errors in Go's words with `op` (the chain's first method) and the hop's URL.
    private func sendHop(_ hop: TransportRequest, op: TransportRequest.Method, authorization: String?,
                         deadline: NIODeadline, on loop: any EventLoop) -> EventLoopFuture<TransportResponse> {
        let named = TransportRequest(method: op, url: hop.url)
        let prefix = "\(op.goName) \(goQuote(hop.url.description)): "
        let route = route(for: hop.url)
        let exchange: HTTP1Exchange
        do throws(TransportError) {
            switch route {
            case .library:
                return sendThroughLibrary(hop, authorization: authorization, deadline: deadline, on: loop, returnsRedirects: true)
                    .flatMapErrorThrowing { error -> TransportResponse in
                        if let e = error as? TransportError { throw TransportError(prefix + e.message, kind: e.kind) }
                        throw Self.describe(error, request: named)
                    }
            case .proxyForward(let proxy):
                exchange = try makeExchange(hop, authorization: authorization, deadline: deadline, proxy: proxy)
            case .serverNameTLS:
                exchange = try makeExchange(hop, authorization: authorization, deadline: deadline, proxy: nil)
            }
        } catch {
            return loop.makeFailedFuture(TransportError(prefix + error.message, kind: error.kind))
        }
        return exchange.run(on: loop).flatMapErrorThrowing { error -> TransportResponse in
            guard let failure = error as? HTTP1Exchange.Failure else { throw Self.describe(error, request: named) }
            switch failure {
            case .connect(let error):
                let dialled = Self.dialProblem(error, host: exchange.host, port: exchange.port)
                    ?? TransportError("dial tcp \(exchange.host):\(exchange.port): \(error)", kind: .connection)
                if case .proxyForward = route { throw TransportError(prefix + "proxyconnect tcp: " + dialled.message, kind: dialled.kind) }
                throw TransportError(prefix + dialled.message, kind: dialled.kind)
            case .deadline:
                throw TransportError(prefix + "context deadline exceeded", kind: .timeout)
            case .bodyTooLarge:
                throw TransportError(prefix + "response body exceeds the limit", kind: .bodyTooLarge)
            case .hostname(let problem):
                throw TransportError(prefix + "tls: failed to verify certificate: " + problem, kind: .tls)
            case .closed(let afterHead):
                // Inside the body Go's read fails with a bare `unexpected EOF`, as on the library path.
                if afterHead { throw TransportError("unexpected EOF", kind: .connection) }
                throw TransportError(prefix + "EOF", kind: .connection)
            }
        }
    }

    /// The exchange for `hop`: to `proxy` in absolute form with the proxy URL's `Proxy-Authorization`
    /// (`proxy_connect_header` is for CONNECT only, as in Go), or straight to the URL's host over TLS.
    private func makeExchange(_ hop: TransportRequest, authorization: String?, deadline: NIODeadline,
                              proxy: ProxySelector.Endpoint?) throws(TransportError) -> HTTP1Exchange {
        let given = try requestHeaders(hop, authorization: authorization)
        let host = given.first(name: "Host") ?? hop.url.host
        // Go writes Host first.
        var headers = NIOHTTP1.HTTPHeaders([("Host", host)])
        for (name, value) in given where name.lowercased() != "host" { headers.add(name: name, value: value) }
        let (hostname, port) = Self.hostAndPort(hop.url, defaultPort: hop.url.scheme == "https" ? 443 : 80)
        var uri = hop.url.requestURI
        if let proxy {
            uri = hop.url.scheme + "://" + host + uri
            if let credentials = proxy.authorization, !headers.contains(name: "Proxy-Authorization") {
                headers.add(name: "Proxy-Authorization", value: credentials)
            }
        }
        let head = HTTPRequestHead(version: .http1_1, method: hop.method.nio, uri: uri, headers: headers)
        return HTTP1Exchange(host: proxy?.host ?? hostname, port: proxy?.port ?? port, tls: proxy == nil ? serverNameTLS : nil,
                             head: head, body: hop.body, maxBodyBytes: maxBodyBytes, deadline: deadline)
    }

    /// Go's `refererForURL`: the previous URL without credentials, none from https to http.
    private static func referer(from last: GoURL, to next: GoURL) -> String? {
        if last.scheme == "https" && next.scheme == "http" { return nil }
        var referer = last.withoutUserInfo
        if let hash = referer.firstIndex(of: "#") { referer = String(referer[..<hash]) }
        return referer
    }

    /// Go's `isDomainOrSubdomain(sub, parent)`, for keeping sensitive headers on a redirect.
    private static func sameDomain(_ sub: String, initial parent: String) -> Bool {
        let s = sub.lowercased()
        let p = parent.lowercased()
        if s == p { return true }
        if parseIP(s) != nil || parseIP(p) != nil { return false }
        return s.hasSuffix("." + p)
    }
}

extension GoURL {
    /// Go's `URL.RequestURI`: the path (`/` when empty) and query, as written, without the fragment.
    var requestURI: String {
        let bytes = Array(raw.utf8)
        var start = 0
        if let colon = bytes.firstIndex(of: 0x3A), bytes.count > colon + 2, bytes[colon + 1] == 0x2F, bytes[colon + 2] == 0x2F {
            start = colon + 3
            while start < bytes.count, bytes[start] != 0x2F, bytes[start] != 0x3F, bytes[start] != 0x23 { start += 1 }
        }
        var end = start
        while end < bytes.count, bytes[end] != 0x23 { end += 1 }
        let rest = String(decoding: bytes[start..<end], as: UTF8.self)
        if rest.hasPrefix("/") { return rest }
        return "/" + rest
    }

    /// Go's `URL.ResolveReference` for a `Location` header: absolute, scheme-relative, absolute-path,
    /// query-only and relative-path references, dot segments removed.
    func resolvingReference(_ reference: String) -> Result<GoURL, ConfigError> {
        let ref = Array(reference.utf8)
        // A scheme: letters, digits, + - . before the first ':' that comes before any / ? #.
        if let colon = ref.firstIndex(of: 0x3A), colon > 0, !ref[..<colon].contains(where: { $0 == 0x2F || $0 == 0x3F || $0 == 0x23 }),
           ref[0].isASCIILetter {
            return GoURL.parse(reference)
        }
        if reference.hasPrefix("//") { return GoURL.parse(scheme + ":" + reference) }
        let base = scheme + "://" + authority
        var refPath = reference
        var suffix = ""
        if let cut = reference.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            refPath = String(reference[..<cut])
            suffix = String(reference[cut...])
        }
        let basePath = String(requestURI.prefix { $0 != "?" })
        if refPath.isEmpty {
            // `?q` keeps the path; `#f` alone keeps the query too.
            let query = requestURI.firstIndex(of: "?").map { String(requestURI[$0...]) } ?? ""
            return GoURL.parse(base + basePath + (suffix.hasPrefix("#") ? query : "") + suffix)
        }
        let full = refPath.hasPrefix("/") ? refPath : String(basePath[..<(basePath.lastIndex(of: "/").map { basePath.index(after: $0) } ?? basePath.startIndex)]) + refPath
        return GoURL.parse(base + Self.removingDotSegments(full) + suffix)
    }

    /// The authority as written (user info kept, as Go keeps `User` for a relative reference).
    private var authority: String {
        let bytes = Array(raw.utf8)
        guard let colon = bytes.firstIndex(of: 0x3A), bytes.count > colon + 2, bytes[colon + 1] == 0x2F, bytes[colon + 2] == 0x2F else {
            return host
        }
        var end = colon + 3
        while end < bytes.count, bytes[end] != 0x2F, bytes[end] != 0x3F, bytes[end] != 0x23 { end += 1 }
        return String(decoding: bytes[(colon + 3)..<end], as: UTF8.self)
    }

    /// Go's `resolvePath` clean-up: `.` and `..` segments removed, a trailing slash kept after them.
    private static func removingDotSegments(_ path: String) -> String {
        var out: [Substring] = []
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        var trailingSlash = false
        for (i, part) in parts.enumerated() {
            let last = i == parts.count - 1
            switch part {
            case ".":
                if last { trailingSlash = true }
            case "..":
                if !out.isEmpty { out.removeLast() }
                if last { trailingSlash = true }
            default:
                out.append(part)
            }
        }
        return "/" + out.joined(separator: "/") + (trailingSlash && !out.isEmpty ? "/" : "")
    }
}

private extension UInt8 {
    var isASCIILetter: Bool { (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self) }
}
