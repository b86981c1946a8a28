import ConfigModel

/// `--enable-feature` for rule checking: which PromQL parser features to turn on, and the checker
/// wired with the real PromQL and template parsers.
public enum RuleCheckFeatures {
    /// Feature names promtool 3.14 knows.
    public static let known: Set<String> = [
        "promql-experimental-functions", "promql-delayed-name-removal", "promql-duration-expr",
        "promql-extended-range-selectors", "promql-binop-fill-modifiers",
    ]

    /// Splits the (repeatable, comma-separated) flag values; unknown names produce promtool's warning,
    /// printed on stdout without a line break exactly as promtool prints it.
    public static func parse(_ values: [String]) -> (enabled: Set<String>, warnings: [String]) {
        var enabled: Set<String> = []
        var warnings: [String] = []
        for value in values {
            for item in value.split(separator: ",", omittingEmptySubsequences: false) {
                let name = String(item)
                if name.isEmpty { continue }
                if known.contains(name) {
                    enabled.insert(name)
                } else {
                    warnings.append("  WARNING: Unknown feature passed to --enable-feature: \(name)")
                }
            }
        }
        return (enabled, warnings)
    }

    /// A checker using the PromQL parser (with `features`) and the alert template parser.
    public static func makeChecker(options: RuleCheckOptions, features: Set<String>) -> RuleFileChecker {
        RuleFileChecker(options: options, expressionParser: PromQLRuleExpressionParser(options: parserOptions(features)),
                        templateParser: GoAlertTemplateParser())
    }

    /// The PromQL parser switches the feature names turn on. Duration expressions are always on: they
    /// are no longer behind a flag in Prometheus 3.14 (its `promql-duration-expr` name is still accepted).
    public static func parserOptions(_ features: Set<String>) -> ParserOptions {
        ParserOptions(experimentalFunctions: features.contains("promql-experimental-functions"),
                      durationExpressions: true,
                      extendedRangeSelectors: features.contains("promql-extended-range-selectors"),
                      binopFillModifiers: features.contains("promql-binop-fill-modifiers"))
    }
}

/// The alert template check backed by the Go text/template implementation in `Engine/Template`.
public struct GoAlertTemplateParser: AlertTemplateParser {
    public init() {}

    public func failure(parsingTemplate text: String, alertName: String) -> RuleTemplateFailure? {
        // Without an action delimiter the text adds nothing to parse besides the fixed definitions.
        guard text.utf8.contains(0x7B), text.contains("{{") else { return nil }
        guard let error = AlertTemplateExpander.checkAlertTemplate(alertName: alertName, text: text) else { return nil }
        return RuleTemplateFailure(message: error.message, byteOffset: Self.lineStart(of: error.message, alertName: alertName, in: text))
    }

    /// Go reports the template line (`template: __alert_X:LINE: ...`); the definitions put before the
    /// text have no line breaks, so it is a line of `text`. Returns the byte offset where it starts.
    static func lineStart(of message: String, alertName: String, in text: String) -> Int? {
        let prefix = "template: " + AlertTemplateExpander.templateName(alertName: alertName) + ":"
        guard message.hasPrefix(prefix) else { return nil }
        let digits = message.dropFirst(prefix.count).prefix { $0.isASCII && $0.isNumber }
        guard let line = Int(digits), line > 1 else { return nil }
        var current = 1
        for (offset, byte) in text.utf8.enumerated() where byte == 0x0A {
            current += 1
            if current == line { return offset + 1 }
        }
        return nil
    }
}

/// Rule expressions parsed with the PromQL parser in `Engine/PromQL`.
public struct PromQLRuleExpressionParser: RuleExpressionParser {
    public var options: ParserOptions

    public init(options: ParserOptions = ParserOptions()) { self.options = options }

    public func failure(parsing expression: String) -> RuleExpressionFailure? {
        do {
            _ = try PromQLParser.parse(expression, options: options)
            return nil
        } catch {
            let offset = error.errors.first.map { $0.position.start }
            return RuleExpressionFailure(message: error.description, byteOffset: offset)
        }
    }
}
