import GoCompat

/// A URL parsed with the rules and error texts of Go's `net/url.Parse`, which Prometheus uses for every
/// URL in its config (`proxy_url`, remote write `url`, SD server URLs).
public struct GoURL: Sendable, Hashable, CustomStringConvertible {
    /// The text as written.
    public var raw: String
    /// Lower-cased scheme, empty when there is none.
    public var scheme: String = ""
    /// The part after `scheme:` when it does not start with `/` (`mailto:x`).
    public var opaque: String = ""
    public var username: String?
    /// The userinfo password; kept out of `description` (Go's `Redacted`).
    public var password: Secret?
    /// `host[:port]`, unescaped.
    public var host: String = ""
    public var path: String = ""
    public var rawQuery: String = ""
    public var fragment: String = ""

    /// Parses `raw`, or returns Go's error text (`parse "RAW": missing protocol scheme`).
    public static func parse(_ raw: String) -> Result<GoURL, ConfigError> {
        var u = GoURL(raw: raw)
        var rest = raw
        var frag: Substring?
        if let i = rest.firstIndex(of: "#") {
            frag = rest[rest.index(after: i)...]
            rest = String(rest[..<i])
        }
        if let err = u.parseMain(rest) { return .failure(ConfigError("parse \(goQuote(raw)): \(err)")) }
        if let frag {
            switch unescape(String(frag), mode: .fragment) {
            case .success(let f): u.fragment = f
            case .failure(let e): return .failure(ConfigError("parse \(goQuote(raw)): \(e.message)"))
            }
        }
        return .success(u)
    }

