/// `cardinality/relabel-unbounded`: relabelling that copies unbounded values into target labels.
public struct RelabelUnboundedCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "cardinality/relabel-unbounded", defaultSeverity: .warning,
        summary: "Relabelling copies an address with port, a URL or path, or a high-cardinality value into a label.",
        doc: """
        Every distinct label value is a new series. Copying `__address__` (host:port, which changes with \
        every pod restart), a URL, a path or a query parameter whole into a target label multiplies series \
        for no analytical gain, and `instance` already carries the address. Extract only the bounded part \
        with `regex` (e.g. `([^:]+):\\d+` with `replacement: $1` for the host), or drop the rule. Label names \
        from the high-cardinality list of .promtool-swift.yml count too.
        """)

    /// Source labels whose values are unbounded.
    static func isUnboundedSource(_ s: String) -> Bool {
        if s == "__address__" || s == "__metrics_path__" || s.hasPrefix("__param_") { return true }
        if s.hasSuffix("_url") || s.hasSuffix("_path") || s.hasSuffix("_uri") { return true }
        return s.hasPrefix("__meta_") && (s.hasSuffix("_ip") || s.hasSuffix("_uid") || s.hasSuffix("_id"))
    }

    public func check(config: ConfigView, context: ConfigContext, findings: inout Findings) {
        for job in config.jobs where !job.isExternal {
            for r in job.relabelConfigs + job.metricRelabelConfigs {
                guard r.action == "replace", let target = r.targetLabel, !target.value.hasPrefix("__") else { continue }
                guard Self.copiesWholeValue(r) else { continue }
                var unbounded = r.sourceLabels.filter(Self.isUnboundedSource)
                    + r.sourceLabels.filter { context.settings.highCardinalityLabels.contains($0) }
                if unbounded.isEmpty, context.settings.highCardinalityLabels.contains(target.value),
                   let first = r.sourceLabels.first, first.hasPrefix("__meta_") || first.hasPrefix("__param_") {
                    unbounded = [first]
                }
                guard let src = unbounded.first, target.value != "instance" else { continue }
                findings.report(target.range, """
                    job "\(job.name.value)": relabelling copies "\(src)" whole into label "\(target.value)": \
                    addresses, URLs and ids are unbounded and every value is a new series; extract the bounded \
                    part with regex/replacement or drop this rule
                    """, scopeLine: r.range.start.line)
            }
        }
    }

    /// True when the regex/replacement pair passes the source value through unchanged.
    static func copiesWholeValue(_ r: RelabelView) -> Bool {
        let passThroughRegex = ["(.*)", "(.+)", ".*", ".+", "^(.*)$", "(.*)$", "^(.*)"]
        let passThroughReplacement = ["$1", "${1}"]
        guard passThroughRegex.contains(r.regex) else { return false }
        if r.regex.hasPrefix("(") || r.regex.hasPrefix("^(") { return passThroughReplacement.contains(r.replacement) }
        return false
    }
}
