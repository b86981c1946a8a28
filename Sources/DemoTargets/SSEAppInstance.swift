import Prometheus
import Locking

/// One instance of the seed's SSE application: the metrics its alerts select (`sse_requests_total` by
/// `status`/`endpoint`/`method`, the `sse_request_duration_seconds` histogram, `sse_active_connections`,
/// `sse_cache_hits_total`/`sse_cache_misses_total` by `tier`), kept in a swift-prometheus registry and
/// served on `/admin/metrics`. Every scrape first simulates a burst of traffic, so counters grow between
/// scrapes and `rate()` over them is non-zero.
public final class SSEAppInstance: Sendable {
    public static let metricsPath = "/admin/metrics"
    static let endpoints = ["/events/stream", "/api/messages"]
    static let methods = ["GET", "POST"]
    static let statuses = ["success", "error", "timeout"]
    static let tiers = ["L1", "L2"]

    private let registry = PrometheusCollectorRegistry()
    private let random: SanitizedMutex<DemoRandom>
    private let activeConnections: Gauge

    /// `seed` makes instances differ (the demo uses the instance number).
    public init(seed: UInt64) {
        random = SanitizedMutex(DemoRandom(seed: seed))
        activeConnections = registry.makeGauge(descriptor: MetricNameDescriptor(
            metricName: "sse_active_connections", unitName: "",
            helpText: "Current number of open SSE connections."))
        // Every series exists from the start (at zero), as an instrumented app pre-registers them.
        for e in Self.endpoints {
            for m in Self.methods {
                for s in Self.statuses { _ = requests(endpoint: e, method: m, status: s) }
                _ = duration(endpoint: e, method: m)
            }
        }
        for t in Self.tiers {
            _ = cache(hit: true, tier: t)
            _ = cache(hit: false, tier: t)
        }
        simulateTraffic()
    }

    private func requests(endpoint: String, method: String, status: String) -> Counter {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(metricName: "sse_requests", unitName: "total", helpText: "Total requests received."),
            labels: [("endpoint", endpoint), ("method", method), ("status", status)])
    }

    private func duration(endpoint: String, method: String) -> DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(metricName: "sse_request_duration", unitName: "seconds",
                                             helpText: "Request latency."),
            labels: [("endpoint", endpoint), ("method", method)],
            buckets: [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                      .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10)])
    }

    private func cache(hit: Bool, tier: String) -> Counter {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(metricName: hit ? "sse_cache_hits" : "sse_cache_misses", unitName: "total",
                                             helpText: hit ? "Cache hits." : "Cache misses."),
            labels: [("tier", tier)])
    }

    /// 20–60 requests (about 3% failing), their latencies, cache lookups, and the open-connection gauge.
    func simulateTraffic() {
        random.withLock { r in
            for _ in 0..<r.int(20...60) {
                let endpoint = Self.endpoints[r.int(0...1)]
                let method = endpoint == "/events/stream" ? "GET" : Self.methods[r.int(0...1)]
                let roll = r.unit()
                let status = roll < 0.97 ? "success" : (roll < 0.99 ? "error" : "timeout")
                requests(endpoint: endpoint, method: method, status: status).increment()
                // Mostly fast, with a long tail.
                let millis = r.unit() < 0.9 ? r.int(2...180) : r.int(180...3000)
                duration(endpoint: endpoint, method: method).record(.milliseconds(millis))
                let tier = Self.tiers[r.int(0...1)]
                cache(hit: r.unit() < (tier == "L1" ? 0.9 : 0.7), tier: tier).increment()
            }
            activeConnections.set(to: Double(r.int(40...160)))
        }
    }

    /// The exposition after simulating the traffic since the last scrape.
    public func scrape() -> DemoResponse {
        simulateTraffic()
        return DemoResponse(contentType: DemoExposition.contentType, body: registry.emitToBuffer())
    }

    /// Serves `/admin/metrics`; other paths are 404.
    public func respond(path: String) -> DemoResponse? {
        path == Self.metricsPath ? scrape() : nil
    }
}

/// The text exposition format's media type, as client libraries send it.
public enum DemoExposition {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}
