import Testing
@testable import ConfigModel

/// Broken YAML answered in go-yaml's words where its scanner reads the input otherwise than libyaml 0.2.5
/// (diffs/21 of the mutation campaign and its left-overs; expected texts from promtool, whose configs go
/// through yaml v2 and rule files through yaml v3 as in 3.14).
@Suite struct GoYAMLScannerTests {
    func v3Error(_ text: String) -> String? {
        do {
            _ = try YAMLComposer.compose(bytes: Array(text.utf8), dialect: .yamlV3)
            return nil
        } catch {
            return error.message
        }
    }

    func v2Error(_ bytes: [UInt8]) -> String? {
        do {
            _ = try YAMLComposer.compose(bytes: bytes, firstDocumentOnly: true, dialect: .yamlV2)
            return nil
        } catch {
            return error.message
        }
    }

    /// go-yaml reads `,`, `[` and `]` into a tag's URI where libyaml ends the tag (mutdiff-s2-16's flow
    /// sequence that yaml v2 rejected and we accepted): libyaml is made to read the tag go-yaml reads.
    @Test func flowIndicatorsBelongToTheTag() throws {
        let nodes = try YAMLComposer.compose("a: [!x, b]\n")
        let seq = try #require(nodes.first?["a"])
        guard case .sequence(let items) = seq.content else {
            Issue.record("`a` is not a sequence")
            return
        }
        #expect(items.count == 1)
        #expect(items.first?.tag == "!x,")
        #expect(items.first?.scalarValue == "b")
        #expect(v2Error(Array("a: ['l:1'!]\n".utf8)) == "yaml: did not find expected ',' or ']'")
        #expect(v2Error(Array("a:\n  b: [!x]\n".utf8)) == "yaml: line 2: did not find expected ',' or ']'")
        #expect(v2Error(Array("a: !x,b\n".utf8)) == nil)
        #expect(v3Error("groups: []\na: {b: !x]}\n") == "yaml: line 2: did not find expected whitespace or line break")
    }

    /// yaml v3 scans two tokens past the one its parser rejects: a scanner error there is what it reports.
    @Test func v3ReportsAScannerErrorWithinItsLookahead() {
        #expect(v3Error("  expr: |\n \\ x\n  labels:\n") == "yaml: line 3: mapping values are not allowed in this context")
        #expect(v3Error("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: |\n       \\  up\n        labels: {}\n")
                == "yaml: line 7: mapping values are not allowed in this context")
    }

    /// Past the lookahead the parser's own error stands.
    @Test func v3KeepsTheParserErrorBeyondItsLookahead() {
        #expect(v3Error("a:\n  - b\n c: 1\nd: 2\ne: 3\nf: 4\n") == "yaml: line 2: did not find expected key")
    }

    /// Configs (yaml v2) look no further ahead than libyaml does.
    @Test func v2KeepsTheParserError() {
        let text = "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: |\n       \\  up\n        labels: {}\n"
        #expect(v2Error(Array(text.utf8)) == "yaml: line 5: did not find expected '-' indicator")
    }

    /// go-yaml skips no BOM after the stream's start: at a line's start it begins a plain scalar there.
    @Test func aBOMInsideTheStreamIsACharacter() throws {
        let text = "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n\u{FEFF}    for: 2m\n    labels:\n      a: b\n"
        #expect(v3Error(text) == "yaml: line 7: mapping values are not allowed in this context")
        // yaml v2 alike: the BOM and the indentation after it are part of a key.
        let config = Array("scrape_configs:\n  - job_name: a\n    static_configs:\n".utf8) + [0xEF, 0xBB, 0xBF]
            + Array("      - targets: [x]\n".utf8)
        let docs = try YAMLComposer.compose(bytes: config, firstDocumentOnly: true, dialect: .yamlV2)
        guard case .mapping(let pairs)? = docs.first?.content else { Issue.record("not a mapping"); return }
        #expect(pairs.map { $0.key.scalarValue } == ["scrape_configs", "\u{FEFF}      - targets"])
    }

    /// A BOM inside a scalar value survives masking.
    @Test func aBOMInsideAValueIsKept() throws {
        let docs = try YAMLComposer.compose("a: x\u{FEFF}y\n")
        #expect(docs.first?["a"]?.scalarValue == "x\u{FEFF}y")
    }

    /// yaml v3 reads a run of comment lines at once, tabs before each `#` included; yaml v2 does not.
    @Test func tabsBeforeACommentInARunAreAcceptedByV3() throws {
        let text = "groups:\n- name: g\n  # one\n\t# two\n  \t # three\n  rules: []\n"
        #expect(v3Error(text) == nil)
        #expect(v2Error(Array(text.utf8)) == "yaml: line 4: found character that cannot start any token")
        // A comment on a token's own line is that token's line comment: it starts no run.
        #expect(v3Error("a: 1 # c\n\t# d\nb: 2\n") == "yaml: line 2: found character that cannot start any token")
        // A tab before content is an error in both.
        #expect(v3Error("a: 1\n# c\n\tb: 2\n") == "yaml: line 3: found character that cannot start any token")
    }
}
