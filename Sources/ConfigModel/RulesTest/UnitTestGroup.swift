import GoCompat
/// One entry of `tests:` (`testGroup` in cmd/promtool/unittest.go): input series and the alert and
/// expression tests evaluated against them.
public struct UnitTestGroup: Sendable {
    /// `interval:` between input samples; zero when absent (the file's evaluation interval is used).
    public var interval: PromDuration
    public var inputSeries: [UnitTestInputSeries]
    public var alertRuleTests: [AlertRuleTestCase]
    public var promqlExprTests: [PromQLExprTestCase]
    /// `external_labels:` in document order.
    public var externalLabels: OrderedStringMap<String>
    public var externalURL: String
    /// `name:`; "" when absent.
    public var name: String
    /// `start_timestamp:` in milliseconds since the epoch; nil when absent (the epoch).
    public var startTimestampMillis: Int64?
    /// Where the group's mapping starts (what `at FILE:L:C` names).
    public var mark: Mark

    public init(interval: PromDuration = .zero, inputSeries: [UnitTestInputSeries] = [],
                alertRuleTests: [AlertRuleTestCase] = [], promqlExprTests: [PromQLExprTestCase] = [],
                externalLabels: OrderedStringMap<String> = OrderedStringMap(), externalURL: String = "",
                name: String = "", startTimestampMillis: Int64? = nil, mark: Mark) {
        self.interval = interval
        self.inputSeries = inputSeries
        self.alertRuleTests = alertRuleTests
        self.promqlExprTests = promqlExprTests
        self.externalLabels = externalLabels
        self.externalURL = externalURL
        self.name = name
        self.startTimestampMillis = startTimestampMillis
        self.mark = mark
    }

    /// The largest `eval_time` of all alert and expression tests (promtool's `maxEvalTime`).
    public var maxEvalTime: PromDuration {
        var m = PromDuration.zero
        for a in alertRuleTests where a.evalTime > m { m = a.evalTime }
        for p in promqlExprTests where p.evalTime > m { m = p.evalTime }
        return m
    }

    /// promtool's `parseTime`: Unix seconds (a float) or RFC 3339, as milliseconds since the epoch.
    public static func parseStartTimestamp(_ s: String) -> Int64? {
        if let seconds = goParseFloat(s) {
            guard seconds.isFinite, abs(seconds) < 9.2e15 else { return nil }
            let whole = seconds.rounded(.towardZero)
            return Int64(whole) &* 1000 &+ Int64(((seconds - whole) * 1000).rounded(.towardZero))
        }
        guard let t = GoTime.parseRFC3339(s) else { return nil }
        // time.Time.UnixMilli: whole seconds in milliseconds plus the fraction truncated (the fraction is never negative).
        return t.seconds * 1000 + t.nanos / 1_000_000
    }

    /// Go's `strconv.ParseFloat` on the forms a timestamp takes (decimal, optional sign and exponent).
    private static func goParseFloat(_ s: String) -> Double? {
        guard !s.isEmpty, s.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D || $0 == 0x2B || $0 == 0x65 || $0 == 0x45 }) else {
            return nil
        }
        return Double(s)
    }
}

extension UnitTestGroup: YAMLDecodable {
    public static var goTypeName: String { "main.testGroup" }

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        mark = node.mark
        interval = try m.decode("interval", default: .zero)
        inputSeries = try m.decode("input_series", default: [])
        alertRuleTests = try m.decode("alert_rule_test", default: [])
        promqlExprTests = try m.decode("promql_expr_test", default: [])
        externalLabels = try m.decode("external_labels", default: OrderedStringMap())
        externalURL = try m.decode("external_url", default: "")
        name = try m.decode("name", default: "")
        startTimestampMillis = nil
        if let n = m.node("start_timestamp"), !n.isNull {
            let s = try String(yaml: n, decoder: decoder)
            if n.scalarValue != nil {
                guard let t = Self.parseStartTimestamp(s) else {
                    throw ConfigError("cannot parse \(goQuote(s)) to a valid timestamp", at: n.mark)
                }
                startTimestampMillis = t
            }
        }
        m.finish()
    }
}

/// One `input_series:` entry: a series selector and its values in the expanding notation.
public struct UnitTestInputSeries: Sendable, YAMLDecodable {
    public var series: PositionedText
    public var values: PositionedText
    public var mark: Mark

    public static var goTypeName: String { "main.series" }

    public init(series: PositionedText, values: PositionedText, mark: Mark) {
        self.series = series
        self.values = values
        self.mark = mark
    }

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        mark = node.mark
        series = try m.decode("series", default: PositionedText("", at: node.mark))
        values = try m.decode("values", default: PositionedText("", at: node.mark))
        m.finish()
    }
}
