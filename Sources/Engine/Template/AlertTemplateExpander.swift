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

    /// The alerting rule's name.
    public let alertName: String
    /// The data the templates see (`.Labels`, `.ExternalLabels`, `.ExternalURL`, `.Value`).
    public let data: TemplateValue
    /// Query function, external URL and timestamp for the Prometheus functions.
    public let context: TemplateContext

    /// Creates an expander for one alert instance.
    /// - Parameters:
    ///   - timestampMillis: evaluation time (for `now` and queries).
    ///   - query: runs `query "..."`; nil makes `query` fail.
    public init(alertName: String, labels: [String: String], externalLabels: [String: String] = [:],
                externalURL: String = "", value: Double, timestampMillis: Int64,
                query: TemplateQueryFunction? = nil) {
        self.init(alertName: alertName, labels: labels, externalLabels: externalLabels, externalURL: externalURL,
                  templateValue: .float(value), timestampMillis: timestampMillis, query: query)
    }

    /// Creates an expander whose `.Value` is any template value (e.g. `.opaque` for a native histogram sample).
    public init(alertName: String, labels: [String: String], externalLabels: [String: String] = [:],
                externalURL: String = "", templateValue: TemplateValue, timestampMillis: Int64,
                query: TemplateQueryFunction? = nil) {
        self.alertName = alertName
        data = .alertData(labels: labels, externalLabels: externalLabels, externalURL: externalURL, value: templateValue)
        context = TemplateContext(query: query, externalURL: externalURL, timestampMillis: timestampMillis,
                                  missingKey: .zero)
    }

    /// Parses and executes one label/annotation text (with the definitions prefix). The error is the raw
    /// text/template error (parse or execution), as Go's `Template.Parse`/`Execute` return it.
    public func expand(_ text: String) throws(TemplateError) -> String {
        let name = Self.templateName(alertName: alertName)
        let full = Self.definitionsPrefix + text
        let data = self.data
        let context = self.context
        return try LargeStack.run { () -> Result<String, TemplateError> in
            switch GoTemplate.parse(name: name, text: full, functions: .prometheus) {
            case .success(let tmpl): return tmpl.executeHere(data, context: context)
            case .failure(let e): return .failure(e)
            }
        }.get()
    }

    /// Parses one label/annotation text once (with the definitions prefix), for repeated expansion with
    /// `expand(_:)`/`expandForAlert(_:)` taking a `GoTemplate`.
    public static func parseAlertTemplate(alertName: String, text: String) throws(TemplateError) -> GoTemplate {
        try GoTemplate(name: templateName(alertName: alertName), text: definitionsPrefix + text, functions: .prometheus)
    }

    /// Executes a template from `parseAlertTemplate` against this alert's data.
    public func expand(_ template: GoTemplate) throws(TemplateError) -> String {
        try template.execute(data, context: context)
    }

    /// Like `expandForAlert(_:)` for a pre-parsed template (only execution errors can occur).
    public func expandForAlert(_ template: GoTemplate) -> String {
        do {
            return try expand(template)
        } catch {
            return "<error expanding template: error executing template \(template.name): \(error.message)>"
        }
    }

    /// What Prometheus puts into the alert for one label/annotation: the expansion, or on failure
    /// `<error expanding template: error executing template NAME: ...>` (or `error parsing template`).
    public func expandForAlert(_ text: String) -> String {
        do {
            return try expand(text)
        } catch {
            let name = Self.templateName(alertName: alertName)
            let wrap = error.phase == .parse ? "error parsing template \(name)" : "error executing template \(name)"
            return "<error expanding template: \(wrap): \(error.message)>"
        }
    }
}
