import Locking

/// NGINX's `stub_status` page as the seed's NGINX serves it on `/nginx-status`: plain text that is not a
/// Prometheus exposition (Prometheus needs nginx-prometheus-exporter in front of it to read it).
public final class NginxStubStatus: Sendable {
    public static let path = "/nginx-status"

    private struct Counts {
        var random: DemoRandom
        var accepts = 0
        var requests = 0
    }
    private let counts: SanitizedMutex<Counts>

    public init(seed: UInt64 = 80) { counts = SanitizedMutex(Counts(random: DemoRandom(seed: seed))) }

    /// The page, as ngx_http_stub_status_module prints it (trailing spaces included).
    public func page() -> String {
        counts.withLock { c in
            c.accepts += c.random.int(1...5)
            c.requests += c.random.int(5...40)
            let reading = c.random.int(0...2), writing = c.random.int(1...3), waiting = c.random.int(0...6)
            return """
            Active connections: \(reading + writing + waiting) 
            server accepts handled requests
             \(c.accepts) \(c.accepts) \(c.requests) 
            Reading: \(reading) Writing: \(writing) Waiting: \(waiting) 

            """
        }
    }

    public func respond(path: String) -> DemoResponse? {
        path == Self.path ? DemoResponse(contentType: "text/plain", text: page()) : nil
    }
}