    private mutating func parseMain(_ input: String) -> String? {
        if input.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "net/url: invalid control character in URL"
        }
        if input.isEmpty { return nil }
        if input == "*" { path = "*"; return nil }
        var rest = Substring(input)
        // Scheme: letters, then letters/digits/+-. up to the first ':'.
        var i = rest.startIndex
        schemeLoop: while i < rest.endIndex {
            let c = rest[i]
            if c.isASCII && c.isLetter {
            } else if c.isASCII && (c.isNumber || c == "+" || c == "-" || c == ".") {
                if i == rest.startIndex { break schemeLoop }
            } else if c == ":" {
                if i == rest.startIndex { return "missing protocol scheme" }
                scheme = rest[..<i].lowercased()
                rest = rest[rest.index(after: i)...]
                break schemeLoop
            } else {
                break schemeLoop
            }
            i = rest.index(after: i)
        }
        if rest.hasSuffix("?") && rest.filter({ $0 == "?" }).count == 1 {
            rest = rest.dropLast()
        } else if let q = rest.firstIndex(of: "?") {
            rawQuery = String(rest[rest.index(after: q)...])
            rest = rest[..<q]
        }
        if !rest.hasPrefix("/") {
            if !scheme.isEmpty {
                opaque = String(rest)
                return nil
            }
            let segment = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            if segment.contains(":") { return "first path segment in URL cannot contain colon" }
        }
        if (!scheme.isEmpty || !rest.hasPrefix("///")) && rest.hasPrefix("//") {
            let afterSlashes = rest.dropFirst(2)
            let authority: Substring
            if let slash = afterSlashes.firstIndex(of: "/") {
                authority = afterSlashes[..<slash]
                rest = afterSlashes[slash...]
            } else {
                authority = afterSlashes
                rest = ""
            }
            if let err = parseAuthority(String(authority)) { return err }
        }
        switch GoURL.unescape(String(rest), mode: .path) {
        case .success(let p): path = p
        case .failure(let e): return e.message
        }
        return nil
    }

    private mutating func parseAuthority(_ authority: String) -> String? {
        let hostPart: String
        var userinfo: String?
        if let at = authority.lastIndex(of: "@") {
            userinfo = String(authority[..<at])
            hostPart = String(authority[authority.index(after: at)...])
        } else {
            hostPart = authority
        }
        switch GoURL.parseHost(hostPart) {
        case .success(let h): host = h
        case .failure(let e): return e.message
        }
        guard let userinfo else { return nil }
        let allowed: Set<Character> = ["-", ".", "_", ":", "~", "!", "$", "&", "'", "(", ")", "*", "+", ",", ";", "=", "%", "@"]
        for c in userinfo where !(c.isASCII && (c.isLetter || c.isNumber)) && !allowed.contains(c) {
            return "net/url: invalid userinfo"
        }
        let parts = userinfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        switch GoURL.unescape(String(parts[0]), mode: .userPassword) {
        case .success(let s): username = s
        case .failure(let e): return e.message
        }
        if parts.count > 1 {
            switch GoURL.unescape(String(parts[1]), mode: .userPassword) {
            case .success(let s): password = Secret(s)
            case .failure(let e): return e.message
            }
        }
        return nil
    }

    private static func validOptionalPort(_ p: Substring) -> Bool {
        if p.isEmpty { return true }
        guard p.first == ":" else { return false }
        return p.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }
    }

    private static func parseHost(_ host: String) -> Result<String, ConfigError> {
        if host.hasPrefix("[") {
            guard let close = host.lastIndex(of: "]") else { return .failure(ConfigError("missing ']' in host")) }
            let colonPort = host[host.index(after: close)...]
            if !validOptionalPort(colonPort) {
                return .failure(ConfigError("invalid port \(goQuote(String(colonPort))) after host"))
            }
            return unescape(host, mode: .host)
        }
        if let colon = host.lastIndex(of: ":") {
            let colonPort = host[colon...]
            if !validOptionalPort(colonPort) {
                return .failure(ConfigError("invalid port \(goQuote(String(colonPort))) after host"))
            }
        }
        return unescape(host, mode: .host)
    }

    enum EscapeMode { case path, host, userPassword, fragment }

    private static func isHex(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
    }
    private static func hexValue(_ b: UInt8) -> UInt8 {
        if b >= 0x30 && b <= 0x39 { return b &- 0x30 }
        if b >= 0x41 && b <= 0x46 { return b &- 0x41 &+ 10 }
        return b &- 0x61 &+ 10
    }

    /// Characters a host may contain unescaped (Go's `shouldEscape` in host mode).
    private static func hostAllows(_ b: UInt8) -> Bool {
        if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) { return true }
        return Array("-_.~!$&'()*+,;=:[]<>\"".utf8).contains(b)
    }

    static func unescape(_ s: String, mode: EscapeMode) -> Result<String, ConfigError> {
        let b = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == 0x25 {
                guard i + 2 < b.count, isHex(b[i + 1]), isHex(b[i + 2]) else {
                    let end = min(b.count, i + 3)
                    let esc = String(decoding: b[i..<end], as: UTF8.self)
                    return .failure(ConfigError("invalid URL escape \(goQuote(esc))"))
                }
                if mode == .host && hexValue(b[i + 1]) < 8 && !(b[i + 1] == 0x32 && b[i + 2] == 0x35) {
                    let esc = String(decoding: b[i..<(i + 3)], as: UTF8.self)
                    return .failure(ConfigError("invalid URL escape \(goQuote(esc))"))
                }
                out.append(hexValue(b[i + 1]) << 4 | hexValue(b[i + 2]))
                i += 3
                continue
            }
            if mode == .host && c < 0x80 && !hostAllows(c) {
                let ch = String(decoding: [c], as: UTF8.self)
                return .failure(ConfigError("invalid character \(goQuote(ch)) in host name"))
            }
            out.append(c)
            i += 1
        }
        return .success(String(decoding: out, as: UTF8.self))
    }

    /// The host without its port (Go's `URL.Hostname`).
    public var hostname: String {
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            return String(host[host.index(after: host.startIndex)..<close])
        }
        if let colon = host.lastIndex(of: ":") { return String(host[..<colon]) }
        return host
    }

    /// The URL as written, with any password replaced by `xxxxx` (Go's `Redacted`).
    public var description: String {
        guard password != nil, let user = username else { return raw }
        var out = scheme.isEmpty ? "" : scheme + ":"
        out += "//" + user + ":xxxxx@" + host + path
        if !rawQuery.isEmpty { out += "?" + rawQuery }
        if !fragment.isEmpty { out += "#" + fragment }
        return out
    }

    public static func == (a: GoURL, b: GoURL) -> Bool { a.raw == b.raw }
    public func hash(into h: inout Hasher) { h.combine(raw) }
}

extension GoURL: YAMLDecodable {
    public static var goTypeName: String { "config.URL" }
    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        let s = try String(yaml: node, decoder: decoder)
        switch GoURL.parse(s) {
        case .success(let u): self = u
        case .failure(let e): throw ConfigError(e.message, at: node.mark)
        }
    }
}
