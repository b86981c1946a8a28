import ConfigModel
import Regexp

/// `promtool test rules`: runs unit-test files (cmd/promtool/unittest.go semantics, Prometheus 3.14).
/// Test groups of a file are independent and run on all cores; results keep the file's order.
public struct RulesTestRunner: Sendable {
    public let options: RulesTestOptions
    /// The `--run` patterns joined with `|` (promtool's filter), nil when every group runs.
    private let filter: Regexp?

    /// Creates a runner; the error is the `--run` patterns' compile error.
    public init(options: RulesTestOptions = RulesTestOptions()) throws(RegexpError) {
        self.options = options
        filter = options.runPatterns.isEmpty ? nil : try Regexp(options.runPatterns.joined(separator: "|"))
    }

    /// Runs one unit-test file read from `path` (rule files resolve relative to its folder).
    public func run(path: String) -> RulesTestFileResult {
        switch FileSystem.readFile(path) {
        case .success(let bytes): return run(bytes: bytes, path: path)
        case .failure(let e): return RulesTestFileResult(file: path, fileFailure: RulesTestFailure(message: e.message, file: path, mark: nil))
        }
    }

    /// Runs a unit-test file's content as if read from `path`.
    public func run(bytes: [UInt8], path: String) -> RulesTestFileResult {
        var result = RulesTestFileResult(file: path)
        let file: UnitTestFile
        do {
            file = try UnitTestFile.parse(bytes: bytes)
        } catch {
            result.fileFailure = RulesTestFailure(message: error.message, file: path, mark: error.mark)
            return result
        }
        // rule_files: relative to the test file's folder, globbed; a pattern matching nothing only warns.
        let baseDir = FilePath.dir(path)
        for pattern in file.ruleFiles {
            var p = pattern.value
            if !p.isEmpty && !FilePath.isAbsolute(p) { p = FilePath.join(baseDir, p) }
            switch FileSystem.glob(p) {
            case .success(let matches):
                if matches.isEmpty { result.warnings.append("  WARNING: no file match pattern \(p)") }
                result.ruleFiles.append(contentsOf: matches)
            case .failure(let e):
                result.fileFailure = RulesTestFailure(message: e.message, file: path, mark: pattern.mark)
                return result
            }
        }
        var groupOrder: [String: Int] = [:]
        for (i, name) in file.groupEvalOrder.enumerated() {
            if groupOrder[name.value] != nil {
                result.fileFailure = RulesTestFailure(message: "group name repeated in evaluation order: \(name.value)",
                                                      file: path, mark: name.mark)
                return result
            }
            groupOrder[name.value] = i
        }

        // Load and validate the rule files once for all test groups (promtool reloads them per group).
        let checker = RuleFileChecker(
            options: RuleCheckOptions(lintDuplicateRules: false, ignoreUnknownFields: options.ignoreUnknownFields),
            expressionParser: PromQLRuleExpressionParser(options: options.parserOptions), templateParser: GoAlertTemplateParser())
        var loadFailures: [RulesTestFailure] = []
        var ruleGroups: [(file: String, group: RuleGroup)] = []
        for ruleFile in result.ruleFiles where loadFailures.isEmpty {
            let bytes: [UInt8]
            switch FileSystem.readFile(ruleFile) {
            case .success(let b): bytes = b
            case .failure(let e):
                loadFailures = [RulesTestFailure(message: "\(ruleFile): \(e.message)", file: ruleFile, mark: nil)]
                continue
            }
            let (loaded, errors) = checker.analyse(bytes: bytes)
            if !errors.isEmpty {
                loadFailures = errors.map { RulesTestFailure(message: "\(ruleFile): \($0.message)", file: ruleFile, mark: $0.extraMark) }
            } else if let loaded {
                for g in loaded.groups {
                    ruleGroups.append((ruleFile, g))
                    for r in g.rules { result.rules.append((ruleFile, r)) }
                }
            }
        }
        let ordered = ruleGroups.enumerated().sorted { a, b in
            let x = groupOrder[a.element.group.nameText] ?? 0, y = groupOrder[b.element.group.nameText] ?? 0
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)

        let interval = file.effectiveEvaluationInterval.milliseconds
        var runs: [RulesTestGroupRun] = []
        for (i, g) in file.tests.enumerated() {
            if let filter, !filter.matches(g.name) { continue }
            runs.append(RulesTestGroupRun(group: g, displayName: g.name.isEmpty ? "unnamed#\(i)" : g.name, testFile: path,
                                          evaluationIntervalMillis: interval, ruleGroups: ordered,
                                          ruleLoadFailures: loadFailures, fuzzyCompare: file.fuzzyCompare, options: options))
        }
        let outcomes = ParallelWork.map(runs) { $0.run() }
        for (run, o) in zip(runs, outcomes) {
            result.groups.append(RulesTestGroupResult(name: run.displayName, mark: run.group.mark, failures: o.failures,
                                                      debugLines: o.debugLines, testedAlertNames: o.testedAlertNames,
                                                      testedExpressions: o.testedExpressions))
        }
        return result
    }
}
