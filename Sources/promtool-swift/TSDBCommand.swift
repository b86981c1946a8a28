import ArgumentParser

/// `tsdb ...`: Prometheus's on-disk TSDB (the other subcommands come with the block reader).
struct TSDBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tsdb",
        abstract: "Run tsdb commands.",
        subcommands: [TSDBCreateBlocksFrom.self]
    )
}
