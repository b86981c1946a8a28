import Testing
@testable import ConfigModel

/// go-yaml's nesting limits (`max_flow_level`, `max_indents`: 10,000) and the bound on libyaml's work,
/// checked by counting parse events and flow-nesting work rather than by timing anything.
@Suite struct YAMLNestingLimitTests {
    private static func brackets(_ n: Int, closed: Bool) -> [UInt8] {
        Array(String(repeating: "[", count: n).utf8) + (closed ? Array(String(repeating: "]", count: n).utf8) : [])
    }

    /// crashes/01: a rule file of 100,000 `[` read the whole input a second time (quadratic in libyaml).
    /// Now one pass stops at the 10,001st level, so the events read stay near the limit, not the input.
    @Test(arguments: [false, true])
    func hundredThousandBracketsStopAtTheLimit(closed: Bool) {
        let loaded = RuleFile.load(bytes: Self.brackets(100_000, closed: closed))
        #expect(loaded.errors.map(\.message) == ["yaml: exceeded max depth of 10000", "yaml: exceeded max depth of 10000"])
        #expect(loaded.errors.first?.mark == Mark(line: 1, column: 10_001))
        #expect(loaded.work.events <= YAMLComposer.maxFlowLevel + 3)
        #expect(loaded.work.flowWork <= YAMLComposer.maxFlowLevel * YAMLComposer.maxFlowLevel / 2 + YAMLComposer.maxFlowLevel)
    }

    @Test func tenThousandLevelsAreAccepted() throws {
        let nodes = try YAMLComposer.compose(bytes: Self.brackets(10_000, closed: true))
        #expect(nodes.count == 1)
    }

    /// go-yaml names the line (from the second on) of the collection that went too deep.
    @Test func depthErrorPastTheFirstLineNamesIt() {
        let text = "groups: []\nzz: " + String(repeating: "[", count: 10_001) + String(repeating: "]", count: 10_001) + "\n"
        for dialect in [YAMLComposer.Dialect.yamlV2, .yamlV3] {
            #expect(throws: YAMLError(message: "yaml: line 2: exceeded max depth of 10000", mark: Mark(line: 2, column: 10_005))) {
                try YAMLComposer.compose(text, dialect: dialect)
            }
        }
        let config = "scrape_configs: []\nzz: " + String(repeating: "{a: ", count: 10_001) + "1" + String(repeating: "}", count: 10_001) + "\n"
        #expect(throws: ConfigError("yaml: line 2: exceeded max depth of 10000", at: Mark(line: 2, column: 4 * 10_000 + 5))) {
            try PrometheusConfig.parse(config)
        }
    }

    /// Thousands of open flow levels over many tokens: libyaml would rescan every level per token; the work
    /// bound turns that into one error long before it costs minutes.
    @Test func openFlowLevelsOverManyTokensHitTheWorkBound() {
        let text = Array(String(repeating: "[", count: 9_000).utf8) + Array(String(repeating: "1,", count: 40_000).utf8)
        var work = YAMLComposer.Work()
        #expect(throws: YAMLError.self) { try YAMLComposer.compose(bytes: text, work: &work) }
        #expect(work.flowWork <= YAMLComposer.maxFlowWork + YAMLComposer.maxFlowLevel)
        #expect(work.events < 40_000)
    }

    /// Block nesting deeper than 10,000 indents is go-yaml's other depth error.
    @Test func blockNestingPastTheIndentLimit() {
        var text = ""
        for _ in 0..<10_001 { text += "- " }
        text += "x\n"
        #expect(performing: { _ = try YAMLComposer.compose(text) }, throws: { e in
            (e as? YAMLError)?.message == "yaml: exceeded max depth of 10000"
        })
    }
}
