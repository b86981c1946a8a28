import ArgumentParser
import ConfigModel
import Engine
import Query
import ScrapeHTTP

/// `check service-discovery CONFIG JOB`: the job's targets as promtool 3.14 prints them (static and file
/// targets; other mechanisms are named on stderr as discovered at run time). `--scrape` is ours.
struct CheckServiceDiscoveryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service-discovery",
        abstract: "Perform service discovery for the given job name and report the results, including relabeling."
    )

    @Argument(help: "The prometheus config file.")
    var configFile: String

    @Argument(help: "The job to run service discovery for.")
    var job: String

    @Option(help: "The time to wait for discovery results (static and file targets are read at once).")
    var timeout: String = "30s"

    @Flag(help: "Also scrape each target once and report up, its series count after metric_relabel_configs, and the error.")
    var scrape = false

    func validate() throws {
        if case .failure(let e) = PromDuration.parse(timeout) {
            throw ValidationError("invalid value for --timeout: \(e.message)")
        }
    }

    func run() async throws {
        var factory: ServiceDiscoveryCheck.FetcherFactory?
        if scrape {
            factory = { @Sendable job throws(ScrapeFetchError) -> any ScrapeFetcher in try TransportScrapeFetcher(job: job) }
        }
        let now = QueryTime.now().millis
        let out = await ServiceDiscoveryCheck.run(configPath: configFile, job: job, scrape: factory, now: now)
        if !out.stderr.isEmpty { Output.write(fd: 2, out.stderr) }
        if !out.stdout.isEmpty { Output.write(fd: 1, out.stdout) }
        if out.exitCode != 0 { throw ExitCode(out.exitCode) }
    }
}
