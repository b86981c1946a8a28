import ArgumentParser

@main
struct PromtoolSwift: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promtool-swift",
        abstract: "Tooling for the Prometheus monitoring system: a drop-in for promtool, with positions and a linter.",
        version: "0.1.0",
        subcommands: [Check.self, PromQLCommand.self, LintCommand.self, TestGroup.self, QueryCommand.self]
    )
}

/// `check ...`: the promtool-compatible validators.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the resources for validity.",
        subcommands: [CheckRulesCommand.self, CheckMetricsCommand.self, CheckConfigCommand.self, CheckWebConfigCommand.self, CheckServiceDiscoveryCommand.self, CheckHealthyCommand.self, CheckReadyCommand.self]
    )
}
