import ArgumentParser
import ConfigModel

/// `check web-config FILE...`: `FILE SUCCESS` or `FILE FAILED: error` on stderr, exit 1 if any failed.
struct CheckWebConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web-config",
        abstract: "Check if the web config files are valid or not."
    )

    @Argument(help: "The config files to check.")
    var webConfigFiles: [String]

    func run() throws {
        for f in webConfigFiles {
            if FileSystem.statError(f) != nil {
                Output.usageError("path '\(f)' does not exist")
                throw ExitCode(1)
            }
            if FileSystem.isDirectory(f) {
                Output.usageError("'\(f)' is a directory")
                throw ExitCode(1)
            }
        }
        var failed = false
        for f in webConfigFiles {
            do {
                _ = try WebConfig.validate(path: f)
                Output.err("\(f) SUCCESS")
            } catch {
                Output.err("\(f) FAILED: \(error.message)")
                if let at = Output.position(error.mark, file: error.file ?? f) { Output.err(at) }
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}
