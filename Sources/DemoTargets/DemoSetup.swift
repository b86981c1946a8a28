/// The seed's five scrape targets on one host: three SSE app instances, NGINX's stub_status and a redis
/// exporter, each on its own port (the seed has them on separate hosts; here they share 127.0.0.1).
public final class DemoSetup: Sendable {
    /// Where the demo listens unless told otherwise; `testdata/demo/prometheus.yml` points at these.
    public struct Ports: Sendable, Equatable {
        public var apps: [Int]
        public var nginx: Int
        public var redis: Int

        public init(apps: [Int], nginx: Int, redis: Int) {
            self.apps = apps
            self.nginx = nginx
            self.redis = redis
        }

        /// 18001–18003 for the app instances, 18080 for NGINX, 19121 for the redis exporter.
        public static let standard = Ports(apps: [18001, 18002, 18003], nginx: 18080, redis: 19121)
        /// Ports the system chooses (tests).
        public static let anyFree = Ports(apps: [0, 0, 0], nginx: 0, redis: 0)
    }

    public let apps: [DemoHTTPServer]
    public let nginx: DemoHTTPServer
    public let redis: DemoHTTPServer

    /// Starts every server; if one cannot bind, those already started are stopped and the error is thrown.
    public static func start(host: String = "127.0.0.1", ports: Ports = .standard) async throws -> DemoSetup {
        var started: [DemoHTTPServer] = []
        do {
            for (i, port) in ports.apps.enumerated() {
                let app = SSEAppInstance(seed: UInt64(i + 1))
                started.append(try await DemoHTTPServer(host: host, port: port, respond: app.respond(path:)))
            }
            let stub = NginxStubStatus()
            let nginx = try await DemoHTTPServer(host: host, port: ports.nginx, respond: stub.respond(path:))
            started.append(nginx)
            let exporter = RedisExporterPage()
            let redis = try await DemoHTTPServer(host: host, port: ports.redis, respond: exporter.respond(path:))
            return DemoSetup(apps: Array(started.prefix(ports.apps.count)), nginx: nginx, redis: redis)
        } catch {
            for s in started { await s.stop() }
            throw error
        }
    }

    private init(apps: [DemoHTTPServer], nginx: DemoHTTPServer, redis: DemoHTTPServer) {
        self.apps = apps
        self.nginx = nginx
        self.redis = redis
    }

    public var all: [DemoHTTPServer] { apps + [nginx, redis] }

    public func stop() async {
        for s in all { await s.stop() }
    }

    /// One line per server: what it serves and where.
    public var summary: String {
        var lines = apps.enumerated().map { "sse-application instance \($0.offset + 1): http://\($0.element.address)\(SSEAppInstance.metricsPath)" }
        lines.append("nginx stub_status:           http://\(nginx.address)\(NginxStubStatus.path)")
        lines.append("redis exporter:              http://\(redis.address)\(RedisExporterPage.metricsPath)")
        return lines.joined(separator: "\n")
    }
}
