import ArgumentParser
import Query

/// `check healthy` and `check ready`: GET `/-/healthy` or `/-/ready` of a Prometheus server.
struct CheckServerOptions: ParsableArguments {
    @Option(name: .customLong("http.config.file"), help: "HTTP client configuration file, see details at https://prometheus.io/docs/prometheus/latest/configuration/promtool")
    var httpConfigFile: String?

    @Option(help: "The URL for the Prometheus server.")
    var url: String = "http://localhost:9090"

    func check(_ endpoint: String) throws {
        let c = RemoteQuery.Connection(server: url, httpConfigFile: httpConfigFile, timeout: .seconds(10))
        try finish(RemoteQuery.checkServer(c, endpoint: endpoint, output: standardStreams))
    }
}

struct CheckHealthyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "healthy", abstract: "Check if the Prometheus server is healthy.")

    @OptionGroup var options: CheckServerOptions

    func run() throws { try options.check("/-/healthy") }
}

struct CheckReadyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ready", abstract: "Check if the Prometheus server is ready.")

    @OptionGroup var options: CheckServerOptions

    func run() throws { try options.check("/-/ready") }
}
