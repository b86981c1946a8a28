import ConfigModel

/// Prometheus's humanizing template functions and duration parsing.
public enum PrometheusHumanize {
    /// Go's float64→int64 conversion on amd64 (out-of-range and NaN give `Int64.min`).
    static func goInt64(_ v: Double) -> Int64 { YAMLInteger.goInt64(v) }

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

    /// Prometheus `model.ParseDuration` in milliseconds, nil when invalid (`PromDuration.parse` has the texts).
    public static func parsePromDuration(_ s: String) -> Int64? {
        guard case .success(let d) = PromDuration.parse(s) else { return nil }
        return d.milliseconds
    }
}
