import ConfigModel

/// A finding as a check reports it; the linter adds the check id, file and final severity.
public struct Finding: Sendable {
    public var range: SourceRange
    public var message: String
    /// A severity other than the check's default (e.g. an error for a clearly broken window).
    public var severity: Severity?
    /// First line of the enclosing rule/group/job (for inline disables on that entry).
    public var scopeLine: Int?
    /// Another file than the one being checked (cross-file checks).
    public var file: String?

    public init(range: SourceRange, message: String, severity: Severity? = nil, scopeLine: Int? = nil,
                file: String? = nil) {
        self.range = range
        self.message = message
        self.severity = severity
        self.scopeLine = scopeLine
        self.file = file
    }
}

/// Where a check puts its findings.
public struct Findings: Sendable {
    public private(set) var items: [Finding] = []
    public init() {}

    public mutating func report(_ range: SourceRange, _ message: String, severity: Severity? = nil,
                                scopeLine: Int? = nil, file: String? = nil) {
        items.append(Finding(range: range, message: message, severity: severity, scopeLine: scopeLine, file: file))
    }

    public mutating func append(_ f: Finding) { items.append(f) }
}

/// What a rule check sees besides the rule: its group, file, the configuration in force, and settings.
public struct RuleContext: Sendable {
    public var file: RuleFileView
    public var group: RuleGroupView
    /// The Prometheus configuration that loads this file, or a defaults-only one.
    public var config: ConfigView
    /// True when `config` is a real configuration file (scrape intervals and external labels are known).
    public var hasConfig: Bool
    /// True when the scrape interval is known: from the configuration, or assumed by the lint settings.
    public var scrapeIntervalKnown: Bool
    public var settings: LintSettings
    /// The parsed expression and the mapping of its byte offsets back to the file.
    public var expression: ParsedExpression?
    /// The rule file's text (to map positions inside label and annotation values).
    public var source: SourceText?
    /// Metric types from the `metric_metadata` files of the lint configuration (empty without).
    public var metricTypes = MetricTypeTable()

    /// The interval this rule's group is evaluated at.
    public var evaluationInterval: PromDuration { group.effectiveInterval(global: config.evaluationInterval) }
}

/// What a config check sees.
public struct ConfigContext: Sendable {
    public var config: ConfigView
    public var settings: LintSettings
}

/// What a cross-file check sees: every rule file linted in this run, each with its settings.
public struct RuleSetContext: Sendable {
    public var files: [RuleSetMember]
}

/// One rule file of a run, with its settings and its load unit.
public struct RuleSetMember: Sendable {
    public var file: RuleFileView
    public var settings: LintSettings
    /// What one Prometheus loads together: the configuration that loads the file, or else its directory.
    public var unit: String
    /// True when `unit` is a configuration (so its files are known to be loaded together).
    public var unitIsConfiguration: Bool
}

/// What a unit-test check sees: the promtool unit-test file and the rule files it names.
public struct UnitTestContext: Sendable {
    public var file: UnitTestFileView
    /// Each `rule_files` entry with the files it matched (display paths; empty: matches nothing).
    public var ruleFiles: [(entry: Located<String>, matches: [String])]
    /// Every rule of the matched rule files; nil when one of them could not be read as a rule file
    /// (then what the files define is unknown and checks relying on it stay quiet).
    public var rules: [RuleView]?
    public var settings: LintSettings
}

/// A lint check. Implement the hooks it needs; the others default to doing nothing.
public protocol LintCheck: Sendable {
    var info: CheckInfo { get }
    /// Called once per Prometheus configuration.
    func check(config: ConfigView, context: ConfigContext, findings: inout Findings)
    /// Called once per rule, in the context of its group, file and configuration.
    func check(rule: RuleView, context: RuleContext, findings: inout Findings)
    /// Called once per run with every rule file (cross-file checks such as duplicates).
    func check(ruleSet: RuleSetContext, findings: inout Findings)
    /// Called once per promtool unit-test file.
    func check(unitTest: UnitTestContext, findings: inout Findings)
}

extension LintCheck {
    public func check(config: ConfigView, context: ConfigContext, findings: inout Findings) {}
    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {}
    public func check(ruleSet: RuleSetContext, findings: inout Findings) {}
    public func check(unitTest: UnitTestContext, findings: inout Findings) {}
}
