/// The set of function names a template may call; names are resolved at parse time as Go does.
public struct TemplateFunctions: Sendable, Equatable {
    /// Every callable name (Go builtins plus any extra functions).
    public let names: Set<String>

    /// Creates a function set from explicit names.
    public init(names: Set<String>) {
        self.names = names
    }

    /// Go's text/template builtin functions.
    public static let goBuiltinNames: Set<String> = [
        "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf", "println",
        "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
    ]

    /// Prometheus's template functions (template/template.go, v3).
    public static let prometheusNames: Set<String> = [
        "query", "first", "label", "value", "strvalue", "args", "reReplaceAll", "safeHtml", "match", "title",
        "toUpper", "toLower", "graphLink", "tableLink", "sortByLabel", "stripPort", "stripDomain", "humanize",
        "humanize1024", "humanizeDuration", "humanizePercentage", "humanizeTimestamp", "toTime", "toDuration",
        "now", "pathPrefix", "externalURL", "parseDuration", "urlQueryEscape",
    ]

    /// Go builtins only.
    public static let builtins = TemplateFunctions(names: goBuiltinNames)

    /// Go builtins plus Prometheus's functions, as used for alerting rule labels and annotations.
    public static let prometheus = TemplateFunctions(names: goBuiltinNames.union(prometheusNames))
}
