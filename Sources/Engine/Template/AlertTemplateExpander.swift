/// Expands and checks alerting-rule label and annotation templates exactly as Prometheus does.
public struct AlertTemplateExpander: Sendable {
    /// The variable definitions Prometheus prepends to every alert template (rules/alerting.go, rulefmt).
    public static let definitionsPrefix =
        "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}"

    /// The template name Prometheus uses for an alert's templates.
    public static func templateName(alertName: String) -> String { "__alert_" + alertName }

    /// What `promtool check rules` (rulefmt) does for one label or annotation value: parse it with the
    /// definitions prefix under the name `__alert_<alertName>`. Returns the parse error, if any.
    public static func checkAlertTemplate(alertName: String, text: String) -> TemplateError? {
        do {
            _ = try GoTemplate(name: templateName(alertName: alertName), text: definitionsPrefix + text,
                               functions: .prometheus)
            return nil
        } catch {
            return error
        }
    }
}
