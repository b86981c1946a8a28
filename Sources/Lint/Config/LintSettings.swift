import ConfigModel

/// The Prometheus major version the files are written for.
public enum PrometheusVersion: String, Sendable, Hashable {
    /// 2.x: only legacy `[a-zA-Z_:][a-zA-Z0-9_:]*` metric and label names.
    case v2 = "2.x"
    /// 3.x: UTF-8 names allowed.
    case v3 = "3.x"

    /// Accepts `2`, `2.x`, `2.53`, `v2`, `3`, `3.x`, `3.14.0`, ….
    public init?(parsing s: String) {
        var t = s.trimmingCharacters(in: " \t")[...]
        if t.hasPrefix("v") { t = t.dropFirst() }
        let major = t.split(separator: ".").first.map(String.init) ?? ""
        switch major {
        case "2": self = .v2
        case "3": self = .v3
        default: return nil
        }
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String { self[...].trimmingCharacters(in: set) }
}

/// The effective lint settings for one file: which checks run, at which severity, and their parameters.
public struct LintSettings: Sendable, Hashable {
    /// Checks switched on beyond their defaults.
    public var enabled: Set<CheckID> = []
    /// Checks switched off.
    public var disabled: Set<CheckID> = []
    public var severityOverrides: [CheckID: Severity] = [:]
    /// Labels every alerting rule must set.
    public var requiredAlertLabels: [String] = ["severity"]
    /// Annotations every alerting rule must set.
    public var requiredAlertAnnotations: [String] = ["summary"]
    /// False while `requiredAlertAnnotations` is the built-in default, which a `description` or `message`
    /// annotation also satisfies (what is paged then has text); true once configured, which is strict.
    public var requiredAlertAnnotationsConfigured = false
    /// Labels whose values are unbounded (one series per user, request, …).
    public var highCardinalityLabels: Set<String> = LintSettings.defaultHighCardinalityLabels
    public var prometheusVersion: PrometheusVersion = .v3
    /// Scrape interval assumed for rule files linted without the prometheus.yml that loads them; nil
    /// leaves scrape-interval checks (rate windows, group intervals) off for such files.
    public var assumedScrapeInterval: PromDuration?
    /// Evaluation interval assumed for rule files linted without a prometheus.yml (Prometheus's default 1m if nil).
    public var assumedEvaluationInterval: PromDuration?
    /// Absolute paths of the files metric types are read from (`metric_metadata`); empty: types are
    /// judged by name only.
    public var metricMetadataFiles: [String] = []

    public static let defaultHighCardinalityLabels: Set<String> = [
        "id", "uuid", "guid", "user_id", "userid", "username", "email", "path", "url", "uri",
        "ip", "client_ip", "remote_addr", "request_id", "trace_id", "span_id", "session_id", "query",
        "timestamp",
    ]

    public init() {}

    /// Whether `info`'s check runs under these settings.
    public func isEnabled(_ info: CheckInfo) -> Bool {
        if info.isInputError { return true }
        if disabled.contains(info.id) { return false }
        return info.enabledByDefault || enabled.contains(info.id)
    }

    /// The severity a finding of `info`'s check is reported at.
    public func severity(for info: CheckInfo, proposed: Severity? = nil) -> Severity {
        if let s = severityOverrides[info.id] { return s }
        return proposed ?? info.defaultSeverity
    }
}
