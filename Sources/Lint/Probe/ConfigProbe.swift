import ConfigModel
import Engine
import GoCompat

/// `check config --probe`: scrapes every target of a configuration once and reports, in the lint output
/// formats and positioned at the job's `job_name` in the configuration, what no static check can see:
/// targets that are down (and why), responses that are not expositions, slow scrapes, series counts,
/// high-cardinality labels, naming problems in what was served, and rules selecting metrics no target has.
/// The HTTP side comes from the caller (the CLI passes the AsyncHTTPClient fetcher), so Lint stays HTTP-free.
public enum ConfigProbe {
    /// Makes the fetcher a job's scrapes go through.
    public typealias FetcherFactory = ServiceDiscoveryCheck.FetcherFactory

    /// The findings and the per-target facts behind them.
    public struct Result: Sendable {
        public var diagnostics: [Diagnostic]
        public var targets: [TargetProbe]
        /// True when the configuration itself could not be loaded (nothing was scraped).
        public var configInvalid = false

        /// 1: the configuration could not be loaded; 3: a target is down or another error finding exists; else 0.
        public var exitCode: Int32 {
            if configInvalid { return 1 }
            return diagnostics.contains { $0.severity == .error } ? 3 : 0
        }
    }

    /// Names Prometheus writes itself for every target or rule: never "missing" from a target.
    static let syntheticMetrics: Set<String> = [
        "up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling",
        "scrape_series_added", "ALERTS", "ALERTS_FOR_STATE",
    ]

    public static func run(configPath: String, options: ProbeOptions = ProbeOptions(), fetcher: FetcherFactory) async -> Result {
        let checked = ConfigChecker.check(path: configPath)
        if let e = checked.error {
            let d = Diagnostic(file: e.file ?? configPath, range: SourceRange(at: SourcePosition(line: e.mark?.line ?? 1, column: e.mark?.column ?? 1)),
                               severity: .error, message: e.message, check: InputErrors.config)
            return Result(diagnostics: [d], targets: [], configInvalid: true)
        }
        let view = configView(configPath)
        func jobRange(_ name: String) -> SourceRange { view?.jobs.first { $0.name.value == name }?.name.range ?? .fileStart }
        var diagnostics: [Diagnostic] = []
        var work: [(ScrapeTarget, ScrapeConfig, any ScrapeFetcher)] = []
        var runtimeJobs = 0
        for job in checked.scrapeConfigs {
            let discovered = JobTargets.discover(job)
            let at = jobRange(job.jobName)
            for m in discovered.runtimeMechanisms {
                runtimeJobs += 1
                diagnostics.append(Diagnostic(file: configPath, range: at, severity: .info,
                    message: "job \(goQuote(job.jobName)): \(m)_sd_configs targets are discovered at run time; they were not probed",
                    check: ProbeChecks.runtimeDiscovery))
            }
            for e in discovered.fileErrors {
                diagnostics.append(Diagnostic(file: configPath, range: at, severity: .error,
                    message: "job \(goQuote(job.jobName)): cannot read file_sd targets: \(e.positionedDescription(defaultFile: configPath))",
                    check: ProbeChecks.targetDown))
            }
            var effective = job
            if let t = options.timeout { effective.scrapeTimeout = t }
            let targets = discovered.populated().compactMap { ScrapeTarget($0, job: effective) }
            guard !targets.isEmpty else { continue }
            let jobFetcher: any ScrapeFetcher
            do throws(ScrapeFetchError) {
                jobFetcher = try fetcher(effective)
            } catch {
                diagnostics.append(Diagnostic(file: configPath, range: at, severity: .error,
                    message: "job \(goQuote(job.jobName)): cannot scrape its \(targets.count) target(s): \(error.message)",
                    check: ProbeChecks.targetDown))
                continue
            }
            for var t in targets {
                if let timeout = options.timeout { t.timeout = timeout }
                work.append((t, effective, jobFetcher))
            }
        }
        let probes = await scrapeAll(work, options: options)
        for p in probes { diagnostics += findings(p, file: configPath, at: jobRange(p.job), options: options) }
        diagnostics += namingFindings(probes, file: configPath, jobRange: jobRange)
        diagnostics += unexposedMetricFindings(ruleFiles: checked.ruleFiles, probes: probes, someJobsUnprobed: runtimeJobs > 0)
        return Result(diagnostics: diagnostics.sorted(by: Diagnostic.reportOrder), targets: probes)
    }

