import ConfigModel

/// The outcome of one unit-test file: promtool's output lines for it and what each test group found.
public struct RulesTestFileResult: Sendable {
    public var file: String
    /// `  WARNING: no file match pattern PAT` lines (stderr), printed first.
    public var warnings: [String]
    /// A problem with the file itself (unreadable, bad YAML, repeated `group_eval_order` names): no group ran.
    public var fileFailure: RulesTestFailure?
    /// The test groups that ran (`--run` selects), in file order.
    public var groups: [RulesTestGroupResult]
    /// The rule files the `rule_files` patterns matched.
    public var ruleFiles: [String]
    /// Every rule of those files with its file and position (for `--coverage`).
    public var rules: [(file: String, rule: Rule)]

    public init(file: String, warnings: [String] = [], fileFailure: RulesTestFailure? = nil, groups: [RulesTestGroupResult] = [],
                ruleFiles: [String] = [], rules: [(file: String, rule: Rule)] = []) {
        self.file = file
        self.warnings = warnings
        self.fileFailure = fileFailure
        self.groups = groups
        self.ruleFiles = ruleFiles
        self.rules = rules
    }

    /// Every failure in promtool's order.
    public var failures: [RulesTestFailure] {
        if let f = fileFailure { return [f] }
        return groups.flatMap(\.failures)
    }

    public var failed: Bool { !failures.isEmpty }

    /// promtool 3.14's output for this file: warnings and debug lines, then `  SUCCESS` (stdout) or
    /// `  FAILED:` and each failure (stderr, each followed by a blank stdout line), then a blank stdout line.
    /// After each failure we add `  at FILE:L:C` (stderr) when the position is known.
    public var output: [RuleFileCheckResult.Line] {
        var out: [RuleFileCheckResult.Line] = warnings.map { .init(.stderr, $0) }
        for g in groups { out.append(contentsOf: g.debugLines.map { .init(.stderr, $0) }) }
        let all = failures
        if all.isEmpty {
            out.append(.init(.stdout, "  SUCCESS"))
        } else {
            out.append(.init(.stderr, "  FAILED:"))
            for f in all {
                out.append(.init(.stderr, f.message))
                if let at = f.positionLine { out.append(.init(.stderr, at)) }
                out.append(.init(.stdout, ""))
            }
        }
        out.append(.init(.stdout, ""))
        return out
    }
}
