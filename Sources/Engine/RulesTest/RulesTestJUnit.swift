#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// promtool's `--junit` XML (util/junitxml as Go's `xml.Encoder` writes it: one line, no declaration):
/// a `testsuite` per file, a `testcase` per test group that ran, a `failure` per failure, and an `error`
/// when the file could not be run at all.
public enum RulesTestJUnit {
    public static func xml(_ results: [RulesTestFileResult], timestamp: String = localTimestamp()) -> String {
        var out = "<testsuites>"
        for r in results {
            var cases: [(name: String, failures: [String], error: String?)] = r.groups.map { ($0.name, $0.failures.map(\.message), nil) }
            var errors = 0
            if let f = r.fileFailure {
                errors = 1
                if cases.isEmpty { cases.append(("unknown", [], nil)) }
                cases[cases.count - 1].error = f.message
            }
            let failureCount = cases.reduce(0) { $0 + $1.failures.count }
            out += "<testsuite name=\"\(escape(r.file))\" tests=\"\(cases.count)\" failures=\"\(failureCount)\" errors=\"\(errors)\" skipped=\"0\" timestamp=\"\(escape(timestamp))\">"
            for c in cases {
                out += "<testcase name=\"\(escape(c.name))\">"
                for f in c.failures { out += "<failure>\(escape(f))</failure>" }
                if let e = c.error { out += "<error>\(escape(e))</error>" }
                out += "</testcase>"
            }
            out += "</testsuite>"
        }
        return out + "</testsuites>"
    }

    /// Go's `xml.EscapeText`.
    static func escape(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\t": out += "&#x9;"
            case "\n": out += "&#xA;"
            case "\r": out += "&#xD;"
            default:
                let v = u.value
                let allowed = v == 0x09 || v == 0x0A || v == 0x0D || (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD) || v >= 0x10000
                if allowed { out.unicodeScalars.append(u) } else { out += "\u{FFFD}" }
            }
        }
        return out
    }

    /// Now in local time as `2006-01-02T15:04:05`.
    public static func localTimestamp() -> String {
        var now = time_t()
        time(&now)
        var parts = tm()
        localtime_r(&now, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }
}
