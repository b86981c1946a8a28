import ArgumentParser
import DemoTargets
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `promtool-swift-demo`: serves the seed's scrape targets on 127.0.0.1 until interrupted, for trying
/// `check config --probe` and `check service-discovery --scrape` on `testdata/demo/prometheus.yml`.
@main
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promtool-swift-demo",
        abstract: "Serve the seed's scrape targets on 127.0.0.1: three SSE app instances, NGINX stub_status, a redis exporter.",
        discussion: "The default ports are the ones testdata/demo/prometheus.yml scrapes. Stop with Ctrl-C."
    )

    @Option(name: .customLong("app-ports"), help: "Comma-separated ports of the three SSE app instances (/admin/metrics).")
    var appPorts = DemoSetup.Ports.standard.apps.map(String.init).joined(separator: ",")

    @Option(name: .customLong("nginx-port"), help: "Port of the NGINX stub_status page (/nginx-status).")
    var nginxPort = DemoSetup.Ports.standard.nginx

    @Option(name: .customLong("redis-port"), help: "Port of the redis exporter (/metrics).")
    var redisPort = DemoSetup.Ports.standard.redis

    func validate() throws {
        _ = try ports()
    }

    private func ports() throws -> DemoSetup.Ports {
        let apps = appPorts.split(separator: ",").map { Int($0.filter { $0 != " " }) }
        guard apps.count == 3, apps.allSatisfy({ $0.map { (0...65535).contains($0) } ?? false }) else {
            throw ValidationError("--app-ports takes three ports separated by commas, not \"\(appPorts)\"")
        }
        for p in [nginxPort, redisPort] where !(0...65535).contains(p) {
            throw ValidationError("port \(p) is out of range 0-65535")
        }
        return DemoSetup.Ports(apps: apps.compactMap { $0 }, nginx: nginxPort, redis: redisPort)
    }

    func run() async throws {
        let setup: DemoSetup
        do {
            setup = try await DemoSetup.start(ports: try ports())
        } catch {
            throw ValidationError("cannot start the demo servers: \(error)")
        }
        print(setup.summary)
        // Shown at once even when stdout is a pipe or a file (the demo is often started in the background).
        fflush(nil)
        await setup.apps[0].waitUntilClosed()
    }
}
