import ArgumentParser
import Engine
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `promql ...`: PromQL utilities.
struct PromQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promql",
        abstract: "PromQL formatting and editing.",
        subcommands: [PromQLFormat.self]
    )
}

/// `promql format EXPR`: prints the expression prettified, as `promtool promql format` does.
struct PromQLFormat: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "format",
        abstract: "Format PromQL query to pretty printed form."
    )

    @Option(name: .customLong("enable-feature"), help: "Comma separated feature names to enable.")
    var enableFeature: [String] = []

    @Argument(help: "PromQL query.")
    var query: String

    func run() throws {
        let opts = ParserOptions(enableFeatures: enableFeature.flatMap { $0.split(separator: ",") })
        do {
            let expr = try PromQLParser.parse(query, options: opts)
            print(expr.prettyPrint())
        } catch {
            let msg = Array((error.description + "\n").utf8)
            _ = msg.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            throw ExitCode(1)
        }
    }
}
