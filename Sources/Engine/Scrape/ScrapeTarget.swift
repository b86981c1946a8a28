import ConfigModel

/// A target ready to scrape: the URL Prometheus builds from its labels (`Target.URL`), its interval and
/// timeout, and the labels every series scraped from it carries (the non-`__` labels after relabelling).
public struct ScrapeTarget: Sendable, Equatable {
    /// `scheme://address/metrics_path?params` (query keys sorted, values escaped as Go's `url.Values.Encode`).
    public var url: String
    /// The labels after relabelling, internal ones included (`__address__`, `__scheme__`, …).
    public var allLabels: [String: String]
    /// The labels attached to scraped series: `allLabels` without those starting with `__`.
    public var labels: [String: String]
    public var interval: PromDuration
    public var timeout: PromDuration

    /// Nil for a dropped or invalid target (those have no labels).
    public init?(_ target: PopulatedTarget, job: ScrapeConfig) {
        guard target.error == nil, !target.labels.isEmpty else { return nil }
        let l = target.labels
        allLabels = l
        labels = l.filter { !$0.key.hasPrefix("__") }
        interval = (try? PromDuration.parse(l["__scrape_interval__"] ?? "").get()) ?? job.scrapeInterval
        timeout = (try? PromDuration.parse(l["__scrape_timeout__"] ?? "").get()) ?? job.scrapeTimeout
        var params: [String: [String]] = [:]
        for p in job.params { params[p.key] = p.value }
        for (name, value) in l where name.hasPrefix("__param_") {
            let key = String(name.dropFirst("__param_".count))
            if var values = params[key], !values.isEmpty {
                values[0] = value
                params[key] = values
            } else {
                params[key] = [value]
            }
        }
        let query = params.keys.sorted().flatMap { k in (params[k] ?? []).map { "\(Self.queryEscape(k))=\(Self.queryEscape($0))" } }
            .joined(separator: "&")
        var path = l["__metrics_path__"] ?? ""
        if !path.isEmpty && !path.hasPrefix("/") { path = "/" + path }
        url = "\(l["__scheme__"] ?? "http")://\(l["__address__"] ?? "")\(path)" + (query.isEmpty ? "" : "?" + query)
    }

    /// Prometheus's `Target.boolLabel`: the internal label `name` (e.g. `__scrape_native_histograms__`,
    /// which relabelling may set per target) as a Go bool, or `fallback` when it is unset or not one.
    public func flag(_ name: String, default fallback: Bool) -> Bool {
        guard let v = allLabels[name], !v.isEmpty else { return fallback }
        return PopulatedTarget.parseGoBool(v) ?? fallback
    }

    /// Go's `url.QueryEscape`: unreserved bytes kept, space as `+`, everything else `%XX`.
    static func queryEscape(_ s: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for b in s.utf8 {
            switch b {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x5F, 0x2E, 0x7E: out.append(b)
            case 0x20: out.append(0x2B)
            default: out += [0x25, hex[Int(b >> 4)], hex[Int(b & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
