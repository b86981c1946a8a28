import Testing
@testable import Engine

/// The function table is generated from `PromQLFunctionID`, so every function has one signature and one body.
@Suite struct PromQLFunctionIDTests {
    @Test func tableHoldsEveryFunctionOnceUnderItsName() throws {
        let ids = PromQLFunctionID.allCases
        #expect(Set(ids.map(\.name)).count == ids.count)
        #expect(PromQLFunction.table.count == ids.count)
        for id in ids {
            let f = try #require(PromQLFunction.named(id.name))
            #expect(f.id == id)
        }
        #expect(PromQLFunction.unknown("nope").id == nil)
    }

    /// Range functions are exactly the functions with a range-vector argument (the evaluator relies on it).
    @Test func rangeFunctionsAreTheOnesTakingARangeVector() {
        for id in PromQLFunctionID.allCases {
            let takesMatrix = id.signature.argTypes.contains(.matrix)
            if case .range = id { #expect(takesMatrix, "\(id.name)") } else { #expect(!takesMatrix, "\(id.name)") }
        }
    }

    /// Every function evaluates: no call reaches "unknown function" (arguments built from the signature).
    @Test(arguments: PromQLFunctionID.allCases.map(\.name))
    func everyFunctionEvaluates(_ name: String) throws {
        let f = try #require(PromQLFunction.named(name))
        let args = f.argTypes.enumerated().map { i, t -> String in
            switch t {
            case .matrix: return "m[5m]"
            case .scalar: return "0.5"
            case .string: return #""a""#
            default: return name == "info" && i == 1 ? #"{a="b"}"# : "m" // info's second argument selects labels only
            }
        }
        let text = "\(name)(\(args.joined(separator: ", ")))"
        let expr = try PromQLParser.parse(text, options: .allEnabled)
        let result = try PromQLEngine().instantQuery(expr, at: 60_000, source: Head())
        #expect(result.warnings.allSatisfy { !$0.contains("unknown function") }, "\(text)")
    }
}
