import Testing
import TestSupport
@testable import Engine
import TestSupport

@Suite struct PromQLRobustnessTests {
    private func expectError(_ s: String, _ want: String? = nil, options: ParserOptions = ParserOptions()) {
        do {
            _ = try PromQLParser.parse(s, options: options)
            Issue.record("expected a parse error for input of \(s.utf8.count) bytes")
        } catch {
            if let w = want { #expect(error.description == w) }
            #expect(error.position.start >= 0 && error.position.start <= s.utf8.count)
        }
    }

    @Test func hundredThousandNestedParenthesesIsAnError() {
        let s = String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)
        expectError(s, "1:1001: parse error: expression nesting too deep: more than 1000 levels")
    }

    @Test func unclosedNestingIsAnError() {
        expectError(String(repeating: "(", count: 100_000))
        expectError(String(repeating: "sum(", count: 50_000))
        expectError(String(repeating: "-", count: 100_000) + "1")
        expectError(String(repeating: "2^", count: 100_000) + "2")
        expectError("foo[" + String(repeating: "(", count: 100_000) + "1m" + String(repeating: ")", count: 100_000) + "]",
                    options: .allEnabled)
        expectError(String(repeating: "[1m:]", count: 5) + "foo")
    }

    @Test func nestingWithinTheLimitParsesPrintsAndChecks() throws {
        let depth = 900
        let s = String(repeating: "abs(", count: depth) + "foo" + String(repeating: ")", count: depth)
        let e = try PromQLParser.parse(s)
        #expect(e.description == s)
        #expect(e.prettyPrint().hasPrefix("abs(\n"))
        let parens = String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        #expect(try PromQLParser.parse(parens).description == parens)
        let sum = Array(repeating: "foo", count: depth).joined(separator: " + ")
        #expect(try PromQLParser.parse(sum).description == sum)
        let pow = Array(repeating: "2", count: depth).joined(separator: " ^ ")
        #expect(try PromQLParser.parse(pow).description == pow)
    }

    @Test func longFlatChainsAreBoundedToo() {
        let s = Array(repeating: "foo", count: 200_000).joined(separator: " or ")
        expectError(s, "1:6998: parse error: expression nesting too deep: more than 1000 levels")
    }

    @Test func oneMegabyteExpressions() throws {
        // A 1 MB label value and a 1 MB regexp parse fine.
        let big = String(repeating: "x", count: 1 << 20)
        let e = try PromQLParser.parse("foo{a=\"" + big + "\"}")
        if case .vectorSelector(let vs) = e { #expect(vs.matchers[0].value.utf8.count == 1 << 20) } else { Issue.record("not a selector") }
        _ = try PromQLParser.parse("foo{a=~\"" + String(repeating: "a|", count: 1 << 15) + "b\"}")
        // 1 MB of garbage, of unterminated strings and of a long function argument list.
        expectError(String(repeating: "}", count: 1 << 20), "1:1: parse error: unexpected character: '}'")
        expectError("\"" + big, "1:1: parse error: unterminated quoted string")
        expectError("`" + big, "1:1: parse error: unterminated raw string")
        expectError("foo{a=~\"" + big, "1:8: parse error: unterminated quoted string")
        let args = "label_join(foo, \"a\", \",\"" + String(repeating: ", \"b\"", count: 200_000) + ")"
        #expect(throws: Never.self) { try PromQLParser.parse(args) }
        let sumOfCalls = "sum(" + Array(repeating: "rate(foo[5m])", count: 900).joined(separator: " + ") + ")"
        #expect(throws: Never.self) { try PromQLParser.parse(sumOfCalls) }
    }

    @Test func hostileBytesNeverCrash() {
        var rng = TestRNG(seed: 42)
        let alphabet = Array("()[]{}<>=!~+-*/%^@,:;\"'`\\ \n\t0123456789.eExXabcdefghijklmnopqrstuvwxyz_#".utf8) + [0xFF, 0xC3, 0xE2, 0x80]
        for _ in 0..<20_000 {
            let n = Int(rng.next() % 40)
            var b: [UInt8] = []
            for _ in 0..<n { b.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
            do {
                let e = try PromQLParser.parse(utf8: b, options: .allEnabled)
                let printed = e.description
                // What we print must parse again to the same form.
                let again = try PromQLParser.parse(printed, options: .allEnabled)
                #expect(again.description == printed, "\(b)")
                _ = e.prettyPrint()
            } catch {
                #expect(error.position.start >= 0 && error.position.start <= b.count, "\(b)")
            }
        }
    }

    @Test(.needsCorpus) func mutatedCorpusExpressionsNeverCrash() throws {
        var rng = TestRNG(seed: 7)
        var exprs: [[UInt8]] = []
        for f in PromQLCorpus.files {
            if let text = PromQLCorpus.read(f) { exprs += PromQLCorpus.evals(text).map { Array($0.expr.utf8) } }
        }
        #expect(exprs.count > 1000)
        for e in exprs {
            for _ in 0..<5 {
                var b = e
                guard !b.isEmpty else { continue }
                let i = Int(rng.next() % UInt64(b.count))
                switch rng.next() % 3 {
                case 0: b.remove(at: i)
                case 1: b.insert(b[Int(rng.next() % UInt64(b.count))], at: i)
                default: b[i] = UInt8(truncatingIfNeeded: rng.next())
                }
                do {
                    let x = try PromQLParser.parse(utf8: b, options: .allEnabled)
                    let p = x.description
                    let again = try PromQLParser.parse(p, options: .allEnabled)
                    #expect(again.description == p, "\(String(decoding: b, as: UTF8.self))")
                } catch {
                    #expect(error.position.start >= 0 && error.position.start <= b.count)
                }
            }
        }
    }
}

