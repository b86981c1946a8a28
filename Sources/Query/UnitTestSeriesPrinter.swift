import GoCompat
import Engine

/// `query instant|range -o unittest` (ours, prometheus#11680): the result as the `interval` and
/// `input_series` of a `test rules` file, so a real incident becomes a unit test. Times become offsets
/// from the first step: a range query's steps are the test's `interval`; an instant query's sample is at 0.
/// Missing steps are `_`; stale markers `stale`. Native histogram samples are not expressible here yet and
/// are left out with a comment.
public enum UnitTestSeriesPrinter {
    public static func inputSeries(_ v: APIValue) -> String {
        switch v {
        case .scalar(_, let f):
            return header(interval: nil) + "  - series: '{}'\n    values: '\(number(f))'\n"
        case .string(_, let s):
            return "# A string result (\(ValuePrinter.jsonString(s))) has no series to test with.\n"
        case .vector(let samples):
            var out = header(interval: nil)
            var skipped = 0
            for s in samples ?? [] {
                if s.histogram != nil { skipped += 1; continue }
                out += entry(s.metric, [number(s.value)])
            }
            return out + skippedNote(skipped)
        case .matrix(let series):
            let all = ValuePrinter.sortedMatrix(series ?? [])
            let times = Set(all.flatMap { $0.values.map(\.timestamp) }).sorted()
            let step = zip(times, times.dropFirst()).map { $1 - $0 }.min() ?? 60_000
            let first = times.first ?? 0
            var out = header(interval: step)
            var skipped = 0
            for s in all {
                if s.values.isEmpty { skipped += 1; continue }
                var tokens: [String] = []
                var next = first
                for p in s.values {
                    let missing = step > 0 ? Int((p.timestamp - next) / step) : 0
                    if missing > 0 { tokens.append(missing == 1 ? "_" : "_x\(missing)") }
                    tokens.append(number(p.value))
                    next = p.timestamp &+ step
                }
                out += entry(s.metric, tokens)
            }
            return out + skippedNote(skipped)
        }
    }

    static func header(interval: Int64?) -> String {
        var out = "# promtool-swift query -o unittest: paste into a test of a `test rules` file.\n"
        if let interval { out += "interval: \(GoDuration(nanos: interval &* 1_000_000).promDuration)\n" }
        return out + "input_series:\n"
    }

    static func entry(_ m: APIMetric, _ tokens: [String]) -> String {
        let series = ValuePrinter.metric(m).replacingSingleQuotes
        return "  - series: '\(series)'\n    values: '\(tokens.joined(separator: " "))'\n"
    }

    static func skippedNote(_ n: Int) -> String {
        n == 0 ? "" : "# \(n) series with native histogram samples left out (not supported by -o unittest yet).\n"
    }

    /// A value in series notation: `stale` for Prometheus's stale marker, Go's shortest float text otherwise.
    static func number(_ v: Double) -> String {
        if isStaleNaN(v) { return "stale" }
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "Inf" : "-Inf" }
        return GoFloat.formatF(v)
    }
}

extension String {
    /// YAML single-quoted scalar escaping.
    var replacingSingleQuotes: String {
        var out = ""
        for c in self { out += c == "'" ? "''" : String(c) }
        return out
    }
}

extension GoDuration {
    /// Prometheus's duration form (`1m30s`, `15s`, `1h`), which `interval:` takes.
    var promDuration: String {
        var ms = nanos / 1_000_000
        if ms == 0 { return "0s" }
        var out = ""
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)] where ms >= size {
            out += "\(ms / size)\(unit)"
            ms %= size
        }
        return out
    }
}
