import ConfigModel

/// What a YAML file is, judged by its content.
public enum InputKind: String, Sendable, Hashable {
    /// A Prometheus server configuration (`prometheus.yml`).
    case prometheusConfig = "config"
    /// A rule file: plain, multi-document, or a Kubernetes `PrometheusRule` resource.
    case ruleFile = "rules"
    /// A promtool unit-test file (`promtool test rules`): `tests`, with `rule_files` and evaluation settings.
    case unitTest = "unittest"
    /// Neither (or empty).
    case unknown
}

/// Tells Prometheus configurations from rule files by looking at their top-level keys.
public enum InputDetector {
    /// Top-level keys only a Prometheus configuration has.
    static let configKeys: Set<String> = [
        "global", "scrape_configs", "scrape_config_files", "rule_files", "alerting", "remote_write",
        "remote_read", "storage", "tracing", "otlp", "runtime",
    ]

    /// Top-level keys of a promtool unit-test file. `rule_files` is shared with prometheus.yml; the others
    /// (`tests`, and `evaluation_interval` at the top level rather than under `global`) are not.
    static let unitTestKeys: Set<String> = [
        "rule_files", "evaluation_interval", "group_eval_order", "tests", "fuzzy_compare",
    ]

    /// The kind of one composed document.
    public static func kind(of document: Node) -> InputKind {
        guard case .mapping(let pairs) = document.content else { return .unknown }
        if ruleGroupsNode(of: document) != nil { return .ruleFile }
        if isUnitTest(pairs) { return .unitTest }
        if pairs.contains(where: { configKeys.contains($0.key.scalarValue ?? "") }) { return .prometheusConfig }
        return .unknown
    }

    /// True for a mapping whose top-level keys are all unit-test keys and include `tests` (or the top-level
    /// `evaluation_interval` / `group_eval_order` that only unit-test files have).
    static func isUnitTest(_ pairs: [Node.Pair]) -> Bool {
        let keys = pairs.compactMap { $0.key.scalarValue }
        guard keys.count == pairs.count, keys.allSatisfy(unitTestKeys.contains) else { return false }
        return keys.contains("tests") || keys.contains("evaluation_interval") || keys.contains("group_eval_order")
    }

    /// The kind of a whole file: the first document that is recognisably one or the other decides.
    public static func kind(of documents: [Node]) -> InputKind {
        for d in documents {
            let k = kind(of: d)
            if k != .unknown { return k }
        }
        return .unknown
    }

    /// The `groups` sequence of a rule document: top-level `groups`, or `spec.groups` of a
    /// `PrometheusRule` resource.
    public static func ruleGroupsNode(of document: Node) -> Node? {
        guard document.isMapping else { return nil }
        if let g = document["groups"] { return g }
        if document["kind"]?.scalarValue == "PrometheusRule", let spec = document["spec"], let g = spec["groups"] {
            return g
        }
        return nil
    }

    /// A textual guess for files that do not parse: does it mention rule groups or configuration sections?
    public static func looksLikePrometheusFile(_ text: String) -> Bool {
        let markers = ["groups:", "scrape_configs:", "rule_files:", "PrometheusRule", "evaluation_interval:"]
        return markers.contains { text.contains($0) }
    }

    /// A textual guess for files that do not parse: rule groups and no configuration sections.
    public static func looksLikeRuleFile(_ text: String) -> Bool {
        (text.contains("groups:") || text.contains("PrometheusRule")) && !text.contains("scrape_configs:")
    }

    /// True when the document is a Kubernetes `PrometheusRule` resource.
    public static func isPrometheusRule(_ document: Node) -> Bool {
        document["kind"]?.scalarValue == "PrometheusRule"
    }
}
