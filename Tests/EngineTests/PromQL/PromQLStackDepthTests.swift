import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Engine
import Locking

/// Parsing, checking, printing and pretty-printing must survive any input on a small (512 KiB) thread stack,
/// the default of secondary threads on some platforms; the fuzz reproducers and the deepest expressions the
/// parser accepts are run on such a thread (a stack overflow would kill the test process).
@Suite struct PromQLStackDepthTests {
    /// What a run on the small stack produced: the printed and pretty forms, or the error text.
    struct Outcome: Sendable {
        var printed: String?
        var pretty: String?
        var reprinted: String?
        var error: String?
    }

    // @unchecked: handed to one small-stack thread, and `outcome` is read only after `pthread_join` returns.
    private final class Box: @unchecked Sendable {
        var outcome: Outcome?
        let bytes: [UInt8]
        let options: ParserOptions
        init(_ bytes: [UInt8], _ options: ParserOptions) {
            self.bytes = bytes
            self.options = options
        }

        func run() {
            var o = Outcome()
            do {
                let e = try PromQLParser.parse(utf8: bytes, options: options)
                let printed = e.description
                o.printed = printed
                o.pretty = e.prettyPrint()
                o.reprinted = (try? PromQLParser.parse(printed, options: options))?.description
            } catch {
                o.error = error.description
            }
            outcome = o
        }
    }

    /// 512 KiB, or 8 MiB under Thread Sanitizer, whose instrumentation makes every frame several times larger
    /// (the property checked is that of the normal build; under TSan the suite looks for races here).
    static let smallStack = threadSanitizerIsLinked ? 8 << 20 : 512 << 10

    /// Parses, prints and pretty-prints `bytes` on a new thread whose stack is `smallStack` bytes.
    static func onSmallStack(_ bytes: [UInt8], options: ParserOptions = .allEnabled) -> Outcome? {
        let box = Box(bytes, options)
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        defer { pthread_attr_destroy(&attr) }
        guard pthread_attr_setstacksize(&attr, smallStack) == 0 else { return nil }
        var tid = pthread_t()
        let arg = Unmanaged.passRetained(box).toOpaque()
        let rc = pthread_create(&tid, &attr, { raw in
            guard let raw else { return nil }
            Unmanaged<Box>.fromOpaque(raw).takeRetainedValue().run()
            return nil
        }, arg)
        guard rc == 0 else {
            Unmanaged<Box>.fromOpaque(arg).release()
            return nil
        }
        pthread_join(tid, nil)
        return box.outcome
    }

    /// The package root, three levels above this file.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let reproducerDir = packageRoot.appendingPathComponent("Fuzz/crashes/FuzzPromQL")

