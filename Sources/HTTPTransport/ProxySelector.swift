#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AsyncHTTPClient
import ConfigModel

/// Which proxy (if any) a request goes through, with the rules Prometheus's client follows:
/// `proxy_url` alone proxies every request (Go's `http.ProxyURL`); `proxy_url` with `no_proxy`, and
/// `proxy_from_environment`, follow `golang.org/x/net/http/httpproxy` (`HTTP_PROXY`, `HTTPS_PROXY`,
/// `NO_PROXY` and their lower-case forms; never for `localhost` or loopback addresses; `NO_PROXY`
/// entries as IPs, CIDRs, `domain`, `.domain`, `*.domain`, each with an optional port, or `*`).
struct ProxySelector: Sendable {
    /// A proxy to send a request through.
    struct Endpoint: Sendable, Hashable {
        var host: String
        var port: Int
        /// `Proxy-Authorization` from the proxy URL's user info (`Basic …`), as Go's transport sends it.
        var authorization: String?

        /// AsyncHTTPClient's form of `authorization` (its proxy takes `Basic` or `Bearer` credentials).
        var clientAuthorization: HTTPClient.Authorization? {
            guard let authorization else { return nil }
            if authorization.hasPrefix("Basic ") { return .basic(credentials: String(authorization.dropFirst(6))) }
            if authorization.hasPrefix("Bearer ") { return .bearer(tokens: String(authorization.dropFirst(7))) }
            return nil
        }
    }

    private enum Mode: Sendable {
        case none
        /// Every request, whatever its host.
        case always(Endpoint)
        /// httpproxy's rules.
        case rules(http: Endpoint?, https: Endpoint?, noProxy: NoProxy)
    }

    private let mode: Mode

    /// - Parameter environment: the process environment (read only when `proxy_from_environment` is set).
    init(_ config: ProxyConfig, environment: [String: String]) throws(TransportError) {
        if config.proxyFromEnvironment {
            func env(_ upper: String) -> String { environment[upper].flatMap { $0.isEmpty ? nil : $0 } ?? environment[upper.lowercased()] ?? "" }
            // A CGI process must not take HTTP_PROXY from the request (httpoxy), as in Go.
            let cgi = !(environment["REQUEST_METHOD"] ?? "").isEmpty
            mode = .rules(http: cgi ? nil : try Self.parseProxy(env("HTTP_PROXY")),
                          https: try Self.parseProxy(env("HTTPS_PROXY")),
                          noProxy: NoProxy(env("NO_PROXY")))
        } else if let u = config.proxyURL, !u.raw.isEmpty {
            guard let endpoint = try Self.endpoint(u) else { mode = .none; return }
            mode = config.noProxy.isEmpty ? .always(endpoint) : .rules(http: endpoint, https: endpoint, noProxy: NoProxy(config.noProxy))
        } else {
            mode = .none
        }
    }

    /// The proxy for a request to `url`, or nil to connect directly.
    func proxy(for url: GoURL) -> Endpoint? {
        switch mode {
        case .none: return nil
        case .always(let e): return e
        case .rules(let http, let https, let noProxy):
            let endpoint = url.scheme == "https" ? https : (url.scheme == "http" ? http : nil)
            guard let endpoint else { return nil }
            let (host, port) = HTTPTransport.hostAndPort(url, defaultPort: url.scheme == "https" ? 443 : 80)
            return noProxy.useProxy(host: host.lowercased(), port: String(port)) ? endpoint : nil
        }
    }

    /// httpproxy's `parseProxy`: empty is none; a value without a known scheme is read as `http://…`.
    private static func parseProxy(_ s: String) throws(TransportError) -> Endpoint? {
        if s.isEmpty { return nil }
        if case .success(let u) = GoURL.parse(s), ["http", "https", "socks5", "socks5h"].contains(u.scheme) {
            return try endpoint(u)
        }
        switch GoURL.parse("http://" + s) {
        case .success(let u): return try endpoint(u)
        case .failure: throw TransportError("invalid proxy address \(s.debugDescription)")
        }
    }

    private static func endpoint(_ u: GoURL) throws(TransportError) -> Endpoint? {
        guard u.scheme == "http" else {
            throw TransportError("proxy: only http:// proxies are supported by promtool-swift's HTTP transport, not \(u.scheme)://")
        }
        let (host, port) = HTTPTransport.hostAndPort(u, defaultPort: 80)
        var authorization: String?
        if let user = u.username {
            authorization = HTTPClient.Authorization.basic(username: user, password: u.password?.exposedValue ?? "").headerValue
        }
        return Endpoint(host: host, port: port, authorization: authorization)
    }

