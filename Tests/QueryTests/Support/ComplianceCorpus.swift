import ConfigModel
import Foundation
import TestSupport

/// The corpus's PromQL compliance material (`../shared/corpus/compliance`): prometheus/compliance's query
/// list, expanded as its tester does, and the demo-service-like data `compliance.test` loads, as OpenMetrics.
enum ComplianceCorpus {
    struct Query: Equatable {
        var text: String
        var shouldFail: Bool
    }

    static let directory = SharedFiles.corpus + "/compliance"

    /// The values each template variable takes (the compliance tester's `testVariantArgs`).
    static let variantValues: [String: [String]] = [
        "range": ["1s", "15s", "1m", "5m", "15m", "1h"],
        "offset": ["1m", "5m", "10m"],
        "simpleAggrOp": ["sum", "avg", "max", "min", "count", "stddev", "stdvar"],
        "simpleTimeAggrOp": ["sum", "avg", "max", "min", "count", "stddev", "stdvar", "absent", "last"],
        "topBottomOp": ["topk", "bottomk"],
        "quantile": ["-0.5", "0.1", "0.5", "0.75", "0.95", "0.90", "0.99", "1", "1.5"],
        "arithBinOp": ["+", "-", "*", "/", "%", "^"],
        "compBinOp": ["==", "!=", "<", ">", "<=", ">="],
        "binOp": ["+", "-", "*", "/", "%", "^", "==", "!=", "<", ">", "<=", ">="],
        "simpleMathFunc": ["abs", "ceil", "floor", "exp", "sqrt", "ln", "log2", "log10", "round"],
        "extrapolatedRateFunc": ["delta", "rate", "increase"],
        "clampFunc": ["clamp_min", "clamp_max"],
        "instantRateFunc": ["idelta", "irate"],
        "dateFunc": ["day_of_month", "day_of_week", "days_in_month", "hour", "minute", "month", "year"],
        "smoothingFactor": ["0.1", "0.5", "0.8"],
        "trendFactor": ["0.1", "0.5", "0.8"],
    ]

    /// Every query of `promql-test-queries.yml`, each template expanded over its `variant_args` in order
    /// (the first argument varies slowest), as the tester's `getVariants` does.
    static func queries() throws -> [Query] {
        let text = try String(contentsOfFile: directory + "/promql-test-queries.yml", encoding: .utf8)
        guard let root = try YAMLComposer.compose(text).first, case .sequence(let cases)? = root["test_cases"]?.content else {
            throw TestFailure("promql-test-queries.yml: no test_cases sequence")
        }
        var out: [Query] = []
        for c in cases {
            guard let template = c["query"]?.scalarValue else { throw TestFailure("a test case without a query at line \(c.mark.line)") }
            var args: [String] = []
            if case .sequence(let items)? = c["variant_args"]?.content { args = items.compactMap(\.scalarValue) }
            let shouldFail = c["should_fail"]?.scalarValue == "true"
            for expanded in try expand(template, args, [:]) { out.append(Query(text: expanded, shouldFail: shouldFail)) }
        }
        return out
    }

    private static func expand(_ template: String, _ remaining: [String], _ bound: [String: String]) throws -> [String] {
        guard let name = remaining.first else {
            var q = template
            for (k, v) in bound { q = q.replacingOccurrences(of: "{{.\(k)}}", with: v) }
            guard !q.contains("{{") else { throw TestFailure("unexpanded template variable in \(q)") }
            return [q]
        }
        guard let values = variantValues[name] else { throw TestFailure("unknown variant argument \(name)") }
        var out: [String] = []
        for v in values {
            var b = bound
            b[name] = v
            out += try expand(template, Array(remaining.dropFirst()), b)
        }
        return out
    }

    /// The demo data as OpenMetrics, and each gap: a series' last sample before missing ones (nil when the
    /// series starts late) and its first sample after them (ms).
    struct Data {
        var openMetrics: String
        var gaps: [(before: Int64?, after: Int64)]
    }

    /// The `load 15s` block of `compliance.test` (series from time 0, `_` for a missing sample) as
    /// OpenMetrics with seconds timestamps, for `promtool tsdb create-blocks-from openmetrics` and `--input`.
    static func data() throws -> Data {
        var gaps: [(before: Int64?, after: Int64)] = []
        let text = try String(contentsOfFile: directory + "/compliance.test", encoding: .utf8)
        var lines: [String] = []
        var inLoad = false
        var interval = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("load ") {
                let step = line.dropFirst(5)
                guard step.hasSuffix("s"), let s = Int(step.dropLast()) else { throw TestFailure("unexpected load interval \(line)") }
                interval = s
                inLoad = true
                continue
            }
            guard inLoad else { continue }
            guard line.hasPrefix("  ") else { break }
            let body = line.drop { $0 == " " }
            // The series is everything up to its closing brace (label values here hold no "}").
            guard let close = body.firstIndex(of: "}") else { throw TestFailure("series without labels: \(line)") }
            let series = body[...close]
            var missing = false
            var last: Int64?
            for (i, value) in body[body.index(after: close)...].split(separator: " ").enumerated() {
                if value == "_" {
                    missing = true
                    continue
                }
                let t = Int64(i * interval) * 1000
                if missing { gaps.append((last, t)) }
                missing = false
                last = t
                guard Double(value) != nil else { throw TestFailure("unexpected value \(value) in \(series)") }
                lines.append("\(series) \(value) \(i * interval)")
            }
        }
        guard !lines.isEmpty else { throw TestFailure("compliance.test has no load block") }
        return Data(openMetrics: lines.joined(separator: "\n") + "\n# EOF\n", gaps: gaps)
    }
}