    static var reproducers: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: reproducerDir.path)) ?? []).sorted()
    }

    @Test func reproducersArePresent() {
        #expect(Self.reproducers.count >= 6)
        #expect(Self.reproducers.contains("nested-call-stack-overflow"))
    }

    @Test(arguments: reproducers)
    func reproducerOnSmallStack(_ name: String) throws {
        let bytes = try [UInt8](Data(contentsOf: Self.reproducerDir.appendingPathComponent(name)))
        let o = try #require(Self.onSmallStack(bytes))
        if let printed = o.printed {
            // Whatever parses prints to text that parses again.
            #expect(o.reprinted != nil, "\(name): \(printed.prefix(200))")
            #expect(o.pretty?.isEmpty == false)
        } else {
            let err = try #require(o.error)
            #expect(err.contains("parse error"), "\(name): \(err)")
        }
    }

    @Test func deepReproducersParse() throws {
        // All three are below the 1000-level limit, so they must parse (and not just fail cleanly).
        for name in ["nested-call-stack-overflow", "unary-chain-stack-overflow", "nested-paren-stack-overflow-asan"] {
            let bytes = try [UInt8](Data(contentsOf: Self.reproducerDir.appendingPathComponent(name)))
            let o = try #require(Self.onSmallStack(bytes))
            #expect(o.error == nil, "\(name): \(o.error ?? "")")
            #expect(o.reprinted == o.printed, "\(name)")
        }
    }

    /// The largest `n` up to 1000 for which `make(n)` parses, and that expression.
    private func deepestAccepted(_ make: (Int) -> String, options: ParserOptions = .allEnabled) -> (Int, String)? {
        var n = 1001
        while n > 900 {
            let s = make(n)
            if (try? PromQLParser.parse(s, options: options)) != nil { return (n, s) }
            n -= 1
        }
        return nil
    }

    static let shapes: [(String, @Sendable (Int) -> String)] = [
        ("calls", { String(repeating: "abs(", count: $0) + "x" + String(repeating: ")", count: $0) }),
        ("aggregations", { String(repeating: "sum by (a) (", count: $0) + "x" + String(repeating: ")", count: $0) }),
        ("topk", { String(repeating: "topk(1, ", count: $0) + "x" + String(repeating: ")", count: $0) }),
        ("parentheses", { String(repeating: "(", count: $0) + "x" + String(repeating: ")", count: $0) }),
        ("unary minus", { String(repeating: "-", count: $0) + "x" }),
        ("unary plus and minus", { String(repeating: "+-", count: $0 / 2) + "x" }),
        ("power", { Array(repeating: "x", count: $0 + 1).joined(separator: " ^ ") }),
        ("sum chain", { Array(repeating: "x", count: $0 + 1).joined(separator: " + ") }),
        ("subqueries in calls", { String(repeating: "last_over_time(", count: $0 / 2) + "x" + String(repeating: "[1m:])", count: $0 / 2) }),
        ("subqueries of parentheses", { String(repeating: "last_over_time((", count: $0 / 3) + "x" + String(repeating: ")[1m:])", count: $0 / 3) }),
        ("subqueries of unary expressions", { String(repeating: "last_over_time((-", count: $0 / 4) + "x" + String(repeating: ")[5m:])", count: $0 / 4) }),
        ("duration chain", { "x[" + Array(repeating: "1m", count: $0 + 1).joined(separator: " + ") + "]" }),
        ("duration parentheses", { "x[" + String(repeating: "(", count: $0) + "1m" + String(repeating: ")", count: $0) + "]" }),
        ("duration unary", { "x offset (" + String(repeating: "-", count: $0) + "1m)" }),
        ("duration min_of", { "x[" + String(repeating: "min_of(1m, ", count: $0) + "1m" + String(repeating: ")", count: $0) + "]" }),
        ("offset chain", { "x offset (" + Array(repeating: "step()", count: $0 + 1).joined(separator: " + ") + ")" }),
    ]

    @Test(arguments: shapes.map(\.0))
    func deepestAcceptedExpressionOnSmallStack(_ shape: String) throws {
        let make = try #require(Self.shapes.first { $0.0 == shape }?.1)
        let (n, s) = try #require(deepestAccepted(make), "\(shape): nothing between 901 and 1001 levels parses")
        #expect(n >= 990, "\(shape)")
        let o = try #require(Self.onSmallStack(Array(s.utf8)))
        #expect(o.error == nil, "\(shape): \(o.error ?? "")")
        #expect(o.reprinted == o.printed, "\(shape)")
        #expect(o.pretty?.isEmpty == false, "\(shape)")
        // One level more is the nesting error, reported cleanly on the small stack too.
        let deeper = try #require(Self.onSmallStack(Array(make(n + 1).utf8)))
        #expect(deeper.printed == nil, "\(shape)")
        #expect(deeper.error?.contains("expression nesting too deep: more than 1000 levels") == true,
                "\(shape): \(deeper.error ?? "")")
    }

    @Test func deepestInputParsedInPlaceOnSmallStack() throws {
        // Up to 48 bytes of `( [ - + ^` the parser runs on the caller's stack (no large-stack thread): the
        // deepest such inputs of the costliest shapes must fit a small stack too.
        let n = 48
        let inputs = [
            String(repeating: "abs(", count: n) + "x" + String(repeating: ")", count: n),
            String(repeating: "sum(", count: n) + "x" + String(repeating: ")", count: n),
            String(repeating: "topk(1, ", count: n) + "x" + String(repeating: ")", count: n),
            String(repeating: "count_values(\"a\", ", count: n) + "x" + String(repeating: ")", count: n),
            String(repeating: "(", count: n) + "x" + String(repeating: ")", count: n),
            String(repeating: "-", count: n) + "x",
            String(repeating: "last_over_time(", count: n / 2) + "x" + String(repeating: "[1m:])", count: n / 2),
            "x[" + String(repeating: "(", count: n - 1) + "1m" + String(repeating: ")", count: n - 1) + "]",
            "x[" + String(repeating: "min_of(1m, ", count: n - 1) + "1m" + String(repeating: ")", count: n - 1) + "]",
        ]
        for s in inputs {
            #expect(!DeepStack.mayNestDeeply(Array(s.utf8)), "\(s.prefix(20))")
            let o = try #require(Self.onSmallStack(Array(s.utf8)))
            #expect(o.error == nil && o.reprinted == o.printed, "\(s.prefix(20)): \(o.error ?? "")")
        }
    }

    @Test func typeErrorsInDeepTreesOnSmallStack() throws {
        // The checker reports positions of deep unary chains and subqueries (iteratively computed).
        let unary = String(repeating: "-", count: 999) + "\"s\""
        let o = try #require(Self.onSmallStack(Array(unary.utf8)))
        // Innermost first, as Prometheus's checkAST reports after checking the operand.
        #expect(o.error == #"1:999: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "string""#)
        let sub = "x[5m]" + String(repeating: "[1m:]", count: 990)
        let s = try #require(Self.onSmallStack(Array(sub.utf8)))
        #expect(s.error == "1:1: parse error: subquery is only allowed on instant vector, got matrix instead")
        let call = String(repeating: "abs(", count: 995) + "x[5m]" + String(repeating: ")", count: 995)
        let c = try #require(Self.onSmallStack(Array(call.utf8)))
        #expect(c.error?.hasPrefix("1:3981: parse error: expected type instant vector in call to function \"abs\", got range vector") == true,
                "\(c.error ?? "")")
    }

    @Test func longDurationChainsAreBounded() throws {
        // A left-deep chain is as deep as it is long; like expression chains it stops at the limit (at the
        // operator that would exceed it) instead of building a tree too deep to print or free.
        let chain = "x[" + Array(repeating: "1m", count: 100_000).joined(separator: "+") + "]"
        let o = try #require(Self.onSmallStack(Array(chain.utf8)))
        #expect(o.error == "1:3002: parse error: expression nesting too deep: more than 1000 levels")
        let offset = "x offset (" + Array(repeating: "1m", count: 5000).joined(separator: "*") + ")"
        let p = try #require(Self.onSmallStack(Array(offset.utf8)))
        #expect(p.error == "1:3010: parse error: expression nesting too deep: more than 1000 levels")
    }

    @Test func matcherWithInvalidUTF8PrintsAsWritten() throws {
        // Go keeps the bytes an escape writes and strconv.Quote prints them back as \x escapes.
        for (input, printed) in [(#"{"\xcd"}"#, #"{__name__="\xcd"}"#),
                                 (#"{a="\xcd"}"#, #"{a="\xcd"}"#),
                                 (#"x{a!="b\xff\xfec"}"#, #"x{a!="b\xff\xfec"}"#),
                                 (#"{"\u00e9"}"#, #"{__name__="é"}"#)] {
            let e = try PromQLParser.parse(input)
            #expect(e.description == printed, "\(input)")
            let again = try PromQLParser.parse(e.description)
            #expect(again.description == printed, "\(input)")
        }
        // Different invalid bytes are different matchers (they used to collapse into U+FFFD).
        let a = try #require(PromQLParser.parse(#"{a="\xcd"}"#).vectorSelectors.first?.matchers.first)
        let b = try #require(PromQLParser.parse(#"{a="\xce"}"#).vectorSelectors.first?.matchers.first)
        #expect(a != b)
        #expect(a.invalidUTF8Bytes == [0xCD])
        // No label value (a valid string) equals invalid bytes, not even U+FFFD.
        #expect(!a.matches("\u{FFFD}"))
        let ne = try LabelMatcher(.notEqual, "a", "\u{FFFD}", invalidUTF8Bytes: [0xCD])
        #expect(ne.matches("\u{FFFD}"))
        // Valid matchers are unchanged.
        let plain = try LabelMatcher(.equal, "a", "b")
        #expect(plain.invalidUTF8Bytes == nil && plain.matches("b"))
    }

    @Test func regexMatcherWithInvalidUTF8IsAnError() {
        // Go's regexp/syntax rejects patterns that are not UTF-8.
        #expect(throws: PromQLParseError.self) { try PromQLParser.parse(#"{a=~"\xcd"}"#) }
        do {
            _ = try PromQLParser.parse(#"x{a!~"a\xcd"}"#)
        } catch {
            #expect(error.description.hasPrefix("1:3: parse error: error parsing regexp: invalid UTF-8: `a"))
        }
    }
}
