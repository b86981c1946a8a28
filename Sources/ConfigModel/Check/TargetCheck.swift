import GoCompat

/// The target checks `check config` makes on static and file_sd target groups (promtool's
/// `checkTargetGroupsForScrapeConfig` and `checkTargetGroupsForAlertmanager`).
public enum TargetCheck {
    /// Scrape targets: each target's labels are populated and relabelled as Prometheus does before
    /// scraping; the first failure is returned as `instance I in group G: …`.
    public static func checkScrapeTargets(_ groups: [TargetGroup], job: ScrapeConfig, file: String? = nil) -> ConfigError? {
        for g in groups {
            for (i, t) in g.targets.enumerated() {
                if let msg = populateLabelsError(target: t, group: g, job: job) {
                    let mark = i < g.targetMarks.count ? g.targetMarks[i] : g.mark
                    return ConfigError("instance \(i) in group \(g.source): \(msg)", at: mark, file: file)
                }
            }
        }
        return nil
    }

    /// Alertmanager targets after the Alertmanager config's relabelling must be host:port addresses.
    public static func checkAlertmanagerTargets(_ groups: [TargetGroup], config: AlertmanagerConfig, file: String? = nil) -> ConfigError? {
        for g in groups {
            for (i, t) in g.targets.enumerated() {
                var labels: [String: String] = [:]
                set(&labels, "__address__", t)
                set(&labels, "__scheme__", config.scheme)
                set(&labels, "__alerts_path__", config.alertsPath)
                for l in g.labels where l.key != "__address__" { set(&labels, l.key, l.value) }
                guard config.relabelConfigs.apply(to: &labels) else { continue }
                if let msg = checkTargetAddress(labels["__address__"] ?? "") {
                    return ConfigError(msg, at: i < g.targetMarks.count ? g.targetMarks[i] : g.mark, file: file)
                }
            }
        }
        return nil
    }

    private static func set(_ labels: inout [String: String], _ name: String, _ value: String) {
        labels[name] = value.isEmpty ? nil : value
    }

    /// `scrape.PopulateLabels`: nil when the target is fine or dropped by relabelling.
    static func populateLabelsError(target: String, group: TargetGroup, job: ScrapeConfig) -> String? {
        var labels: [String: String] = [:]
        set(&labels, "__address__", target)
        for l in group.labels where l.key != "__address__" { set(&labels, l.key, l.value) }
        let defaults: [(String, String)] = [
            ("job", job.jobName),
            ("__scrape_interval__", job.scrapeInterval.description),
            ("__scrape_timeout__", job.scrapeTimeout.description),
            ("__metrics_path__", job.metricsPath),
            ("__scheme__", job.scheme),
        ]
        for (name, value) in defaults where (labels[name] ?? "").isEmpty { set(&labels, name, value) }
        for p in job.params {
            let name = "__param_" + p.key
            if let first = p.value.first, (labels[name] ?? "").isEmpty { set(&labels, name, first) }
        }
        guard job.relabelConfigs.apply(to: &labels) else { return nil }
        guard let addr = labels["__address__"], !addr.isEmpty else { return "no address" }
        if let msg = checkTargetAddress(addr) { return msg }
        let interval = labels["__scrape_interval__"] ?? ""
        let intervalDuration: PromDuration
        switch PromDuration.parse(interval) {
        case .success(let d): intervalDuration = d
        case .failure(let e): return "error parsing scrape interval: \(e.message)"
        }
        if intervalDuration == .zero { return "scrape interval cannot be 0" }
        let timeout = labels["__scrape_timeout__"] ?? ""
        let timeoutDuration: PromDuration
        switch PromDuration.parse(timeout) {
        case .success(let d): timeoutDuration = d
        case .failure(let e): return "error parsing scrape timeout: \(e.message)"
        }
        if timeoutDuration == .zero { return "scrape timeout cannot be 0" }
        if timeoutDuration > intervalDuration {
            return "scrape timeout cannot be greater than scrape interval (\(goQuote(timeout)) > \(goQuote(interval)))"
        }
        for name in labels.keys where name.hasPrefix("__meta_") { labels[name] = nil }
        if (labels["instance"] ?? "").isEmpty { labels["instance"] = addr }
        for (name, value) in labels.sorted(by: { $0.key < $1.key }) where !LabelNames.isValidLabelValue(value) {
            return "invalid label value for \(goQuote(name)): \(goQuote(value))"
        }
        return nil
    }
}
