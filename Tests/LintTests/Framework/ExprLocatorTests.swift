import ConfigModel
import Testing
@testable import Lint

@Suite struct ExprLocatorTests {
    func locate(_ yaml: String, _ needle: String) throws -> SourcePosition {
        let docs = try YAMLComposer.compose(yaml)
        let node = try #require(docs.first?["expr"])
        let value = try #require(node.scalarValue)
        let offset = try #require(value.utf8.firstRange(of: Array(needle.utf8))?.lowerBound)
        return ExprLocator(node: node, value: value, source: SourceText(path: "x", text: yaml))
            .position(ofByte: value.utf8.distance(from: value.utf8.startIndex, to: offset))
    }

    @Test func rangesEndAfterTheLastCharacter() throws {
        let yaml = "expr: sum(up)\n"
        let node = try #require(try YAMLComposer.compose(yaml).first?["expr"])
        let l = ExprLocator(node: node, value: "sum(up)", source: SourceText(path: "x", text: yaml))
        #expect(l.range(start: 4, end: 6) == SourceRange(start: SourcePosition(line: 1, column: 11), end: SourcePosition(line: 1, column: 13)))
        #expect(l.range(start: 0, end: 7).end == SourcePosition(line: 1, column: 14))
    }

    @Test func plainQuotedAndBlockScalars() throws {
        #expect(try locate("expr: sum(rate(x[5m]))\n", "rate") == SourcePosition(line: 1, column: 11))
        #expect(try locate("expr: 'sum(x) > \"a\"'\n", "x)") == SourcePosition(line: 1, column: 12))
        #expect(try locate("expr: |\n  sum(\n    rate(x[5m])\n  )\n", "rate") == SourcePosition(line: 3, column: 5))
        #expect(try locate("expr: >\n  sum(\n    rate(x[5m]))\n", "rate") == SourcePosition(line: 3, column: 5))
        #expect(try locate("expr: sum(\n  rate(x[5m]))\n", "rate") == SourcePosition(line: 2, column: 3))
        #expect(try locate("expr: sum(rate(x[5m])) # c\n", "x[") == SourcePosition(line: 1, column: 16))
        #expect(try locate("expr: \"é + rate(x[1m])\"\n", "rate") == SourcePosition(line: 1, column: 12))
        #expect(try locate("expr: \"up{job=\\\"a\\\"} + rate(x[1m])\"\n", "rate") == SourcePosition(line: 1, column: 24))
        #expect(try locate("expr: 'up{job=''a''} + rate(x[1m])'\n", "rate") == SourcePosition(line: 1, column: 24))
        #expect(try locate("expr: \"sum(up)\n  + rate(x[1m])\"\n", "rate") == SourcePosition(line: 2, column: 5))
    }
}
