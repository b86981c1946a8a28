/// A `promtool test rules` input file (`unitTestFile` in cmd/promtool/unittest.go), decoded strictly as
/// yaml.v2's `UnmarshalStrict` does, with positions. Expressions and series notation stay positioned strings:
/// this module knows no PromQL.
public struct UnitTestFile: Sendable {
    /// `rule_files:` as written (relative to the test file; globs allowed).
    public var ruleFiles: [PositionedText]
    /// `evaluation_interval:`; zero when absent (promtool then uses 1m).
    public var evaluationInterval: PromDuration
    /// `group_eval_order:` group names.
    public var groupEvalOrder: [PositionedText]
    /// `tests:` in file order.
    public var tests: [UnitTestGroup]
    /// `fuzzy_compare:` floats within one ulp compare equal.
    public var fuzzyCompare: Bool
    /// Where the document starts.
    public var mark: Mark

    public init(ruleFiles: [PositionedText] = [], evaluationInterval: PromDuration = .zero,
                groupEvalOrder: [PositionedText] = [], tests: [UnitTestGroup] = [], fuzzyCompare: Bool = false,
                mark: Mark = Mark(line: 1, column: 1)) {
        self.ruleFiles = ruleFiles
        self.evaluationInterval = evaluationInterval
        self.groupEvalOrder = groupEvalOrder
        self.tests = tests
        self.fuzzyCompare = fuzzyCompare
        self.mark = mark
    }

    /// The interval promtool evaluates rules at: `evaluation_interval`, 1m when unset.
    public var effectiveEvaluationInterval: PromDuration {
        evaluationInterval.milliseconds == 0 ? .minutes(1) : evaluationInterval
    }

    /// Parses a unit-test file. The error text is yaml.v2's (syntax, `yaml: unmarshal errors:` with every
    /// unknown field or type problem, invalid durations), positioned at its first problem.
    public static func parse(bytes: [UInt8]) throws(ConfigError) -> UnitTestFile {
        let docs: [Node]
        do {
            docs = try YAMLComposer.compose(bytes: bytes, firstDocumentOnly: true)
        } catch {
            throw ConfigError(error.message, at: error.mark)
        }
        guard let root = docs.first, !root.isNull else { return UnitTestFile() }
        return try YAMLDecoder().decodeDocument(UnitTestFile.self, from: root)
    }
}

extension UnitTestFile: YAMLDecodable {
    public static var goTypeName: String { "main.unitTestFile" }

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        mark = node.mark
        ruleFiles = try m.decode("rule_files", default: [])
        evaluationInterval = try m.decode("evaluation_interval", default: .zero)
        groupEvalOrder = try m.decode("group_eval_order", default: [])
        tests = try m.decode("tests", default: [])
        fuzzyCompare = try m.decode("fuzzy_compare", default: false)
        m.finish()
    }
}

extension PositionedText: YAMLDecodable {
    public static var goTypeName: String { "string" }

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        let text = try String(yaml: node, decoder: decoder)
        self.init(text, at: node.mark)
    }
}
