/// What `check config --lint=all` and `check rules --lint=all` add to promtool's own lints: this linter's
/// checks on the same files (problems the loader already reported, the `input/*` ones, are left out).
public enum PromtoolLintAll {
    /// The findings as text lines (`file:line:col: severity: message [id]`), and whether any is a warning or
    /// worse (which `--lint-fatal` turns into exit code 3).
    public static func run(paths: [String], workingDirectory: String) -> (lines: [String], failed: Bool) {
        let result = Linter(catalogue: .standard).run(LintOptions(paths: paths, workingDirectory: workingDirectory))
        let findings = result.diagnostics.filter { $0.check.category != "input" }
        let text = TextReporter(colour: false).render(findings)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        return (lines, findings.contains { $0.severity >= .warning })
    }
}
