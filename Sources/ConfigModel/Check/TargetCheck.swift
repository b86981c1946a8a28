import GoCompat

/// The target checks `check config` makes on static and file_sd target groups (promtool's
/// `checkTargetGroupsForScrapeConfig` and `checkTargetGroupsForAlertmanager`).
public enum TargetCheck {
    /// Scrape targets: each target's labels are populated and relabelled as Prometheus does before
    /// scraping; the first failure is returned as `instance I in group G: …`.
    public static func checkScrapeTargets(_ groups: [TargetGroup], job: ScrapeConfig, file: String? = nil) -> ConfigError? {
        let builder = PopulatedTarget.Builder(job: job)
        for g in groups {
            for (i, t) in g.targets.enumerated() {
                if let msg = builder.error(address: t, group: g.labels) {
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
}
