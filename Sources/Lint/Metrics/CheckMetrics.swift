/// `promtool check metrics`: lint (and optionally count) a text exposition read from stdin.
public struct CheckMetrics: Sendable {
    /// What the command prints and returns.
    public struct Output: Sendable, Equatable {
        public var stdout: String
        public var stderr: String
        public var exitCode: Int32
    }

    public var extended: Bool
    /// The `--lint` value: `none` disables linting; anything else (`all` by default) enables it.
    public var lint: String

    public init(extended: Bool = false, lint: String = "all") {
        self.extended = extended
        self.lint = lint
    }

    /// Runs the check on the input bytes, producing promtool 3.x's output: lint problems on stderr as
    /// `METRIC TEXT`, then (with `extended`) the cardinality table on stdout; exit 3 when problems were
    /// found, 1 on a parse error or when both linting and `extended` are off.
    public func run(_ input: [UInt8]) -> Output {
        let lintOn = lint != "none"
        if !extended && !lintOn {
            return Output(stdout: "", stderr: "error: at least one of --extended or linting must be enabled\nUse --extended for cardinality analysis, or remove --lint=none to enable linting\n", exitCode: 1)
        }
        var stderr = ""
        var problems: [MetricsLintProblem] = []
        var families: [MetricFamily]?
        if lintOn {
            do {
                let fams = try MetricFamilyTextParser().parse(input)
                families = fams
                problems = MetricsLinter().lint(families: fams)
            } catch {
                return Output(stdout: "", stderr: "error while linting: \(error)\n", exitCode: 1)
            }
            for p in problems { stderr += "\(p.metric) \(p.text)\n" }
        }
        var stdout = ""
        if extended {
            let fams: [MetricFamily]
            if let families {
                fams = families
            } else {
                do {
                    fams = try MetricFamilyTextParser().parse(input)
                } catch {
                    return Output(stdout: "", stderr: stderr + "error while parsing text to metric families: \(error)\n", exitCode: 1)
                }
            }
            stdout = MetricsCardinality(families: fams).render()
        }
        return Output(stdout: stdout, stderr: stderr, exitCode: problems.isEmpty ? 0 : 3)
    }
}