    /// The configuration's positioned view (for `job_name` positions); nil if it cannot be composed again.
    static func configView(_ path: String) -> ConfigView? {
        guard case .success(let bytes) = InputFile.load(path, namedByUser: true),
              let doc = try? YAMLComposer.compose(bytes: bytes, firstDocumentOnly: true).first else { return nil }
        return ConfigView(path: path, document: doc)
    }

    /// Scrapes every target, at most `options.parallelism` at a time, in the given order.
    static func scrapeAll(_ work: [(ScrapeTarget, ScrapeConfig, any ScrapeFetcher)], options: ProbeOptions) async -> [TargetProbe] {
        var out = [TargetProbe?](repeating: nil, count: work.count)
        await withTaskGroup(of: (Int, TargetProbe).self) { group in
            var next = 0
            func startNext(_ group: inout TaskGroup<(Int, TargetProbe)>) {
                guard next < work.count else { return }
                let i = next
                next += 1
                let (target, job, fetcher) = work[i]
                group.addTask { (i, await TargetProbe.scrape(target, job: job, fetcher: fetcher, options: options)) }
            }
            for _ in 0..<max(1, options.parallelism) { startNext(&group) }
            while let (i, probe) = await group.next() {
                out[i] = probe
                startNext(&group)
            }
        }
        return out.compactMap { $0 }
    }

    /// Why a scrape failed, in a few words.
    static func reason(_ p: TargetProbe) -> String {
        if let status = p.status, status != 200, let text = p.statusText { return "HTTP status \(text)" }
        switch p.report.errorKind {
        case .refused: return "connection refused"
        case .dns: return "DNS lookup failed"
        case .tls: return "TLS handshake failed"
        case .timeout: return "timed out after \(p.timeout)"
        case .bodySizeLimit: return "body larger than body_size_limit"
        case .other, nil: return p.status == 200 ? "the response is not a valid exposition" : "scrape failed"
        }
    }

    /// The per-target findings: down or not an exposition; else slow, series, cardinality.
    static func findings(_ p: TargetProbe, file: String, at range: SourceRange, options: ProbeOptions) -> [Diagnostic] {
        func diag(_ severity: Severity, _ check: CheckID, _ message: String) -> Diagnostic {
            Diagnostic(file: file, range: range, severity: severity, message: "job \(goQuote(p.job)): \(message)", check: check)
        }
        if let error = p.report.error {
            if let shape = p.shape {
                let type = p.contentType.map { " (Content-Type \(goQuote($0)))" } ?? ""
                return [diag(.error, ProbeChecks.notExposition,
                             "target \(p.url) answers with \(shape.description)\(type), not a Prometheus exposition: \(shape.advice) (scrape error: \(error))")]
            }
            return [diag(.error, ProbeChecks.targetDown, "target \(p.url) is down: \(reason(p)): \(error)")]
        }
        var out: [Diagnostic] = []
        let timeoutSeconds = Double(p.timeout.milliseconds) / 1000
        if timeoutSeconds > 0 && p.report.durationSeconds >= options.slowFraction * timeoutSeconds {
            out.append(diag(.warning, ProbeChecks.slowScrape,
                            "scraping \(p.url) took \(seconds(p.report.durationSeconds)) of its \(p.timeout) timeout; under load it will time out"))
        }
        let top = p.report.seriesPerMetric.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(max(0, options.topMetrics)).map { "\($0.key) \($0.value)" }
        let most = top.isEmpty ? "" : "; most series: " + top.joined(separator: ", ")
        out.append(diag(.info, ProbeChecks.series, "target \(p.url): \(p.report.seriesCount) series\(most)"))
        for h in p.highCardinality {
            out.append(diag(.warning, ProbeChecks.labelCardinality,
                            "label \(goQuote(h.label)) of \(h.metric) has \(h.values) values on target \(p.url) (threshold \(options.cardinalityThreshold)); drop or aggregate it with metric_relabel_configs, or fix the instrumentation"))
        }
        return out
    }

