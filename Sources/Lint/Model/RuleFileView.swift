import ConfigModel

/// A positioned view of a rule file (plain, multi-document, or a Kubernetes `PrometheusRule`), as the
/// rule checks see it.
public struct RuleFileView: Sendable {
    public var path: String
    public var groups: [RuleGroupView]

    public init(path: String, groups: [RuleGroupView]) {
        self.path = path
        self.groups = groups
    }

    /// Every rule of every group, with its group.
    public var rules: [(group: RuleGroupView, rule: RuleView)] {
        groups.flatMap { g in g.rules.map { (g, $0) } }
    }

    /// Builds the view from the composed documents of one file; documents without `groups` are skipped.
    public init(path: String, documents: [Node]) {
        self.path = path
        var groups: [RuleGroupView] = []
        for doc in documents {
            guard let groupsNode = InputDetector.ruleGroupsNode(of: doc) else { continue }
            for g in NodeRead.sequence(groupsNode) where g.isMapping {
                groups.append(RuleGroupView(node: g))
            }
        }
        self.groups = groups
    }
}

/// One rule group.
public struct RuleGroupView: Sendable {
    public var name: Located<String>?
    /// The group's own `interval`, nil when it uses the global evaluation interval.
    public var interval: Located<PromDuration>?
    public var queryOffset: Located<PromDuration>?
    /// Labels the group adds to every rule (Prometheus 3).
    public var labels: [LabelEntry]
    public var rules: [RuleView]
    public var range: SourceRange

    public init(node: Node) {
        name = NodeRead.string(node["name"])
        interval = NodeRead.duration(node["interval"])
        queryOffset = NodeRead.duration(node["query_offset"])
        labels = NodeRead.labels(node["labels"])
        rules = NodeRead.sequence(node["rules"]).filter(\.isMapping).map { RuleView(node: $0) }
        range = SourceRange(node)
    }

    /// The interval the group is evaluated at, given the global evaluation interval.
    public func effectiveInterval(global: PromDuration) -> PromDuration {
        if let i = interval?.value, i.milliseconds > 0 { return i }
        return global
    }
}

/// One alerting or recording rule.
public struct RuleView: Sendable {
    public enum Kind: String, Sendable { case alert, record }

    public var kind: Kind
    /// The `alert:` or `record:` value.
    public var name: Located<String>
    public var expr: Located<String>?
    /// The `expr` value node (to map PromQL byte offsets to file positions).
    public var exprNode: Node?
    public var forDuration: Located<PromDuration>?
    public var keepFiringFor: Located<PromDuration>?
    public var labels: [LabelEntry]
    public var annotations: [LabelEntry]
    /// Span of the whole rule mapping.
    public var range: SourceRange
    /// Whether `labels:` / `annotations:` keys were present at all, and where.
    public var labelsKey: SourceRange?
    public var annotationsKey: SourceRange?

    public init(node: Node) {
        if let a = NodeRead.string(node["alert"]) {
            kind = .alert
            name = a
        } else {
            kind = .record
            name = NodeRead.string(node["record"]) ?? Located("", SourceRange(node))
        }
        expr = NodeRead.string(node["expr"])
        exprNode = node["expr"]
        forDuration = NodeRead.duration(node["for"])
        keepFiringFor = NodeRead.duration(node["keep_firing_for"])
        labels = NodeRead.labels(node["labels"])
        annotations = NodeRead.labels(node["annotations"])
        range = SourceRange(node)
        let keys = NodeRead.pairs(node)
        labelsKey = keys.first { $0.key.scalarValue == "labels" }.map { SourceRange($0.key) }
        annotationsKey = keys.first { $0.key.scalarValue == "annotations" }.map { SourceRange($0.key) }
    }

    /// The label value of `name`, if set.
    public func label(_ name: String) -> LabelEntry? { labels.first { $0.name.value == name } }
    public func annotation(_ name: String) -> LabelEntry? { annotations.first { $0.name.value == name } }
}
