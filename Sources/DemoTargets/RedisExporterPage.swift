import Prometheus
import Locking

/// What a redis_exporter serves on `/metrics`: the `redis_*` series the seed's dashboards read
/// (`redis_connected_clients`, `redis_used_memory_bytes`, `redis_commands_processed_total`) and a few
/// more of the exporter's usual ones, moving on every scrape.
public final class RedisExporterPage: Sendable {
    public static let metricsPath = "/metrics"

    private let registry: PrometheusCollectorRegistry
    private let random: SanitizedMutex<DemoRandom>
    private let up: Gauge
    private let clients: Gauge
    private let memory: Gauge
    private let commands: Counter
    private let hits: Counter
    private let misses: Counter

    public init(seed: UInt64 = 6379) {
        random = SanitizedMutex(DemoRandom(seed: seed))
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        func gauge(_ name: String, _ unit: String, _ help: String) -> Gauge {
            registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: unit, helpText: help))
        }
        func counter(_ name: String, _ help: String) -> Counter {
            registry.makeCounter(descriptor: MetricNameDescriptor(metricName: name, unitName: "total", helpText: help))
        }
        up = gauge("redis_up", "", "Information about the Redis instance")
        clients = gauge("redis_connected_clients", "", "connected_clients metric")
        memory = gauge("redis_used_memory", "bytes", "used_memory metric")
        commands = counter("redis_commands_processed", "commands_processed_total metric")
        hits = counter("redis_keyspace_hits", "keyspace_hits metric")
        misses = counter("redis_keyspace_misses", "keyspace_misses metric")
        up.set(to: 1)
        advance()
    }

    private func advance() {
        random.withLock { r in
            clients.set(to: Double(r.int(8...40)))
            memory.set(to: Double(r.int(1_500_000...2_500_000)))
            let n = r.int(200...900)
            commands.increment(by: Int64(n))
            let h = r.int(0...n)
            hits.increment(by: Int64(h))
            misses.increment(by: Int64(n - h))
        }
    }

    public func scrape() -> DemoResponse {
        advance()
        return DemoResponse(contentType: DemoExposition.contentType, body: registry.emitToBuffer())
    }

    public func respond(path: String) -> DemoResponse? {
        path == Self.metricsPath ? scrape() : nil
    }
}
