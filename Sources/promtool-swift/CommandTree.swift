import ArgumentParser

/// The command words of a command line, found in the command tree the way kingpin finds them: words that
/// name a subcommand of the command reached so far, skipping flags (and the value after a flag written
/// without `=`, when that value is not itself a subcommand's name).
enum CommandTree {
    /// The command words at the start of `arguments` (e.g. `["check", "config"]`).
    static func path(of arguments: [String]) -> [String] {
        walk(arguments).path
    }

    /// Whether `word` is where a command word was expected (the command reached has subcommands), for
    /// `expected command but got "word"` rather than `unexpected word`.
    static func expectsCommand(arguments: [String], at word: String) -> Bool {
        let w = walk(arguments)
        return w.stoppedAt == word && !w.command.configuration.subcommands.isEmpty
    }

    /// The full name (`check`, `promql label-matchers`) of `command` when it is a group of subcommands
    /// other than the root: promtool refuses a group without a subcommand.
    static func unselectedGroup(_ command: ParsableCommand) -> String? {
        let type = Swift.type(of: command)
        guard type != PromtoolSwift.self, !type.configuration.subcommands.isEmpty else { return nil }
        return fullName(of: type, under: PromtoolSwift.self, prefix: [])?.joined(separator: " ")
    }

    private static func fullName(of target: ParsableCommand.Type, under node: ParsableCommand.Type,
                                 prefix: [String]) -> [String]? {
        for sub in node.configuration.subcommands {
            let name = prefix + [sub._commandName]
            if sub == target { return name }
            if let found = fullName(of: target, under: sub, prefix: name) { return found }
        }
        return nil
    }

    private static func walk(_ arguments: [String]) -> (path: [String], command: ParsableCommand.Type, stoppedAt: String?) {
        var command: ParsableCommand.Type = PromtoolSwift.self
        var path: [String] = []
        var previousWasBareFlag = false
        for a in arguments {
            if a == "--" { break }
            if a.hasPrefix("-") && a != "-" {
                previousWasBareFlag = !a.contains("=")
                continue
            }
            if let sub = command.configuration.subcommands.first(where: { $0._commandName == a }) {
                command = sub
                path.append(a)
                previousWasBareFlag = false
                continue
            }
            if previousWasBareFlag && !command.configuration.subcommands.isEmpty {
                previousWasBareFlag = false
                continue
            }
            return (path, command, a)
        }
        return (path, command, nil)
    }
}
