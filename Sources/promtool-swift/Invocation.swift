import ArgumentParser

/// One run's command line, read the way promtool's parser (kingpin) reads it, before ArgumentParser sees it.
///
/// promtool's global flags (`--enable-feature`, `--experimental`, `--version`) and `check`'s
/// `--query.lookback-delta` may be written before or after the command words; ArgumentParser only knows
/// options of the command they are declared on. So they are taken out here and handed to the selected
/// command when it declares them (and dropped when it does not: promtool ignores them there too).
/// Usage errors are reworded to kingpin's sentences (`unknown long flag '--x'`, ...).
struct Invocation {
    /// Arguments with the global flags taken out.
    private(set) var remaining: [String] = []
    /// Values of every `--enable-feature` (each may itself be a comma list).
    private(set) var enableFeature: [String] = []
    /// The last `--query.lookback-delta` value given after `check`.
    private(set) var lookbackDelta: String?
    /// `--version` appeared (before any `--`).
    private(set) var wantsVersion = false
    /// A global flag was given without its value (reported as kingpin does, before anything else).
    private(set) var missingValue: String?
    /// Whether the options handed down were accepted by the selected command (false after a retry).
    private var handDown = true

    init(arguments: [String]) {
        var i = 0
        var afterTerminator = false
        let isCheck = CommandTree.path(of: arguments).first == "check"
        while i < arguments.count {
            let a = arguments[i]
            i += 1
            if afterTerminator || !a.hasPrefix("-") || a == "-" {
                if a == "--" { afterTerminator = true }
                remaining.append(a)
                continue
            }
            if a == "--version" {
                wantsVersion = true
            } else if a == "--experimental" || a == "--no-experimental" {
                continue
            } else if let v = Self.value(of: "--enable-feature", in: a, next: arguments, at: &i) {
                if let v { enableFeature.append(v) } else { missingValue = missingValue ?? "--enable-feature" }
            } else if isCheck, let v = Self.value(of: "--query.lookback-delta", in: a, next: arguments, at: &i) {
                if let v { lookbackDelta = v } else { missingValue = missingValue ?? "--query.lookback-delta" }
            } else {
                remaining.append(a)
            }
        }
        // `help COMMAND...` is `COMMAND... --help`, as in promtool (ArgumentParser's own `help` command
        // reports its output as an error).
        if remaining.first == "help" {
            remaining.removeFirst()
            let at = remaining.firstIndex(of: "--") ?? remaining.endIndex
            remaining.insert("--help", at: at)
        }
    }

    /// The value of flag `name` written as `name=v` or `name v`; nil when `arg` is another flag, `.some(nil)`
    /// when the value is missing.
    private static func value(of name: String, in arg: String, next args: [String], at i: inout Int) -> String?? {
        if arg == name {
            guard i < args.count else { return .some(nil) }
            i += 1
            return .some(args[i - 1])
        }
        if arg.hasPrefix(name + "=") { return .some(String(arg.dropFirst(name.count + 1))) }
        return nil
    }

    /// The arguments for ArgumentParser: the remaining ones plus the global flags' values as options of the
    /// selected command (before a `--`, so they stay options).
    func prepared() -> [String] {
        var extra: [String] = []
        if handDown {
            extra += enableFeature.map { "--enable-feature=\($0)" }
            if let lookbackDelta { extra.append("--query.lookback-delta=\(lookbackDelta)") }
        }
        guard !extra.isEmpty else { return remaining }
        var out = remaining
        let at = out.firstIndex(of: "--") ?? out.endIndex
        out.insert(contentsOf: extra, at: at)
        return out
    }

    /// Parses the command line; a selected command that does not declare a handed-down global flag gets it
    /// dropped (a second parse without them), as promtool accepts the global flags with every command.
    mutating func parse() throws -> ParsableCommand {
        if let missingValue { throw UsageError("expected argument for flag '\(missingValue)'") }
        do {
            return try PromtoolSwift.parseAsRoot(prepared())
        } catch {
            let message = PromtoolSwift.message(for: error)
            let handed = message.hasPrefix("Unknown option '--enable-feature'")
                || message.hasPrefix("Unknown option '--query.lookback-delta'")
            guard handDown, handed else { throw error }
            handDown = false
            return try PromtoolSwift.parseAsRoot(prepared())
        }
    }

    /// kingpin's wording for an ArgumentParser parse error (the text after `promtool: error: `).
    func kingpinMessage(for error: Error) -> String {
        if let usage = error as? UsageError { return usage.message }
        let message = PromtoolSwift.message(for: error)
        if let name = Self.quoted(after: "Unknown option ", in: message) {
            return name.hasPrefix("--") ? "unknown long flag '\(name)'" : "unknown short flag '\(name)'"
        }
        if let name = Self.quoted(after: "Missing value for ", in: message) {
            let flag = name.split(separator: " ").first.map(String.init) ?? name
            return "expected argument for flag '\(flag)'"
        }
        if let name = Self.quoted(after: "Missing expected argument ", in: message) {
            let bare = name.split(separator: " ").first.map(String.init) ?? name
            return "required argument '\(bare.trimmingAngleBrackets)' not provided"
        }
        let extra = Self.quoted(after: "Unexpected argument ", in: message)
            ?? Self.quoted(after: "unexpected arguments: ", in: message)
        if let extra {
            if CommandTree.expectsCommand(arguments: remaining, at: extra) {
                return "expected command but got \"\(extra)\""
            }
            return "unexpected \(extra)"
        }
        return message
    }

    /// The first `'...'` after `prefix` in `message`.
    private static func quoted(after prefix: String, in message: String) -> String? {
        guard let r = message.firstRange(of: prefix + "'") else { return nil }
        let rest = message[r.upperBound...]
        guard let end = rest.firstIndex(of: "'") else { return nil }
        return String(rest[..<end])
    }
}

/// A command-line mistake found before ArgumentParser runs, in kingpin's words.
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

extension String {
    /// `<name>` → `name`.
    fileprivate var trimmingAngleBrackets: String {
        var s = Substring(self)
        if s.hasPrefix("<") { s = s.dropFirst() }
        if s.hasSuffix(">") { s = s.dropLast() }
        return String(s)
    }
}
