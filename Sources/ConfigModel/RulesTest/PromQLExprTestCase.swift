/// One `promql_expr_test:` entry: an expression, when to evaluate it and the samples it must return.
public struct PromQLExprTestCase: Sendable, YAMLDecodable {
    public var expr: PositionedText
    public var evalTime: PromDuration
    public var expSamples: [ExpectedSample]
    public var mark: Mark

    public static var goTypeName: String { "main.promqlTestCase" }

    public init(expr: PositionedText, evalTime: PromDuration, expSamples: [ExpectedSample], mark: Mark) {
        self.expr = expr
        self.evalTime = evalTime
        self.expSamples = expSamples
        self.mark = mark
    }

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        mark = node.mark
        expr = try m.decode("expr", default: PositionedText("", at: node.mark))
        evalTime = try m.decode("eval_time", default: .zero)
        expSamples = try m.decode("exp_samples", default: [])
        m.finish()
    }
}

/// One `exp_samples:` entry: a metric in PromQL notation and a float value, or a histogram in the series
/// notation (a non-empty `histogram` means `value` is ignored).
public struct ExpectedSample: Sendable, YAMLDecodable {
    public var labels: String
    public var value: Double
    public var histogram: String
    public var mark: Mark

    public static var goTypeName: String { "main.sample" }

    public init(labels: String, value: Double, histogram: String = "", mark: Mark) {
        self.labels = labels
        self.value = value
        self.histogram = histogram
        self.mark = mark
    }

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        mark = node.mark
        labels = try m.decode("labels", default: "")
        value = try m.decode("value", default: 0)
        histogram = try m.decode("histogram", default: "")
        m.finish()
    }
}
