/// One alerting or recording rule of a rule group, as Prometheus's `rulefmt.Rule`, with positions.
public struct Rule: Sendable, Equatable {
    /// `record:`; nil when the key is absent (Prometheus then reports position 0:0).
    public var record: PositionedText?
    /// `alert:`; nil when the key is absent.
    public var alert: PositionedText?
    /// `expr:`; nil when the key is absent.
    public var expr: PositionedText?
    /// `for:` (zero when absent).
    public var forDuration: Positioned<PromDuration>?
    /// `keep_firing_for:` (zero when absent).
    public var keepFiringFor: Positioned<PromDuration>?
    /// `labels:` in document order.
    public var labels: [RuleLabel]
    /// `annotations:` in document order.
    public var annotations: [RuleLabel]
    /// Where the rule's mapping starts.
    public var mark: Mark

    public init(record: PositionedText? = nil, alert: PositionedText? = nil, expr: PositionedText? = nil,
                forDuration: Positioned<PromDuration>? = nil, keepFiringFor: Positioned<PromDuration>? = nil,
                labels: [RuleLabel] = [], annotations: [RuleLabel] = [], mark: Mark) {
        self.record = record
        self.alert = alert
        self.expr = expr
        self.forDuration = forDuration
        self.keepFiringFor = keepFiringFor
        self.labels = labels
        self.annotations = annotations
        self.mark = mark
    }

    /// The recording rule's metric name, "" when not a recording rule.
    public var recordName: String { record?.value ?? "" }
    /// The alert name, "" when not an alerting rule.
    public var alertName: String { alert?.value ?? "" }
    /// The name Prometheus shows in errors: the alert name if set, else the record name.
    public var name: String { alertName.isEmpty ? recordName : alertName }
    /// True for an alerting rule (`alert:` non-empty).
    public var isAlerting: Bool { !alertName.isEmpty }
    /// The expression text, "" when absent.
    public var exprText: String { expr?.value ?? "" }
}

/// One `name: value` entry of a rule's or group's `labels:` or `annotations:`.
public struct RuleLabel: Sendable, Equatable {
    public var name: String
    /// Where the key is.
    public var nameMark: Mark
    /// The value with its position (templates in it map back to the file).
    public var value: PositionedText

    public init(name: String, nameMark: Mark, value: PositionedText) {
        self.name = name
        self.nameMark = nameMark
        self.value = value
    }
}

/// A group of rules evaluated together, as Prometheus's `rulefmt.RuleGroup`, with positions.
public struct RuleGroup: Sendable, Equatable {
    /// `name:`; nil when absent.
    public var name: Positioned<String>?
    public var interval: PromDuration?
    public var queryOffset: PromDuration?
    public var limit: Int
    public var labels: [RuleLabel]
    public var rules: [Rule]
    /// Where the group's mapping starts.
    public var mark: Mark

    public init(name: Positioned<String>? = nil, interval: PromDuration? = nil, queryOffset: PromDuration? = nil,
                limit: Int = 0, labels: [RuleLabel] = [], rules: [Rule] = [], mark: Mark) {
        self.name = name
        self.interval = interval
        self.queryOffset = queryOffset
        self.limit = limit
        self.labels = labels
        self.rules = rules
        self.mark = mark
    }

    /// The group name, "" when absent.
    public var nameText: String { name?.value ?? "" }
}