    /// `check metrics` problems, once per job and problem (a job's instances usually serve the same names).
    static func namingFindings(_ probes: [TargetProbe], file: String, jobRange: (String) -> SourceRange) -> [Diagnostic] {
        struct Key: Hashable { var job: String; var problem: MetricsLintProblem }
        var order: [Key] = []
        var targets: [Key: [String]] = [:]
        for p in probes {
            for problem in Set(p.namingProblems) {
                let k = Key(job: p.job, problem: problem)
                if targets[k] == nil { order.append(k) }
                targets[k, default: []].append(p.url)
            }
        }
        return order.map { k in
            let urls = targets[k] ?? []
            let more = urls.count > 1 ? " and \(urls.count - 1) more target(s)" : ""
            return Diagnostic(file: file, range: jobRange(k.job), severity: .warning,
                              message: "job \(goQuote(k.job)): metric \(k.problem.metric) served by \(urls.first ?? "")\(more): \(k.problem.text)",
                              check: ProbeChecks.metricNaming)
        }
    }

    /// Rules selecting a metric none of the targets that answered exposes (nor a recording rule records).
    static func unexposedMetricFindings(ruleFiles: [String], probes: [TargetProbe], someJobsUnprobed: Bool) -> [Diagnostic] {
        let answered = probes.filter(\.report.up)
        guard !answered.isEmpty else { return [] }
        var exposed = syntheticMetrics
        for p in answered { exposed.formUnion(p.report.seriesPerMetric.keys) }
        var files: [(RuleFileView, SourceText)] = []
        for path in ruleFiles {
            guard case .success(let bytes) = InputFile.load(path),
                  let docs = try? YAMLComposer.compose(bytes: bytes) else { continue }
            let view = RuleFileView(path: path, documents: docs)
            files.append((view, SourceText(path: path, text: String(decoding: bytes, as: UTF8.self))))
            for (_, rule) in view.rules where rule.kind == .record { exposed.insert(rule.name.value) }
        }
        let down = probes.count - answered.count
        var context = "none of the \(answered.count) target(s) that answered exposes it"
        if down > 0 { context += " (\(down) target(s) were down)" }
        if someJobsUnprobed { context += "; some jobs' targets are discovered at run time and were not probed" }
        var out: [Diagnostic] = []
        for (view, source) in files {
            for (_, rule) in view.rules {
                guard let text = rule.expr, let expr = try? PromQLParser.parse(text.value) else { continue }
                let parsed = ParsedExpression(text: text.value, expr: expr,
                                              locator: rule.exprNode.map { ExprLocator(node: $0, value: text.value, source: source) }
                                                  ?? ExprLocator(fixed: text.range.start))
                var reported: Set<String> = []
                for vs in parsed.selectors {
                    guard let name = ExprFacts.metricName(vs), !exposed.contains(name), reported.insert(name).inserted else { continue }
                    out.append(Diagnostic(file: view.path, range: parsed.range(vs.position),
                                          severity: someJobsUnprobed ? .info : .warning,
                                          message: "\(rule.kind.rawValue) \(goQuote(rule.name.value)) selects \(name), but \(context); the rule evaluates to nothing",
                                          check: ProbeChecks.unexposedMetric, scopeLine: rule.range.start.line))
                }
            }
        }
        return out
    }

    /// Seconds with millisecond precision (`0.812s`).
    static func seconds(_ s: Double) -> String {
        let ms = s.isFinite ? Int((min(max(s, 0), 1e9) * 1000).rounded()) : 0
        return "\(ms / 1000).\(String(repeating: "0", count: 3 - String(ms % 1000).count))\(ms % 1000)s"
    }
}
