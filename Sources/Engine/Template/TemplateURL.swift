#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import GoCompat

/// Go `net/url` and `net` helpers used by template functions.
enum TemplateURL {
    /// Go `url.QueryEscape`.
    static func queryEscape(_ s: String) -> String {
        var out: [UInt8] = []
        let hex = Array("0123456789ABCDEF".utf8)
        for c in s.utf8 {
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                 UInt8(ascii: "~"):
                out.append(c)
            case UInt8(ascii: " "):
                out.append(UInt8(ascii: "+"))
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(c >> 4)])
                out.append(hex[Int(c & 15)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Percent-decoding of a URL path; nil on a malformed escape.
    static func pathUnescape(_ s: String) -> String? {
        let b = Array(s.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "%") {
                guard i + 2 < b.count, let h = GoStrconv.hexValue(b[i + 1]), let l = GoStrconv.hexValue(b[i + 2]) else { return nil }
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Go `net.SplitHostPort`; nil on error.
    static func splitHostPort(_ hp: String) -> (host: String, port: String)? {
        let b = Array(hp.utf8)
        guard let i = b.lastIndex(of: UInt8(ascii: ":")) else { return nil }
        var j = 0
        var k = 0
        let host: [UInt8]
        if b.first == UInt8(ascii: "[") {
            guard let end = b.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            if end + 1 == b.count { return nil }
            if end + 1 != i { return nil }
            host = Array(b[1..<end])
            j = 1
            k = end + 1
        } else {
            host = Array(b[..<i])
            if host.contains(UInt8(ascii: ":")) { return nil }
        }
        if b[j...].contains(UInt8(ascii: "[")) { return nil }
        if b[k...].contains(UInt8(ascii: "]")) { return nil }
        return (String(decoding: host, as: UTF8.self), String(decoding: b[(i + 1)...], as: UTF8.self))
    }

    /// Go `net.JoinHostPort`.
    static func joinHostPort(_ host: String, _ port: String) -> String {
        host.contains(":") ? "[" + host + "]:" + port : host + ":" + port
    }

    /// Whether Go's `net.ParseIP` accepts `s`.
    static func isIP(_ s: String) -> Bool {
        if s.contains(":") {
            if s.contains("%") { return false }
            var addr = in6_addr()
            return inet_pton(AF_INET6, s, &addr) == 1
        }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for p in parts {
            guard !p.isEmpty, p.count <= 3, p.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            if p.count > 1 && p.first == "0" { return false }
            guard let v = Int(p), v <= 255 else { return false }
        }
        return true
    }
}
