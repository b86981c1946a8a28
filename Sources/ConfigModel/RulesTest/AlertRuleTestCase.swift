/// One `alert_rule_test:` entry: the alerts expected to be firing for `alertname` at `eval_time`.
public struct AlertRuleTestCase: Sendable, YAMLDecodable {
    public var evalTime: PromDuration
    public var alertname: String
    public var expAlerts: [ExpectedAlert]
    public var mark: Mark

    public static var goTypeName: String { "main.alertTestCase" }

    public init(evalTime: PromDuration, alertname: String, expAlerts: [ExpectedAlert], mark: Mark) {
        self.evalTime = evalTime
        self.alertname = alertname
        self.expAlerts = expAlerts
        self.mark = mark
    }

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        mark = node.mark
        evalTime = try m.decode("eval_time", default: .zero)
        alertname = try m.decode("alertname", default: "")
        expAlerts = try m.decode("exp_alerts", default: [])
        m.finish()
    }
}

/// One `exp_alerts:` entry: the alert's labels (without `alertname`) and annotations.
public struct ExpectedAlert: Sendable, YAMLDecodable {
    public var expLabels: OrderedStringMap<String>
    public var expAnnotations: OrderedStringMap<String>
    public var mark: Mark

    public static var goTypeName: String { "main.alert" }

    public init(expLabels: OrderedStringMap<String>, expAnnotations: OrderedStringMap<String>, mark: Mark) {
        self.expLabels = expLabels
        self.expAnnotations = expAnnotations
        self.mark = mark
    }

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        mark = node.mark
        expLabels = try m.decode("exp_labels", default: OrderedStringMap())
        expAnnotations = try m.decode("exp_annotations", default: OrderedStringMap())
        m.finish()
    }
}
