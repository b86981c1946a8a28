// In-process benchmarks of the engine's hot paths on ordo-one/benchmark (the harness swift-nio uses), with
// thresholds checked in under Thresholds/: `swift package benchmark thresholds check` fails on a regression.
// Run from Benchmarks/: `swift package benchmark` (all), `--filter NAME` (one). Whole-process comparisons
// against promtool and Prometheus stay in scripts/bench.
import Benchmark
import BenchSupport
import ConfigModel
import Engine

/// A head of `series` counters (10 metric names × jobs × instances) with `samples` 15 s samples each.
private func makeHead(series: Int, samples: Int) -> Head {
    let head = Head()
    var refs = [SeriesRef](repeating: 0, count: series)
    var rng = SplitMix64(state: 42)
    var values = [Double](repeating: 0, count: series)
    for k in 0..<samples {
        var app = head.appender()
        for i in 0..<series {
            values[i] += Double(Int.random(in: 0...20, using: &rng))
            if k == 0 {
                refs[i] = (try? app.append(labelSet(i), t: t0 + Int64(k) * step, v: values[i])) ?? 0
            } else {
                try? app.append(ref: refs[i], t: t0 + Int64(k) * step, v: values[i])
            }
        }
        app.commit()
    }
    return head
}

private let t0: Int64 = 1_700_000_000_000
private let step: Int64 = 15_000

private func labelSet(_ i: Int) -> Labels {
    Labels([
        ("__name__", "http_requests_\(i % 10)_total"), ("job", "job_\(i / 10 % 10)"),
        ("instance", "host-\(i / 100).example.org:9100"),
    ])
}

/// A Prometheus text exposition of `series` counters with HELP/TYPE lines, as a scrape returns it; or the
/// same series as OpenMetrics 1.0 (counter families named without `_total`, `# EOF`).
private func exposition(series: Int, openMetrics: Bool = false) -> [UInt8] {
    var text = ""
    for m in 0..<10 {
        let family = openMetrics ? "http_requests_\(m)" : "http_requests_\(m)_total"
        text += "# HELP \(family) Requests.\n# TYPE \(family) counter\n"
        for i in stride(from: m, to: series, by: 10) {
            text += "http_requests_\(m)_total{job=\"job_\(i / 10 % 10)\",instance=\"host-\(i / 100).example.org:9100\",code=\"200\"} \(i * 7)\n"
        }
    }
    return Array((openMetrics ? text + "# EOF\n" : text).utf8)
}

/// A target's response, always the same body (the scraper does not need values to change).
private struct FixedFetcher: ScrapeFetcher {
    let response: FetchedResponse
    func fetch(_ request: ScrapeRequest) async -> Result<FetchedResponse, ScrapeFetchError> { .success(response) }
}

/// One target of a static job, scraping `body` as `format` into a fresh head.
private func makeScraper(_ body: [UInt8], _ format: ExpositionFormat) throws -> TargetScraper? {
    let config = try PrometheusConfig.parse("""
    scrape_configs:
      - job_name: bench
        static_configs:
          - targets: ["127.0.0.1:9100"]
    """)
    guard let job = config.scrapeConfigs.first, let populated = JobTargets.discover(job).populated().first,
          let target = ScrapeTarget(populated, job: job) else { return nil }
    let response = FetchedResponse(status: 200, statusText: "200 OK", contentType: format.contentType, body: body)
    return TargetScraper(target: target, job: job, head: Head(), fetcher: FixedFetcher(response: response))
}

/// Rule-like PromQL expressions, the shapes rule files hold.
private let expressions: [String] = [
    #"sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m])) > 0.05"#,
    #"histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket{job="sse"}[5m])))"#,
    #"redis_keyspace_hits_total / (redis_keyspace_hits_total + redis_keyspace_misses_total) < 0.8"#,
    #"absent(up{job="nginx"} == 1) or max_over_time(nginx_connections_active[10m]) > 1000"#,
    #"label_replace(avg_over_time(node_load1[15m]), "host", "$1", "instance", "(.*):.*") * on (host) group_left (team) node_team_info"#,
]

let benchmarks: @Sendable () -> Void = {
    // Counts and allocations are deterministic; wall and CPU time are only reported (a shared machine makes
    // time thresholds flaky), so the checked thresholds are on instructions-free, load-independent metrics.
    // Names are plain identifiers: the harness writes threshold files under a shell-safe form of the name and
    // reads them back under the name itself, so a space or comma would never match.
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 1,
        scalingFactor: .one,
        maxDuration: .seconds(5),
        maxIterations: 20,
        thresholds: [.mallocCountTotal: .init(relative: [.p90: 5.0])]
    )

    Benchmark("tsdb_ingest_1000_series_240_samples") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(makeHead(series: 1_000, samples: 240).stats.numSamples)
        }
    }

    let head = makeHead(series: 1_000, samples: 480)
    let lastT = t0 + 479 * step
    Benchmark("tsdb_select_regex_iterate_last_5m") { benchmark in
        let matchers = [
            try LabelMatcher(.equal, "__name__", "http_requests_3_total"), try LabelMatcher(.regexMatch, "job", "job_[1-4]"),
        ]
        for _ in benchmark.scaledIterations {
            var count = 0
            for s in head.select(matchers, mint: lastT - 300_000, maxt: lastT) {
                var it = s.makeIterator()
                while it.next() { count += 1 }
            }
            blackHole(count)
        }
    }

    let engine = PromQLEngine(options: EngineOptions())
    Benchmark("promql_range_query_sum_rate_2h_step_1m") { benchmark in
        for _ in benchmark.scaledIterations {
            let result = try engine.rangeQuery(
                "sum by (job) (rate(http_requests_2_total[5m]))", start: t0 + 301_000, end: lastT, step: 60_000, source: head)
            blackHole(result)
        }
    }

    Benchmark("promql_parse_rule_expressions_x200") { benchmark in
        for _ in benchmark.scaledIterations {
            for _ in 0..<200 {
                for e in expressions { blackHole(try PromQLParser.parse(e)) }
            }
        }
    }

    let body = exposition(series: 5_000)
    Benchmark("exposition_parse_text_5000_series") { benchmark in
        for _ in benchmark.scaledIterations {
            var sink = CountingSink()
            try PrometheusTextParser().parse(body, into: &sink)
            blackHole(sink.samples)
        }
    }

    // MB/s of either parser: the body's size over the time of one iteration.
    let omBody = exposition(series: 5_000, openMetrics: true)
    Benchmark("exposition_parse_openmetrics_5000_series") { benchmark in
        for _ in benchmark.scaledIterations {
            var sink = CountingSink()
            try OpenMetricsParser().parse(omBody, into: &sink)
            blackHole(sink.samples)
        }
    }

    // The steady state of one target's scrape loop: parse, series cache, append by ref, staleness
    // bookkeeping and the report series, 1,000 series a scrape (HTTP excluded: the body is in memory).
    for format in [ExpositionFormat.prometheusText, .openMetrics] {
        let scrapeBody = exposition(series: 1_000, openMetrics: format == .openMetrics)
        Benchmark("scrape_target_1000_series_\(format.rawValue)",
                  configuration: .init(scalingFactor: .one, maxIterations: 200)) { benchmark in
            guard let scraper = try makeScraper(scrapeBody, format) else { return }
            var t: Int64 = t0
            for _ in 0..<3 {
                blackHole(await scraper.scrape(at: t))
                t += step
            }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(await scraper.scrape(at: t))
                t += step
            }
            benchmark.stopMeasurement()
        }
    }
}