    /// `NO_PROXY` as httpproxy parses it.
    struct NoProxy: Sendable {
        private enum Matcher: Sendable {
            case all
            case ip([UInt8], port: String)
            case cidr([UInt8], prefix: Int)
            /// `.suffix` (with its leading dot); `matchHost` also matches the bare domain.
            case domain(String, port: String, matchHost: Bool)
        }
        private var matchers: [Matcher] = []

        init(_ list: String) {
            for raw in list.split(separator: ",", omittingEmptySubsequences: false) {
                let p = String(raw).trimmingGoSpace().lowercased()
                if p.isEmpty { continue }
                if p == "*" { matchers = [.all]; return }
                if let slash = p.firstIndex(of: "/"), let ip = parseIP(String(p[..<slash])),
                   let bits = Int(p[p.index(after: slash)...]), bits >= 0 {
                    // A v4 prefix counts in the v4 part of the 16-byte form.
                    let isV4 = !p.contains(":")
                    let prefix = isV4 ? bits + 96 : bits
                    if prefix <= 128 { matchers.append(.cidr(ip, prefix: prefix)); continue }
                }
                var host = p
                var port = ""
                if let (h, pt) = splitHostPort(p) {
                    if h.isEmpty { continue }
                    host = h
                    port = pt
                }
                if let ip = parseIP(host) { matchers.append(.ip(ip, port: port)); continue }
                if host.hasPrefix("*.") { host.removeFirst() }
                var matchHost = false
                if !host.hasPrefix(".") { matchHost = true; host = "." + host }
                matchers.append(.domain(host, port: port, matchHost: matchHost))
            }
        }

        /// False when the request must connect directly.
        func useProxy(host: String, port: String) -> Bool {
            if host == "localhost" { return false }
            let ip = parseIP(host)
            if let ip, isLoopback(ip) { return false }
            for m in matchers {
                switch m {
                case .all: return false
                case .ip(let want, let p):
                    if let ip, ip == want, p.isEmpty || p == port { return false }
                case .cidr(let net, let prefix):
                    if let ip, Self.contains(net, prefix: prefix, ip) { return false }
                case .domain(let suffix, let p, let matchHost):
                    if host.hasSuffix(suffix) || (matchHost && host == suffix.dropFirst()) {
                        if p.isEmpty || p == port { return false }
                    }
                }
            }
            return true
        }

        private static func contains(_ net: [UInt8], prefix: Int, _ ip: [UInt8]) -> Bool {
            var bits = prefix
            for i in 0..<16 where bits > 0 {
                let take = min(8, bits)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
                if net[i] & mask != ip[i] & mask { return false }
                bits -= take
            }
            return true
        }
    }
}

/// `net.SplitHostPort` for `host:port` and `[v6]:port`; nil when there is no port.
private func splitHostPort(_ s: String) -> (String, String)? {
    if s.hasPrefix("[") {
        guard let close = s.firstIndex(of: "]") else { return nil }
        let rest = s[s.index(after: close)...]
        guard rest.hasPrefix(":") else { return nil }
        return (String(s[s.index(after: s.startIndex)..<close]), String(rest.dropFirst()))
    }
    guard let colon = s.lastIndex(of: ":"), s.firstIndex(of: ":") == colon else { return nil }
    return (String(s[..<colon]), String(s[s.index(after: colon)...]))
}

/// An IPv4 or IPv6 address as Go's 16-byte form (v4 as `::ffff:a.b.c.d`), or nil.
func parseIP(_ s: String) -> [UInt8]? {
    var v4 = in_addr()
    if inet_pton(AF_INET, s, &v4) == 1 {
        return [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF] + withUnsafeBytes(of: &v4) { Array($0) }
    }
    var v6 = in6_addr()
    if inet_pton(AF_INET6, s, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
    return nil
}

/// 127.0.0.0/8 or ::1.
private func isLoopback(_ ip: [UInt8]) -> Bool {
    if ip[0..<12].elementsEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]) { return ip[12] == 127 }
    return ip == [UInt8](repeating: 0, count: 15) + [1]
}
