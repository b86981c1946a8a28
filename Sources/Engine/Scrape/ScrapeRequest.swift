import ConfigModel

/// The GET Prometheus sends for one scrape (`targetScraper.scrape`), described without an HTTP library.
public struct ScrapeRequest: Sendable {
    public var url: String
    /// In the order Prometheus adds them: Accept, Accept-Encoding, User-Agent, X-Prometheus-Scrape-Timeout-Seconds.
    public var headers: [(String, String)]
    public var timeout: PromDuration
    /// A body this long or longer fails the scrape (`body_size_limit`; 0: no limit).
    public var bodySizeLimit: Int64

    /// The User-Agent of our scrapes.
    public static let userAgent = "promtool-swift/0.1.0"

    public init(target: ScrapeTarget, job: ScrapeConfig) {
        url = target.url
        timeout = target.timeout
        bodySizeLimit = job.bodySizeLimit.bytes
        let protocols = (job.scrapeProtocols ?? ScrapeProtocol.defaults.map { ScrapeProtocol($0) }).map(\.name)
        headers = [
            ("Accept", Self.acceptHeader(protocols, escaping: job.metricNameEscapingScheme.isEmpty ? "allow-utf-8" : job.metricNameEscapingScheme)),
            ("Accept-Encoding", job.enableCompression ? "gzip" : "identity"),
            ("User-Agent", Self.userAgent),
            ("X-Prometheus-Scrape-Timeout-Seconds", Self.seconds(target.timeout)),
        ]
    }

    /// The media type each `scrape_protocols` name asks for.
    static let mediaTypes: [String: String] = [
        "PrometheusProto": "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited",
        "PrometheusText0.0.4": "text/plain;version=0.0.4",
        "PrometheusText1.0.0": "text/plain;version=1.0.0",
        "OpenMetricsText0.0.1": "application/openmetrics-text;version=0.0.1",
        "OpenMetricsText1.0.0": "application/openmetrics-text;version=1.0.0",
    ]

    /// Prometheus's `acceptHeader`: each protocol in order with falling q-weights, escaping on the 1.0.0
    /// text formats, then `*/*` at the lowest weight.
    public static func acceptHeader(_ protocols: [String], escaping: String) -> String {
        var weight = mediaTypes.count + 1
        var values: [String] = []
        for p in protocols {
            var v = mediaTypes[p] ?? p
            if p == "PrometheusText1.0.0" || p == "OpenMetricsText1.0.0" { v += ";escaping=" + escaping }
            values.append(v + ";q=0.\(weight)")
            weight -= 1
        }
        values.append("*/*;q=0.\(weight)")
        return values.joined(separator: ",")
    }

    /// Go's `strconv.FormatFloat(d.Seconds(), 'f', -1, 64)`: `10`, `0.5`, `1.25`.
    static func seconds(_ d: PromDuration) -> String {
        let ms = d.milliseconds
        let whole = ms / 1000, frac = ms % 1000
        guard frac != 0 else { return String(whole) }
        var digits = String(frac)
        while digits.count < 3 { digits = "0" + digits }
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }
}
