import Testing
@testable import Engine

/// Scalar result lines of promqltest scripts are read like upstream's `parseNumber`: Go's
/// `strconv.ParseInt(s, 0, 64)`, else `strconv.ParseFloat(s, 64)`; anything else is a series line.
@Suite struct PromQLTestScriptNumberTests {
    @Test func bareNumbers() {
        let cases: [(String, Double)] = [("409", 409), ("-3", -3), ("+3", 3), ("0x10", 16), ("0o17", 15), ("017", 15),
                                         ("0b101", 5), ("1_000", 1000), ("1.5", 1.5), ("-.5", -0.5), ("1e3", 1000),
                                         ("Inf", .infinity), ("-inf", -.infinity), ("+Infinity", .infinity),
                                         ("0x1p-2", 0.25), ("-9223372036854775808", -9223372036854775808),
                                         ("9223372036854775808", 9223372036854775808)]
        for (s, want) in cases {
            #expect(PromQLTestScript.parseBareNumber(s) == want, "\(s)")
        }
        #expect(PromQLTestScript.parseBareNumber("NaN")?.isNaN == true)
    }

    @Test func notNumbers() {
        // A doubled sign used to reach Swift's Int64 parser and then overflow negating Int64.min.
        for s in ["--9223372036854775808", "--5", "+-5", "-+5", "1e400", "-1e400", "+NaN", "-nan", "1__0", "_1",
                  "0x", "1 2", "{}", "", "-", "x", "1e"] {
            #expect(PromQLTestScript.parseBareNumber(s) == nil, "\(s)")
        }
    }

    @Test func doubledSignScalarLineIsAnErrorNotACrash() {
        let script = "load 1m\n  m 1\n\neval instant at 0 m\n  --9223372036854775808\n"
        #expect(throws: PromQLTestError.self) { try PromQLTestScript.parse(script) }
    }

    @Test func scalarLinesInScripts() throws {
        let script = try PromQLTestScript.parse("eval instant at 0 1\n  1_000\n\neval instant at 0 2\n  0x10\n")
        let scalars = script.commands.compactMap { c -> Double? in
            if case .eval(let e) = c { return e.expectedScalar?.value }
            return nil
        }
        #expect(scalars == [1000, 16])
    }
}
