/// Prometheus's humanizing template functions and duration parsing.
public enum PrometheusHumanize {
    /// Go's float64→int64 conversion on amd64 (out-of-range and NaN give `Int64.min`).
    static func goInt64(_ v: Double) -> Int64 {
        if v.isNaN || v >= 9.223372036854775808e18 || v < -9.223372036854775808e18 { return Int64.min }
        return Int64(v)
    }

    private static func g4(_ v: Double) -> String { TemplateFormat.formatFloat(v, "g", 4) }

    /// `humanize`: metric prefixes with 4 significant digits.
    public static func humanize(_ v0: Double) -> String {
        var v = v0
        if v == 0 || v.isNaN || v.isInfinite { return g4(v) }
        if abs(v) >= 1 {
            var prefix = ""
            for p in ["k", "M", "G", "T", "P", "E", "Z", "Y"] {
                if abs(v) < 1000 { break }
                prefix = p
                v /= 1000
            }
            return g4(v) + prefix
        }
        var prefix = ""
        for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
            if abs(v) >= 1 { break }
            prefix = p
            v *= 1000
        }
        return g4(v) + prefix
    }

    /// `humanize1024`: binary prefixes.
    public static func humanize1024(_ v0: Double) -> String {
        var v = v0
        if abs(v) <= 1 || v.isNaN || v.isInfinite { return g4(v) }
        var prefix = ""
        for p in ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"] {
            if abs(v) < 1024 { break }
            prefix = p
            v /= 1024
        }
        return g4(v) + prefix
    }

    /// `humanizeDuration`: seconds to `1d 2h 3m 4s` or sub-second units.
    public static func humanizeDuration(_ v0: Double) -> String {
        var v = v0
        if v.isNaN || v.isInfinite { return g4(v) }
        if v == 0 { return g4(v) + "s" }
        if abs(v) >= 1 {
            var sign = ""
            if v < 0 {
                sign = "-"
                v = -v
            }
            let duration = goInt64(v)
            let seconds = duration % 60
            let minutes = (duration / 60) % 60
            let hours = (duration / 60 / 60) % 24
            let days = duration / 60 / 60 / 24
            if days != 0 { return "\(sign)\(days)d \(hours)h \(minutes)m \(seconds)s" }
            if hours != 0 { return "\(sign)\(hours)h \(minutes)m \(seconds)s" }
            if minutes != 0 { return "\(sign)\(minutes)m \(seconds)s" }
            return sign + g4(v) + "s"
        }
        var prefix = ""
        for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
            if abs(v) >= 1 { break }
            prefix = p
            v *= 1000
        }
        return g4(v) + prefix + "s"
    }

    /// Prometheus `model.ParseDuration` (units y w d h m s ms, each at most once, in order); milliseconds.
    public static func parsePromDuration(_ s: String) -> Int64? {
        if s == "0" { return 0 }
        if s.isEmpty { return nil }
        let units: [(String, Int64)] = [("y", 365 * 24 * 3_600_000), ("w", 7 * 24 * 3_600_000), ("d", 24 * 3_600_000),
                                        ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)]
        let b = Array(s.utf8)
        var i = 0
        var next = 0
        var total: Int64 = 0
        while i < b.count {
            var n: Int64 = 0
            var digits = 0
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                let (m, o1) = n.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(b[i] - 0x30))
                if o1 || o2 { return nil }
                n = a
                i += 1
                digits += 1
            }
            guard digits > 0 else { return nil }
            var unitEnd = i
            while unitEnd < b.count, !(b[unitEnd] >= 0x30 && b[unitEnd] <= 0x39) { unitEnd += 1 }
            let unit = String(decoding: b[i..<unitEnd], as: UTF8.self)
            guard let idx = units.firstIndex(where: { $0.0 == unit }), idx >= next else { return nil }
            next = idx + 1
            let (m, o1) = n.multipliedReportingOverflow(by: units[idx].1)
            let (a, o2) = total.addingReportingOverflow(m)
            if o1 || o2 { return nil }
            total = a
            i = unitEnd
        }
        return total
    }
}
