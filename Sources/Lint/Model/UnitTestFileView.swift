import ConfigModel

/// A positioned view of a promtool unit-test file (`promtool test rules`), as the unit-test checks see
/// it. Lenient like the other views: what is malformed is left out (running the tests reports it).
public struct UnitTestFileView: Sendable {
    public var path: String
    /// `rule_files` entries (paths or globs, relative to the test file's directory).
    public var ruleFiles: [Located<String>]
    /// Top-level `evaluation_interval` (promtool's default 1m when absent).
    public var evaluationInterval: PromDuration
    public var tests: [UnitTestGroupView]

    /// promtool's default evaluation interval (and default input-series interval) for unit tests.
    public static let defaultInterval = PromDuration.minutes(1)

    public init(path: String, document: Node) {
        self.path = path
        ruleFiles = NodeRead.stringList(document["rule_files"])
        let ei = NodeRead.duration(document["evaluation_interval"])?.value
        evaluationInterval = ei.map { $0.milliseconds > 0 ? $0 : Self.defaultInterval } ?? Self.defaultInterval
        let interval = evaluationInterval
        tests = NodeRead.sequence(document["tests"]).filter(\.isMapping).map {
            UnitTestGroupView(node: $0, defaultInterval: interval)
        }
    }
}

/// One entry of `tests`: input series and the assertions evaluated against them.
public struct UnitTestGroupView: Sendable {
    /// `interval` between the input series' samples (the file's evaluation interval by default).
    public var interval: PromDuration
    public var inputSeries: [InputSeriesView]
    public var alertTests: [AlertTestView]
    public var exprTests: [ExprTestView]
    public var range: SourceRange

    init(node: Node, defaultInterval: PromDuration) {
        let i = NodeRead.duration(node["interval"])?.value
        interval = i.map { $0.milliseconds > 0 ? $0 : defaultInterval } ?? defaultInterval
        inputSeries = NodeRead.sequence(node["input_series"]).compactMap { s in
            guard let values = NodeRead.string(s["values"]) else { return nil }
            return InputSeriesView(series: NodeRead.string(s["series"]), values: values)
        }
        alertTests = NodeRead.sequence(node["alert_rule_test"]).compactMap { t in
            guard let name = NodeRead.string(t["alertname"]) else { return nil }
            return AlertTestView(alertname: name, evalTime: NodeRead.duration(t["eval_time"]),
                                 expectsAlerts: !NodeRead.sequence(t["exp_alerts"]).isEmpty,
                                 range: SourceRange(t))
        }
        exprTests = NodeRead.sequence(node["promql_expr_test"]).compactMap { t in
            guard let expr = NodeRead.string(t["expr"]) else { return nil }
            return ExprTestView(expr: expr, evalTime: NodeRead.duration(t["eval_time"]),
                                expectsSamples: !NodeRead.sequence(t["exp_samples"]).isEmpty,
                                range: SourceRange(t))
        }
        range = SourceRange(node)
    }

    /// Milliseconds after the start of the test at which the last sample of any input series lies; nil
    /// when there are no samples at all (or a value list cannot be read).
    public var lastSampleMillis: Int64? {
        var last: Int64?
        for s in inputSeries {
            guard let index = s.lastSampleIndex else { continue }
            let (t, o) = index.multipliedReportingOverflow(by: interval.milliseconds)
            if o { return nil }
            last = max(last ?? t, t)
        }
        return last
    }
}

/// One `input_series` entry.
public struct InputSeriesView: Sendable {
    public var series: Located<String>?
    public var values: Located<String>

    /// Index of the last step that holds a sample (not `_` and not `stale`), reading promtool's expanding
    /// notation (`1+2x10`, `_x3`, `stale`, `{{...}}x2`) without expanding it; nil when there is none or the
    /// text is not understood.
    public var lastSampleIndex: Int64? { Self.lastSampleIndex(values.value) }

    static func lastSampleIndex(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        var i = 0
        var step: Int64 = 0  // index of the next value
        var last: Int64?
        func skipSpace() { while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 } }
        /// Reads `xN` right after a value (N: decimal digits); nil when absent.
        func times() -> Int64? {
            guard i < b.count, b[i] == 0x78 else { return nil }
            var j = i + 1
            var n: Int64 = 0
            var digits = 0
            while j < b.count, b[j] >= 0x30, b[j] <= 0x39 {
                let (m, o1) = n.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(b[j] - 0x30))
                if o1 || o2 { return nil }
                n = a
                j += 1
                digits += 1
            }
            guard digits > 0 else { return nil }
            i = j
            return n
        }
        /// Skips one value token: a histogram `{{...}}` or a run of non-space bytes up to `x`/`+`/`-` after
        /// the first byte.
        func skipHistogram() -> Bool {
            guard i + 1 < b.count, b[i] == 0x7B, b[i + 1] == 0x7B else { return false }
            var j = i + 2
            while j + 1 < b.count, !(b[j] == 0x7D && b[j + 1] == 0x7D) { j += 1 }
            guard j + 1 < b.count else { return false }
            i = j + 2
            return true
        }
        skipSpace()
        while i < b.count {
            var isSample = true
            if b[i] == 0x5F {  // `_` or `_xN`
                i += 1
                isSample = false
                let n = times() ?? 1
                let (s, o) = step.addingReportingOverflow(n)
                if o { return nil }
                step = s
                skipSpace()
                continue
            }
            if b[i] == 0x7B {
                guard skipHistogram() else { return nil }
            } else {
                let start = i
                i += 1  // a sign may lead the number
                // Up to a space, `x`, or a `+`/`-` that is not an exponent's sign.
                while i < b.count, b[i] != 0x20, b[i] != 0x09, b[i] != 0x78,
                      !((b[i] == 0x2B || b[i] == 0x2D) && b[i - 1] != 0x65 && b[i - 1] != 0x45) { i += 1 }
                let token = String(decoding: b[start..<i], as: UTF8.self)
                if token == "stale" {
                    isSample = false
                } else if Double(token) == nil {
                    return nil
                }
            }
            var count: Int64 = 1
            if i < b.count, b[i] == 0x2B || b[i] == 0x2D {  // base+incxN / base-incxN
                i += 1
                if i < b.count, b[i] == 0x7B {
                    guard skipHistogram() else { return nil }
                } else {
                    while i < b.count, b[i] != 0x78, b[i] != 0x20, b[i] != 0x09 { i += 1 }
                }
                guard let n = times() else { return nil }
                count = n &+ 1
            } else if let n = times() {
                count = n &+ 1
            }
            guard count > 0 else { return nil }
            let (end, o) = step.addingReportingOverflow(count)
            if o { return nil }
            if isSample { last = end - 1 }
            step = end
            guard i >= b.count || b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D else { return nil }
            skipSpace()
        }
        return last
    }
}

/// One `alert_rule_test` entry.
public struct AlertTestView: Sendable {
    public var alertname: Located<String>
    public var evalTime: Located<PromDuration>?
    /// True when `exp_alerts` lists at least one alert.
    public var expectsAlerts: Bool
    public var range: SourceRange
}

/// One `promql_expr_test` entry.
public struct ExprTestView: Sendable {
    public var expr: Located<String>
    public var evalTime: Located<PromDuration>?
    public var expectsSamples: Bool
    public var range: SourceRange
}
