import Engine
import FuzzSupport

/// Set `FUZZ_PROMQL_PARSE_ONLY=1` to check only that printed forms re-parse (skips the stricter
/// print-idempotence and pretty-print checks, e.g. while a known printer bug is being fixed).
let strict = getenv("FUZZ_PROMQL_PARSE_ONLY") == nil

/// Re-parses printed text; a failure is an invariant violation unless it is only the depth limit (the
/// printer may add parentheses to a tree that was already close to the limit).
func reparse(_ text: String, what: String, original: [UInt8]) -> Expr? {
    do {
        return try PromQLParser.parse(text, options: .allEnabled)
    } catch {
        if error.errors.allSatisfy({ $0.message.hasPrefix("expression nesting too deep") }) { return nil }
        fuzzInvariantFailed("""
            \(what) does not re-parse.
              input:   \(String(decoding: original, as: UTF8.self).debugDescription)
              printed: \(text.debugDescription)
              error:   \(error.description)
            """)
    }
}

/// Parses arbitrary bytes as PromQL with every feature on; when it parses, the printed form
/// (`description`) must parse again and print identically, and so must `prettyPrint()`.
func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard let expr = try? PromQLParser.parse(utf8: bytes, options: .allEnabled) else { return 0 }
    let printed = expr.description
    guard let again = reparse(printed, what: "String() output", original: bytes) else { return 0 }
    let pretty = expr.prettyPrint()
    guard strict else { return 0 }
    let printedAgain = again.description
    if printedAgain != printed {
        fuzzInvariantFailed("""
            String() is not stable across a re-parse.
              input:    \(String(decoding: bytes, as: UTF8.self).debugDescription)
              printed:  \(printed.debugDescription)
              reprinted: \(printedAgain.debugDescription)
            """)
    }
    guard let prettyExpr = reparse(pretty, what: "prettyPrint() output", original: bytes) else { return 0 }
    if prettyExpr.description != printed {
        fuzzInvariantFailed("""
            prettyPrint() changes the expression.
              input:   \(String(decoding: bytes, as: UTF8.self).debugDescription)
              printed: \(printed.debugDescription)
              pretty:  \(pretty.debugDescription)
              pretty re-printed: \(prettyExpr.description.debugDescription)
            """)
    }
    return 0
}

exit(runLibFuzzer(fuzzOne))
