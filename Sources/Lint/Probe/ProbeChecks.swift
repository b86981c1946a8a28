/// The findings of `check config --probe`: ids, default severities and the documentation SARIF and
/// `--explain`-style listings show. They come from scraping, so the linter never runs them.
public enum ProbeChecks {
    public static let targetDown: CheckID = "probe/target-down"
    public static let notExposition: CheckID = "probe/not-exposition"
    public static let slowScrape: CheckID = "probe/slow-scrape"
    public static let series: CheckID = "probe/series"
    public static let labelCardinality: CheckID = "probe/label-cardinality"
    public static let metricNaming: CheckID = "probe/metric-naming"
    public static let unexposedMetric: CheckID = "probe/unexposed-metric"
    public static let runtimeDiscovery: CheckID = "probe/runtime-discovery"

    public static let infos: [CheckInfo] = [
        CheckInfo(id: targetDown, defaultSeverity: .error,
                  summary: "A target of the job could not be scraped.",
                  doc: """
                  Scraping the target failed: the connection was refused, the host name did not resolve, the \
                  TLS handshake failed, the scrape timed out, the server answered with an HTTP error status, or \
                  the response could not be parsed. Prometheus would record `up` 0 for it and collect nothing.
                  """),
        CheckInfo(id: notExposition, defaultSeverity: .error,
                  summary: "A target answers with something that is not a Prometheus exposition (HTML, JSON, NGINX stub_status).",
                  doc: """
                  The target answered, but with a page Prometheus cannot parse: an HTML page (often a login or \
                  error page, or the wrong `metrics_path`), a JSON document, or NGINX's `stub_status` text. \
                  Point the job at an exposition: for NGINX, run nginx-prometheus-exporter in front of \
                  `stub_status` and scrape the exporter.
                  """),
        CheckInfo(id: slowScrape, defaultSeverity: .warning,
                  summary: "A scrape took most of its timeout.",
                  doc: """
                  The scrape finished, but took at least 80% of `scrape_timeout`: under load it will time out and \
                  the target will flap between up and down. Raise `scrape_timeout` (at most the interval) or make \
                  the target cheaper to scrape.
                  """),
        CheckInfo(id: series, defaultSeverity: .info,
                  summary: "How many series a target returned, and the metric names with the most series.",
                  doc: """
                  The number of series each target yields after `metric_relabel_configs`, with the metric names \
                  that contribute most. Use it to see what a job costs and where to drop series.
                  """),
        CheckInfo(id: labelCardinality, defaultSeverity: .warning,
                  summary: "A label of a scraped metric has more values than the cardinality threshold.",
                  doc: """
                  One label of one metric takes more distinct values on a single target than the threshold \
                  (`--probe-cardinality-threshold`, 100 by default). Labels holding IDs, paths or user input grow \
                  without bound and multiply the series count; drop or aggregate them with \
                  `metric_relabel_configs`, or fix the instrumentation.
                  """),
        CheckInfo(id: metricNaming, defaultSeverity: .warning,
                  summary: "A scraped metric breaks Prometheus's naming conventions (the `check metrics` rules).",
                  doc: """
                  The rules `promtool check metrics` applies (help text, `_total` on counters, base units, no \
                  type in the name, …), applied to what the target actually serves. Fix them in the \
                  instrumentation; queries and dashboards depend on the names.
                  """),
        CheckInfo(id: unexposedMetric, defaultSeverity: .warning,
                  summary: "A rule selects a metric that none of the scraped targets exposes.",
                  doc: """
                  A selector in a rule file of the configuration names a metric that no target answered with \
                  (after `metric_relabel_configs`), and no recording rule produces. The rule evaluates to \
                  nothing: an alert on it never fires. Either the name is misspelt, the exporter is missing from \
                  the configuration, or its target is down.
                  """),
        CheckInfo(id: runtimeDiscovery, defaultSeverity: .info,
                  summary: "A job's targets are discovered at run time and were not probed.",
                  doc: """
                  Only `static_configs` and `file_sd_configs` targets are known offline; targets from Kubernetes, \
                  Consul, DNS and the other service discoveries exist only in a running Prometheus, so the probe \
                  cannot scrape them.
                  """),
    ]

    /// The standard checks plus these, for reporters (SARIF lists every rule).
    public static let catalogue = CheckCatalogue(checks: BuiltinChecks.all, otherInfos: infos)
}
