import ArgumentParser
import Engine

/// `promql ...`: PromQL utilities. promtool 3.14 requires its global `--experimental` flag for these;
/// promtool-swift accepts that flag and does not require it.
struct PromQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promql",
        abstract: "PromQL formatting and editing.",
        subcommands: [PromQLFormat.self, PromQLLabelMatchers.self]
    )
}

/// What every `promql` command reads: the query, and promtool's global `--enable-feature` (handed down to
/// the command by `Invocation`).
struct PromQLQueryArguments: ParsableArguments {
    @Option(name: .customLong("enable-feature"), help: "promtool's global flag: comma separated feature names to enable.")
    var enableFeature: [String] = []

    @Argument(help: "PromQL query.")
    var query: String

    /// The parser switches of the features (duration expressions are always on in 3.14).
    var parserOptions: ParserOptions {
        RuleCheckFeatures.parserOptions(RuleCheckFeatures.parse(enableFeature).enabled)
    }
}

/// Prints `expr` prettified (promtool's `expr.Pretty(0)`), or the parse error on stderr with exit code 1.
private func printPretty(_ build: () throws(PromQLParseError) -> Expr) throws {
    do {
        print(try build().prettyPrint())
    } catch {
        Output.err(error.description)
        throw ExitCode(1)
    }
}

/// `promql format EXPR`: prints the expression prettified, as `promtool promql format` does.
struct PromQLFormat: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "format",
        abstract: "Format PromQL query to pretty printed form."
    )

    @OptionGroup var input: PromQLQueryArguments

    func run() throws {
        let (query, options) = (input.query, input.parserOptions)
        try printPretty { () throws(PromQLParseError) in try PromQLParser.parse(query, options: options) }
    }
}

/// `promql label-matchers set|delete`.
struct PromQLLabelMatchers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label-matchers",
        abstract: "Edit label matchers contained within an existing PromQL query.",
        subcommands: [PromQLLabelMatchersSet.self, PromQLLabelMatchersDelete.self]
    )
}

/// `promql label-matchers set [-t TYPE] QUERY NAME VALUE`.
struct PromQLLabelMatchersSet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Set a label matcher in the query.",
        discussion: "Every vector selector gets the matcher: matchers of that name are changed, selectors without one get it appended. Prints the query prettified."
    )

    @Option(name: [.customShort("t"), .customLong("type")], help: "Type of the label matcher to set (=, !=, =~, !~).")
    var type = "="

    @OptionGroup var input: PromQLQueryArguments

    @Argument(help: "Name of the label matcher to set.")
    var name: String

    @Argument(help: "Value of the label matcher to set.")
    var value: String

    func run() throws {
        guard let matchType = LabelMatcher.MatchType(rawValue: type) else {
            Output.usageError("enum value must be one of =,!=,=~,!~, got '\(type)'")
            throw ExitCode(1)
        }
        let (query, options) = (input.query, input.parserOptions)
        try printPretty { () throws(PromQLParseError) in
            try LabelMatcherEditing.set(query, name: name, type: matchType, value: value, options: options)
        }
    }
}

/// `promql label-matchers delete QUERY NAME`.
struct PromQLLabelMatchersDelete: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a label from the query.",
        discussion: "Removes the matchers of that name from every vector selector. Prints the query prettified."
    )

    @OptionGroup var input: PromQLQueryArguments

    @Argument(help: "Name of the label to delete.")
    var name: String

    func run() throws {
        let (query, options) = (input.query, input.parserOptions)
        try printPretty { () throws(PromQLParseError) in
            try LabelMatcherEditing.delete(query, name: name, options: options)
        }
    }
}
