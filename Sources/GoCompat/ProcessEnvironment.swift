#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process environment (Go's `os.Environ`) as a dictionary: for `NO_COLOR`/`TERM` in reporters and
/// `HTTP_PROXY`/`HTTPS_PROXY`/`NO_PROXY` in the HTTP transport.
public enum ProcessEnvironment {
    public static func current() -> [String: String] {
        var out: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { out[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        return out
    }
}
