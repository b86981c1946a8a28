import ConfigModel
import Engine
import Locking

/// `query … --config FILE [--scrapes N]` (ours): before the embedded engine answers, the config's targets
/// (static and file SD) are scraped `N` times on their jobs' schedules into the in-memory head, so a
/// question about live targets needs no Prometheus. Progress goes to stderr once scraping has taken more
/// than a second (then every five seconds); configuration problems are printed and the run goes on with
/// what can be scraped, as Prometheus does.
public enum ConfigScrape {
    /// Scrapes into `head`; false (after printing why) when the config cannot be used at all.
    public static func run(configPath: String, scrapes: Int, head: Head, fetcher: @escaping ScrapeLoop.FetcherFactory,
                           output: CommandOutput, clock: any ScrapeSchedulingClock = SystemScrapeClock(),
                           parallelism: Int = 64) async -> Bool {
        guard scrapes > 0 else {
            output.err("promtool: error: --scrapes must be at least 1, got \(scrapes), try --help\n")
            return false
        }
        let jobs: [ScrapeConfig]
        let seed: UInt64
        do {
            let config = try PrometheusConfig.load(path: configPath)
            jobs = try config.allScrapeConfigs()
            seed = ScrapeOffset.localSeed(externalLabels: Labels(config.global.externalLabels.map { ($0.name, $0.value) }))
        } catch {
            output.err("error loading config: \(error.positionedDescription(defaultFile: configPath))\n")
            return false
        }
        let loop = ScrapeLoop(jobs: jobs, head: head, fetcher: fetcher, clock: clock,
                              options: ScrapeLoop.Options(parallelism: parallelism, offsetSeed: seed))
        let found = loop.sync()
        for problem in found.problems { output.err("warning: \(problem)\n") }
        for m in found.runtimeMechanisms { output.err("warning: job \(m)_sd_configs targets are discovered at run time, not offline; not scraped\n") }
        guard found.active > 0 else {
            output.err("warning: no targets to scrape in \(configPath)\n")
            return true
        }
        let progress = Progress(total: found.active * scrapes, output: output)
        let summary = await loop.run(scrapesPerTarget: scrapes) { event in progress.scraped(up: event.report.up) }
        progress.finish(summary, targets: found.active)
        return true
    }

    /// Throttled progress lines on stderr.
    final class Progress: Sendable {
        private struct State {
            var done = 0
            var failed = 0
            var lastLine: Double
            var printed = false
        }

        private let total: Int
        private let output: CommandOutput
        private let started: Double
        private let state: SanitizedMutex<State>

        init(total: Int, output: CommandOutput) {
            self.total = total
            self.output = output
            started = ScrapeClock.monotonicSeconds()
            state = SanitizedMutex(State(lastLine: started))
        }

        func scraped(up: Bool) {
            let now = ScrapeClock.monotonicSeconds()
            let line: String? = state.withLock { s in
                s.done += 1
                if !up { s.failed += 1 }
                // The first line after a second, then one every five.
                guard now - s.lastLine >= (s.printed ? 5 : 1) else { return nil }
                s.lastLine = now
                s.printed = true
                return "scraping: \(s.done)/\(total) scrapes done, \(s.failed) failed\n"
            }
            if let line { output.err(line) }
        }

        func finish(_ summary: ScrapeLoop.RunSummary, targets: Int) {
            let long = ScrapeClock.monotonicSeconds() - started >= 1
            guard long || state.withLock({ $0.printed }) else { return }
            output.err("scraped \(targets) targets: \(summary.scrapes) scrapes, \(summary.failed) failed, \(summary.samples) samples\n")
        }
    }
}
