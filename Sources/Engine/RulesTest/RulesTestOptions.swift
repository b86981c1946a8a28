/// Settings of `test rules`.
public struct RulesTestOptions: Sendable {
    /// `--run` patterns (Go regular expressions, joined with `|`); empty runs every group.
    public var runPatterns: [String]
    /// `--diff`: print alert mismatches as a JSON difference.
    public var diff: Bool
    /// `--debug`: timing lines and a dump of all data per group.
    public var debug: Bool
    /// `--ignore-unknown-fields` for the rule files.
    public var ignoreUnknownFields: Bool
    /// Parser features (`--enable-feature`); `@` and negative offsets are always on, as in promtool.
    public var parserOptions: ParserOptions
    /// `promql-delayed-name-removal`.
    public var delayedNameRemoval: Bool
    /// Upper bound on the samples one test group may load (guards `xN` expansions); promtool has none.
    public var maxInputSamples: Int
    /// Upper bound on the evaluation steps of one test group (largest `eval_time` / `evaluation_interval`).
    public var maxEvaluationSteps: Int64

    public init(runPatterns: [String] = [], diff: Bool = false, debug: Bool = false, ignoreUnknownFields: Bool = false,
                parserOptions: ParserOptions = ParserOptions(), delayedNameRemoval: Bool = false,
                maxInputSamples: Int = 50_000_000, maxEvaluationSteps: Int64 = 10_000_000) {
        self.runPatterns = runPatterns
        self.diff = diff
        self.debug = debug
        self.ignoreUnknownFields = ignoreUnknownFields
        self.parserOptions = parserOptions
        self.delayedNameRemoval = delayedNameRemoval
        self.maxInputSamples = maxInputSamples
        self.maxEvaluationSteps = maxEvaluationSteps
    }

    /// The engine promtool's lazy loader sets up: 10,000 samples per query, default lookback, the
    /// evaluation interval as the default subquery step.
    func engineOptions(evaluationIntervalMillis: Int64) -> EngineOptions {
        var o = EngineOptions()
        o.maxSamples = 10_000
        o.delayedNameRemoval = delayedNameRemoval
        o.parserOptions = parserOptions
        o.defaultSubqueryStepMillis = evaluationIntervalMillis
        return o
    }
}
