import ArgumentParser
import Engine
import GoCompat
import Query

/// `tsdb bench ...`: promtool 3.14's benchmarks.
struct TSDBBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Run benchmarks.", subcommands: [TSDBBenchWrite.self])
}

/// `tsdb bench write [--out] [--metrics] [--scrapes] [FILE]`: the work is `WriteBenchmark`'s; this prints promtool's
/// stage lines around it.
struct TSDBBenchWrite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write",
        abstract: "Run a write performance benchmark.",
        discussion: """
            Writes OUT/storage (a WAL, uncompressed as promtool writes it; no blocks: compaction is off, as in \
            promtool). promtool also writes Go pprof profiles (cpu.prof, mem.prof, block.prof, mutex.prof) into OUT; \
            promtool-swift is not a Go program and writes none of them.
            """
    )

    static let defaultFile = "../../tsdb/testdata/20kseries.json"

    @Option(help: "Set the output path.")
    var out = "benchout"

    @Option(help: "Number of metrics to read.")
    var metrics = 10000

    @Option(help: "Number of scrapes to simulate.")
    var scrapes = 3000

    @Argument(help: "Input file with samples data, default is (\(TSDBBenchWrite.defaultFile)).")
    var file = TSDBBenchWrite.defaultFile

    func run() throws {
        do {
            let outPath = try WriteBenchmark.prepareOutput(out)
            let bench = try WriteBenchmark(storage: outPath + "/storage")
            var series: [Labels] = []
            try Self.stage("readData") { () throws(BenchWriteError) in
                series = try BenchSeriesFile.read(path: file, limit: metrics)
            }
            var total: UInt64 = 0
            let seconds = try Self.stage("ingestScrapes") { () throws(BenchWriteError) in
                total = try bench.ingest(series, scrapes: scrapes)
                Output.out("ingestion completed")
            }
            Output.out(" > total samples: \(total)")
            Output.out(" > samples/sec: " + GoFloat.formatV(Double(total) / seconds))
            try Self.stage("stopStorage") { () throws(BenchWriteError) in try bench.close() }
        } catch {
            Output.err(error.description)
            throw ExitCode(1)
        }
    }

    /// promtool's `measureTime`: the start line, the work, the completion line with a Go duration. Returns seconds.
    @discardableResult
    static func stage(_ name: String, _ body: () throws(BenchWriteError) -> Void) throws(BenchWriteError) -> Double {
        Output.out(">> start stage=\(name)")
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        let nanos = elapsed.components.seconds &* 1_000_000_000 &+ elapsed.components.attoseconds / 1_000_000_000
        Output.out(">> completed stage=\(name) duration=\(GoDuration(nanos: nanos).description)")
        return Double(nanos) / 1e9
    }
}
