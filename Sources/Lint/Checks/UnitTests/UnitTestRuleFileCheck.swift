/// `unittest/rule-file-missing`: a unit-test file's `rule_files` entry that matches no file.
public struct UnitTestRuleFileCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "unittest/rule-file-missing", defaultSeverity: .error,
        summary: "A unit-test file names a rule file (or glob) that matches no file.",
        doc: """
        `promtool test rules` resolves `rule_files` relative to the test file's directory. An entry that \
        matches nothing only prints a warning; the tests then run without those rules, so every alert test \
        sees no alerts and every expression test over recorded series sees nothing: tests fail for the wrong \
        reason, or tests expecting silence pass without testing anything. Fix the path (it is relative to \
        the test file, not to where promtool runs).
        """)

    public func check(unitTest: UnitTestContext, findings: inout Findings) {
        for (entry, matches) in unitTest.ruleFiles where matches.isEmpty {
            findings.report(entry.range, """
                rule_files entry "\(entry.value)" matches no file (paths are relative to the test file's \
                directory): the tests run without these rules, so alert and recording-rule assertions test \
                nothing; fix the path
                """)
        }
    }
}
