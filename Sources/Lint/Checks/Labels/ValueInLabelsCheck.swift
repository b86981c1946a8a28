/// `labels/value-in-label`: `$value` (or `.Value`) in an alert's labels.
public struct ValueInLabelsCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "labels/value-in-label", defaultSeverity: .error,
        summary: "An alert label uses the alert's value ($value / .Value).",
        doc: """
        Labels identify an alert. When a label contains the current value, every evaluation with a new \
        value creates a new alert: the old one resolves and a new one starts pending, so `for` never \
        elapses, the alert never fires (or fires and resolves every evaluation) and Alertmanager is flooded. \
        Put the value in an annotation (e.g. `description: "... {{ $value }}"`) instead.
        """)

    public func check(rule: RuleView, context: RuleContext, findings: inout Findings) {
        guard rule.kind == .alert else { return }
        for l in rule.labels where Self.usesValue(l.value.value) {
            findings.report(l.value.range, """
                alert "\(rule.name.value)": label "\(l.name.value)" uses the alert value: each new value is a new \
                alert, so `for` restarts and the alert flaps or never fires; move the value into an annotation
                """, scopeLine: rule.range.start.line)
        }
    }

    /// True when a template action (`{{ ... }}`) mentions `$value` or `.Value`.
    static func usesValue(_ s: String) -> Bool {
        var rest = s[...]
        while let open = rest.rangeOfASCII("{{") {
            let after = rest[open.upperBound...]
            guard let close = after.rangeOfASCII("}}") else { return false }
            let action = after[..<close.lowerBound]
            if action.contains("$value") || action.contains(".Value") { return true }
            rest = after[close.upperBound...]
        }
        return false
    }
}
