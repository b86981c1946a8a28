import GoCompat
import ConfigModel

/// `check service-discovery CONFIG JOB`: the job's targets before and after relabelling, printed as
/// promtool 3.14 prints them (`cmd/promtool/sd.go`), for the mechanisms that work offline.
public enum ServiceDiscoveryCheck {
    /// What the command prints and its exit code.
    public struct Outcome: Sendable {
        public var stdout: String
        public var stderr: String
        public var exitCode: Int32
    }

    /// One entry of the JSON array: promtool's `sdCheckResult`.
    public struct Entry: Sendable, Equatable {
        public var discoveredLabels: [String: String]
        public var labels: [String: String]
        public var error: String?
        /// Ours (`--scrape`): the result of scraping the target once; nil when not scraped.
        public var scrape: ScrapeReport?
    }

    /// Makes the fetcher a job's scrapes go through (the CLI passes the HTTP one).
    public typealias FetcherFactory = @Sendable (ScrapeConfig) throws(ScrapeFetchError) -> any ScrapeFetcher

    /// Loads `configPath`, finds `job` and builds its entries; problems go to `stderr` as promtool words them.
    /// With `scrape`, every kept target is also scraped once (concurrently, at most `parallelism` at a time)
    /// and its entry gets a `scrape` object: `up`, `series` after `metric_relabel_configs`, `error`.
    public static func run(configPath: String, job jobName: String, scrape: FetcherFactory? = nil,
                           now: Int64 = 0, parallelism: Int = 16) async -> Outcome {
        let config: PrometheusConfig
        do {
            config = try PrometheusConfig.load(path: configPath)
        } catch {
            return Outcome(stdout: "", stderr: "Cannot load config \(error.positionedDescription(defaultFile: configPath))\n", exitCode: 1)
        }
        let jobs: [ScrapeConfig]
        do {
            jobs = try config.allScrapeConfigs()
        } catch {
            return Outcome(stdout: "", stderr: "Cannot load scrape configs \(error.positionedDescription(defaultFile: configPath))\n", exitCode: 1)
        }
        guard let job = jobs.first(where: { $0.jobName == jobName }) else {
            var text = "Job \(jobName) not found. Select one of:\n"
            for j in jobs { text += "\t\(j.jobName)\n" }
            return Outcome(stdout: "", stderr: text, exitCode: 1)
        }
        let targets = JobTargets.discover(job)
        var stderr = ""
        for e in targets.fileErrors { stderr += "file_sd: \(e.positionedDescription(defaultFile: configPath))\n" }
        for m in targets.runtimeMechanisms {
            stderr += "job \(goQuote(jobName)): \(m)_sd_configs targets are discovered at run time, not offline; not listed\n"
        }
        var list = entries(targets)
        if let scrape {
            do throws(ScrapeFetchError) {
                let fetcher = try scrape(job)
                list = await scrapeAll(list, job: job, fetcher: fetcher, now: now, parallelism: parallelism)
            } catch {
                return Outcome(stdout: "", stderr: stderr + "\(error.message)\n", exitCode: 1)
            }
        }
        return Outcome(stdout: render(list), stderr: stderr, exitCode: 0)
    }

    /// promtool's `getSDCheckResult` per discovery source: identical entries of one source are listed once.
    public static func entries(_ targets: JobTargets) -> [Entry] {
        var out: [Entry] = []
        let builder = PopulatedTarget.Builder(job: targets.job)
        for group in targets.groups {
            var seen: [Entry] = []
            for t in group.targets {
                let p = builder.populate(target: t, group: group.labels)
                let e = Entry(discoveredLabels: p.discoveredLabels, labels: p.labels, error: p.error)
                if !seen.contains(e) { seen.append(e) }
            }
            out += seen
        }
        return out
    }

    /// Scrapes each entry's target once into a scratch head; dropped and invalid targets are left as they are.
    public static func scrapeAll(_ entries: [Entry], job: ScrapeConfig, fetcher: any ScrapeFetcher, now: Int64, parallelism: Int) async -> [Entry] {
        let head = Head()
        var out = entries
        await withTaskGroup(of: (Int, ScrapeReport?).self) { group in
            var next = 0
            func startNext(_ group: inout TaskGroup<(Int, ScrapeReport?)>) {
                while next < entries.count {
                    let i = next
                    next += 1
                    let populated = PopulatedTarget(discoveredLabels: entries[i].discoveredLabels, labels: entries[i].labels, error: entries[i].error)
                    guard let target = ScrapeTarget(populated, job: job) else { continue }
                    group.addTask { (i, await TargetScraper(target: target, job: job, head: head, fetcher: fetcher).scrape(at: now)) }
                    return
                }
            }
            for _ in 0..<max(1, parallelism) { startNext(&group) }
            while let (i, report) = await group.next() {
                out[i].scrape = report
                startNext(&group)
            }
        }
        return out
    }

    /// Go's `json.MarshalIndent(results, "", "  ")`: label maps with sorted keys; an error marshals as
    /// `{}` (Go's error values have no exported fields), and nothing follows the closing bracket.
    public static func render(_ entries: [Entry]) -> String {
        guard !entries.isEmpty else { return "[]" }
        func object(_ labels: [String: String], indent: String) -> String {
            guard !labels.isEmpty else { return "{}" }
            let body = labels.sorted { $0.key < $1.key }
                .map { "\(indent)  \(goJSONString($0.key)): \(goJSONString($0.value))" }
                .joined(separator: ",\n")
            return "{\n\(body)\n\(indent)}"
        }
        let items = entries.map { e -> String in
            var fields = [
                "    \"discoveredLabels\": \(object(e.discoveredLabels, indent: "    "))",
                "    \"labels\": \(object(e.labels, indent: "    "))",
            ]
            if e.error != nil { fields.append("    \"error\": {}") }
            if let r = e.scrape {
                var scrape = ["      \"up\": \(r.up)", "      \"series\": \(r.seriesCount)"]
                if let err = r.error { scrape.append("      \"error\": \(goJSONString(err))") }
                fields.append("    \"scrape\": {\n" + scrape.joined(separator: ",\n") + "\n    }")
            }
            return "  {\n" + fields.joined(separator: ",\n") + "\n  }"
        }
        return "[\n" + items.joined(separator: ",\n") + "\n]"
    }
}
