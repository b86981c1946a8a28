import ConfigModel

/// A positioned view of a Prometheus configuration file, with Prometheus's defaults applied, as the
/// config checks and the rule checks (for context) see it.
public struct ConfigView: Sendable {
    public var path: String
    /// `global.scrape_interval` (default 1m).
    public var scrapeInterval: PromDuration
    public var scrapeIntervalNode: Located<PromDuration>?
    /// `global.scrape_timeout` (default 10s).
    public var scrapeTimeout: PromDuration
    public var scrapeTimeoutNode: Located<PromDuration>?
    /// `global.evaluation_interval` (default 1m).
    public var evaluationInterval: PromDuration
    public var evaluationIntervalNode: Located<PromDuration>?
    public var externalLabels: [LabelEntry]
    /// `global.sample_limit` / `global.label_limit` (0 or absent: unlimited).
    public var globalSampleLimit: Located<Int>?
    public var globalLabelLimit: Located<Int>?
    public var ruleFiles: [Located<String>]
    public var jobs: [ScrapeJobView]
    public var range: SourceRange

    public static let defaultScrapeInterval = PromDuration.minutes(1)
    public static let defaultScrapeTimeout = PromDuration.seconds(10)
    public static let defaultEvaluationInterval = PromDuration.minutes(1)

    /// A configuration with only defaults (used when rule files are linted without a config).
    public init(path: String = "") {
        self.path = path
        scrapeInterval = Self.defaultScrapeInterval
        scrapeTimeout = Self.defaultScrapeTimeout
        evaluationInterval = Self.defaultEvaluationInterval
        externalLabels = []
        ruleFiles = []
        jobs = []
        range = .fileStart
    }

    /// Builds the view from a composed configuration document.
    public init(path: String, document: Node) {
        self.init(path: path)
        range = SourceRange(document)
        let global = document["global"]
        scrapeIntervalNode = NodeRead.duration(global?["scrape_interval"])
        if let si = scrapeIntervalNode?.value, si.milliseconds > 0 { scrapeInterval = si }
        scrapeTimeoutNode = NodeRead.duration(global?["scrape_timeout"])
        if let st = scrapeTimeoutNode?.value, st.milliseconds > 0 {
            scrapeTimeout = st
        } else if scrapeInterval < Self.defaultScrapeTimeout {
            // Prometheus lowers the default timeout to the interval when the interval is shorter.
            scrapeTimeout = scrapeInterval
        }
        evaluationIntervalNode = NodeRead.duration(global?["evaluation_interval"])
        if let ei = evaluationIntervalNode?.value, ei.milliseconds > 0 { evaluationInterval = ei }
        externalLabels = NodeRead.labels(global?["external_labels"])
        globalSampleLimit = NodeRead.int(global?["sample_limit"])
        globalLabelLimit = NodeRead.int(global?["label_limit"])
        ruleFiles = NodeRead.stringList(document["rule_files"])
        jobs = NodeRead.sequence(document["scrape_configs"]).filter(\.isMapping).map {
            ScrapeJobView(node: $0, globalInterval: scrapeInterval, globalTimeout: scrapeTimeout)
        }
    }

    /// Adds the jobs that live in `scrape_config_files` (known to rate-window resolution, not checked here).
    public mutating func addJobsFromOtherFiles(_ all: [ScrapeConfig]) {
        let known = Set(jobs.map(\.name.value))
        for s in all where !known.contains(s.jobName) {
            let interval = s.scrapeInterval.milliseconds > 0 ? s.scrapeInterval : scrapeInterval
            jobs.append(ScrapeJobView(external: s.jobName, scrapeInterval: interval,
                                      scrapeTimeout: s.scrapeTimeout.milliseconds > 0 ? s.scrapeTimeout : min(scrapeTimeout, interval)))
        }
    }

    /// The scrape jobs whose name a `job` matcher accepts.
    public func jobs(matching accepts: (String) -> Bool) -> [ScrapeJobView] {
        jobs.filter { accepts($0.name.value) }
    }
}

/// One `scrape_configs` entry.
public struct ScrapeJobView: Sendable {
    public var name: Located<String>
    /// Effective interval (own, else global).
    public var scrapeInterval: PromDuration
    public var scrapeIntervalNode: Located<PromDuration>?
    /// Effective timeout (own, else global, capped to the interval as Prometheus does for defaults).
    public var scrapeTimeout: PromDuration
    public var scrapeTimeoutNode: Located<PromDuration>?
    public var sampleLimit: Located<Int>?
    public var labelLimit: Located<Int>?
    public var relabelConfigs: [RelabelView]
    public var metricRelabelConfigs: [RelabelView]
    public var range: SourceRange
    /// True for jobs read from `scrape_config_files` (their positions are in another file).
    public var isExternal = false

    init(external name: String, scrapeInterval: PromDuration, scrapeTimeout: PromDuration) {
        self.name = Located(name, .fileStart)
        self.scrapeInterval = scrapeInterval
        self.scrapeTimeout = scrapeTimeout
        relabelConfigs = []
        metricRelabelConfigs = []
        range = .fileStart
        isExternal = true
    }

    public init(node: Node, globalInterval: PromDuration, globalTimeout: PromDuration) {
        name = NodeRead.string(node["job_name"]) ?? Located("", SourceRange(node))
        scrapeIntervalNode = NodeRead.duration(node["scrape_interval"])
        scrapeInterval = globalInterval
        if let si = scrapeIntervalNode?.value, si.milliseconds > 0 { scrapeInterval = si }
        scrapeTimeoutNode = NodeRead.duration(node["scrape_timeout"])
        if let st = scrapeTimeoutNode?.value, st.milliseconds > 0 {
            scrapeTimeout = st
        } else {
            scrapeTimeout = min(globalTimeout, scrapeInterval)
        }
        sampleLimit = NodeRead.int(node["sample_limit"])
        labelLimit = NodeRead.int(node["label_limit"])
        relabelConfigs = NodeRead.sequence(node["relabel_configs"]).filter(\.isMapping).map(RelabelView.init)
        metricRelabelConfigs = NodeRead.sequence(node["metric_relabel_configs"]).filter(\.isMapping)
            .map(RelabelView.init)
        range = SourceRange(node)
    }
}

/// One relabelling step.
public struct RelabelView: Sendable {
    public var sourceLabels: [String]
    public var separator: String
    public var regex: String
    public var targetLabel: Located<String>?
    public var replacement: String
    public var action: String
    public var range: SourceRange

    public init(node: Node) {
        sourceLabels = NodeRead.stringList(node["source_labels"]).map(\.value)
        separator = NodeRead.string(node["separator"])?.value ?? ";"
        regex = NodeRead.string(node["regex"])?.value ?? "(.*)"
        targetLabel = NodeRead.string(node["target_label"])
        replacement = NodeRead.string(node["replacement"])?.value ?? "$1"
        action = (NodeRead.string(node["action"])?.value ?? "replace").lowercased()
        range = SourceRange(node)
    }
}
