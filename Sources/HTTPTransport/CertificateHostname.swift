import NIOSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Go's `x509.Certificate.VerifyHostname`: is the server's certificate valid for the name the client
/// asked for (`server_name`, else the URL's host)? Go looks only at the certificate: an IP address is
/// matched against the IP SANs, a name against the DNS SANs (exactly, or with a leading `*.` wildcard).
/// NIOSSL's own check also accepts an IP SAN equal to the connected socket's address, whatever name was
/// asked for, so the transport turns that check off and runs this one after BoringSSL validated the chain.
enum CertificateHostname {
    /// A certificate's subject alternative names as Go's `Certificate` holds them.
    struct Names: Sendable, Equatable {
        var dnsNames: [String]
        /// Each in Go's 16-byte form (`::ffff:a.b.c.d` for IPv4).
        var ipAddresses: [[UInt8]]

        init(dnsNames: [String], ipAddresses: [[UInt8]]) {
            self.dnsNames = dnsNames
            self.ipAddresses = ipAddresses
        }

        init(_ certificate: NIOSSLCertificate) {
            var dns: [String] = []
            var ips: [[UInt8]] = []
            for name in certificate._subjectAlternativeNames() {
                switch name.nameType {
                case .dnsName:
                    dns.append(String(decoding: Array(name.contents), as: UTF8.self))
                case .ipAddress:
                    let bytes = Array(name.contents)
                    if bytes.count == 4 {
                        ips.append([UInt8](repeating: 0, count: 10) + [0xFF, 0xFF] + bytes)
                    } else if bytes.count == 16 {
                        ips.append(bytes)
                    }
                default:
                    break
                }
            }
            self.init(dnsNames: dns, ipAddresses: ips)
        }
    }

    /// nil when `names` are valid for `host`, else Go's `HostnameError` text (`x509: certificate is valid
    /// for a.example, b.example, not c.example`). Go's `certificate relies on legacy Common Name field`
    /// variant needs the subject's CN, which NIOSSL does not expose: a certificate without SANs gets
    /// the `not valid for any names` text.
    static func verify(_ names: Names, host: String) -> String? {
        var candidateIP = host
        if host.utf8.count >= 3, host.hasPrefix("["), host.hasSuffix("]") {
            candidateIP = String(host.dropFirst().dropLast())
        }
        if let ip = parseIP(candidateIP) {
            if names.ipAddresses.contains(ip) { return nil }
            return error(names, host: candidateIP)
        }
        let candidate = lowerASCII(host)
        let validCandidate = validHostname(candidate, isPattern: false)
        for pattern in names.dnsNames {
            if validCandidate && validHostname(pattern, isPattern: true) {
                if matchHostnames(pattern, candidate) { return nil }
            } else if matchExactly(pattern, candidate) {
                return nil
            }
        }
        return error(names, host: host)
    }

    /// `HostnameError.Error()`.
    private static func error(_ names: Names, host: String) -> String {
        var valid: String
        if parseIP(host) != nil {
            if names.ipAddresses.isEmpty {
                return "x509: cannot validate certificate for \(host) because it doesn't contain any IP SANs"
            }
            valid = names.ipAddresses.map(ipString).joined(separator: ", ")
        } else {
            valid = names.dnsNames.joined(separator: ", ")
        }
        if valid.isEmpty { return "x509: certificate is not valid for any names, but wanted to match \(host)" }
        return "x509: certificate is valid for \(valid), not \(host)"
    }

    /// Go's `validHostname`: letters, digits, `-` (not first), `_`; a leading `*` label only in a pattern.
    private static func validHostname(_ name: String, isPattern: Bool) -> Bool {
        var host = Substring(name)
        if !isPattern, host.hasSuffix(".") { host = host.dropLast() }
        if host.isEmpty || host == "*" { return false }
        for (i, part) in host.split(separator: ".", omittingEmptySubsequences: false).enumerated() {
            if part.isEmpty { return false }
            if isPattern, i == 0, part == "*" { continue }
            for (j, c) in part.utf8.enumerated() {
                switch c {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                     UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                    continue
                case UInt8(ascii: "-") where j != 0:
                    continue
                default:
                    return false
                }
            }
        }
        return true
    }

    /// Go's `matchHostnames`: label by label, a `*` first label matching any one label.
    private static func matchHostnames(_ pattern: String, _ host: String) -> Bool {
        let p = lowerASCII(pattern)
        var h = Substring(lowerASCII(host))
        if h.hasSuffix(".") { h = h.dropLast() }
        if p.isEmpty || h.isEmpty { return false }
        let patternParts = p.split(separator: ".", omittingEmptySubsequences: false)
        let hostParts = h.split(separator: ".", omittingEmptySubsequences: false)
        if patternParts.count != hostParts.count { return false }
        for (i, part) in patternParts.enumerated() {
            if i == 0 && part == "*" { continue }
            if part != hostParts[i] { return false }
        }
        return true
    }

    private static func matchExactly(_ a: String, _ b: String) -> Bool {
        if a.isEmpty || a == "." || b.isEmpty || b == "." { return false }
        return lowerASCII(a) == lowerASCII(b)
    }

    private static func lowerASCII(_ s: String) -> String {
        String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    /// Go's `net.IP.String()`: dotted for IPv4 (and v4-mapped), RFC 5952 for IPv6.
    static func ipString(_ ip: [UInt8]) -> String {
        if ip.count == 16, ip[0..<12].elementsEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]) {
            return ip[12...].map { String($0) }.joined(separator: ".")
        }
        guard ip.count == 16 else { return "?" }
        var addr = in6_addr()
        withUnsafeMutableBytes(of: &addr) { raw in
            for (i, b) in ip.enumerated() { raw[i] = b }
        }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &addr, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
