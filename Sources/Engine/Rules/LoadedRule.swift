import ConfigModel

/// One rule of a loaded group, ready to evaluate.
public enum LoadedRule: Sendable {
    case recording(RecordingRule)
    case alerting(AlertingRule)

    /// The recorded metric or alert name (`rule.Name()`).
    public var name: String {
        switch self {
        case .recording(let r): return r.name
        case .alerting(let r): return r.name
        }
    }

    /// Builds the rule from its file model: the expression parsed with `parserOptions`, group labels
    /// overridden by the rule's. Throws the parser's error text.
    public static func load(_ rule: Rule, groupLabels: [RuleLabel], parserOptions: ParserOptions,
                            externalLabels: [String: String], externalURL: String) throws(PromQLParseError) -> LoadedRule {
        let expr = try PromQLParser.parse(rule.exprText, options: parserOptions)
        var pairs = groupLabels.map { ($0.name, $0.value.value) }
        pairs.append(contentsOf: rule.labels.map { ($0.name, $0.value.value) })
        let labels = Labels(pairs)
        guard rule.isAlerting else { return .recording(RecordingRule(name: rule.recordName, expr: expr, labels: labels)) }
        var byName: [String: String] = [:]
        for a in rule.annotations { byName[a.name] = a.value.value }
        let annotations = Labels(sorted: byName.sorted { $0.key < $1.key }.map { Labels.Label($0.key, $0.value) })
        return .alerting(AlertingRule(name: rule.alertName, expr: expr, holdMillis: rule.forDuration?.value.milliseconds ?? 0,
                                      keepFiringForMillis: rule.keepFiringFor?.value.milliseconds ?? 0, labels: labels,
                                      annotations: annotations, externalLabels: externalLabels, externalURL: externalURL))
    }
}
