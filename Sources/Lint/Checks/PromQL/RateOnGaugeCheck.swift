import Engine

/// `promql/rate-on-gauge`: rate()/irate()/increase() on a metric known to be a gauge.
public struct RateOnGaugeCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "promql/rate-on-gauge", defaultSeverity: .warning,
        summary: "rate()/irate()/increase() applied to a metric known to be a gauge (from metric metadata, or a name that says gauge).",
        doc: """
        rate(), irate() and increase() assume a counter: a value that only goes up and resets to zero. On a \
        gauge every decrease is taken for a counter reset, producing huge bogus spikes. A metric's type is \
        taken from evidence only: the `# TYPE` metadata in the `metric_metadata` files of \
        .promtool-swift.yml (an exposition file, or a saved `/api/v1/metadata` response), or else a name \
        that says gauge (`_in_progress`, `_in_flight`, `_active`, `_up`, `_depth`, `_ratio`, `_percent`, \
        `_temperature_celsius`, `_info`, `_free_bytes`, …). Many real counters are exported without \
        `_total` (SNMP `ifHCInOctets`, `pg_stat_database_xact_commit`, `node_vmstat_pgmajfault`), so a \
        name that merely lacks `_total` is not reported. For gauges use deriv(), delta() or changes().
        """)

    static let counterSuffixes = ["_total", "_count", "_sum", "_bucket", "_created"]

    /// Name endings that only gauges have (values that go up and down).
    static let gaugeSuffixes = [
        "_in_progress", "_inprogress", "_in_flight", "_inflight", "_active_connections", "_connections_active",
        "_active", "_temperature_celsius", "_celsius", "_temperature", "_ratio", "_percent", "_percentage",
        "_info", "_up", "_depth", "_queue_length", "_queue_size", "_free_bytes", "_available_bytes",
        "_bytes_free", "_bytes_available", "_gauge", "_limit", "_capacity", "_utilization",
    ]

    /// Why `name` is taken for a gauge, or nil without evidence.
    static func gaugeEvidence(_ name: String, types: MetricTypeTable) -> String? {
        if let known = types.type(of: name) {
            return known.type == "gauge" ? "its # TYPE in \(known.source) is gauge" : nil
        }
        if counterSuffixes.contains(where: { name.hasSuffix($0) }) { return nil }
        if name == "up" { return "up is 1 or 0" }
        let lower = name.lowercased()
        return gaugeSuffixes.first { lower.hasSuffix($0) }.map { "its name ends in \($0)" }
    }

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        guard let pe = context.expression, pe.expr != nil else { return }
        for c in pe.calls where ExprFacts.counterFunctions.contains(c.function.name) {
            guard let m = ExprFacts.matrixArgument(c), let vs = m.selector, let name = ExprFacts.metricName(vs) else {
                continue
            }
            // Recorded series (level:metric:ops) cannot be judged by their name.
            if name.contains(":") { continue }
            guard let evidence = Self.gaugeEvidence(name, types: context.metricTypes) else { continue }
            findings.report(pe.range(c.position), """
                \(c.function.name)() on "\(name)", a gauge (\(evidence)): every decrease looks like a counter \
                reset and produces spikes; use deriv(), delta() or changes() for gauges
                """, scopeLine: rule.range.start.line)
        }
    }
}

/// `promql/delta-on-counter`: delta()/deriv()/idelta() on a counter.
public struct DeltaOnCounterCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "promql/delta-on-counter", defaultSeverity: .warning,
        summary: "delta()/idelta()/deriv()/predict_linear() applied to a counter (_total, or a counter by its metadata).",
        doc: """
        delta(), idelta(), deriv() and predict_linear() are for gauges: they do not know about counter \
        resets, so every restart of the target produces a large negative value (and predictions heading \
        below zero). For counters (`_total`) use rate() or increase(), which handle resets.
        """)

    static let gaugeFunctions: Set<String> = ["delta", "idelta", "deriv", "predict_linear"]

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        guard let pe = context.expression, pe.expr != nil else { return }
        for c in pe.calls where Self.gaugeFunctions.contains(c.function.name) {
            guard let m = ExprFacts.matrixArgument(c), let vs = m.selector, let name = ExprFacts.metricName(vs),
                  !name.contains(":") else { continue }
            // A counter by its metadata, or else by its `_total` name.
            if let known = context.metricTypes.type(of: name) {
                guard known.type == "counter" else { continue }
            } else if !name.hasSuffix("_total") {
                continue
            }
            let replacement = c.function.name == "deriv" || c.function.name == "idelta" ? "rate() or irate()" : "increase()"
            findings.report(pe.range(c.position), """
                \(c.function.name)() on the counter "\(name)": it ignores counter resets, so each target \
                restart shows as a large negative change; use \(replacement) instead
                """, scopeLine: rule.range.start.line)
        }
    }
}
