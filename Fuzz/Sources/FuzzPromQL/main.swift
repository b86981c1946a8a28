import Engine
import FuzzSupport

/// Set `FUZZ_PROMQL_PARSE_ONLY=1` to check only that printed forms re-parse (skips the stricter
/// print-idempotence and pretty-print checks, e.g. while a known printer bug is being fixed).
let strict = getenv("FUZZ_PROMQL_PARSE_ONLY") == nil

/// Parser options: every feature on. `FUZZ_PROMQL_MAX_DEPTH=N` lowers the nesting limit (default 1000), e.g. to
/// keep fuzzing past a stack overflow of deep trees while it is being fixed.
let options: ParserOptions = {
    var o = ParserOptions.allEnabled
    if let text = getenv("FUZZ_PROMQL_MAX_DEPTH"), let depth = Int(String(cString: text)), depth > 0 { o.maxDepth = depth }
    return o
}()

/// Re-parses printed text; a failure is an invariant violation unless it is only the depth limit (the
/// printer may add parentheses to a tree that was already close to the limit).
func reparse(_ text: String, what: String, original: [UInt8]) -> Expr? {
    do {
        return try PromQLParser.parse(text, options: options)
    } catch {
        if error.errors.allSatisfy({ $0.message.hasPrefix("expression nesting too deep") }) { return nil }
        // Go's strconv.Quote prints a (valid) U+FFFD as is and Prometheus's lexer rejects it, so a string
        // holding U+FFFD (e.g. from `"\ufffd"`) does not round-trip upstream either. Invalid bytes from
        // `\xNN` escapes in string literals and matcher values round-trip (they print as `\xNN` again; see
        // Fuzz/crashes/FuzzPromQL/matcher-invalid-utf8, fixed); in quoted label names they still become U+FFFD.
        if text.unicodeScalars.contains("\u{FFFD}"),
           error.errors.allSatisfy({ $0.message == "invalid UTF-8 rune" }) { return nil }
        // Upstream accepts `info(m, {})` (the second argument may be an empty selector) but prints an empty
        // selector as nothing, `info(m, )`, which it then rejects; same here.
        if text.contains("info("),
           error.errors.allSatisfy({ $0.message == "trailing commas not allowed in function call args" }) { return nil }
        fuzzInvariantFailed("""
            \(what) does not re-parse.
              input:   \(String(decoding: original, as: UTF8.self).debugDescription)
              printed: \(text.debugDescription)
              error:   \(error.description)
            """)
    }
}

/// Go prints +Inf as `+Inf`; where it is the left operand of a binary expression under a unary operator
/// (`-inf ^ x` is `-(inf ^ x)`), re-parsing reads that `+` as one more unary plus, so upstream's String()
/// gains a `+` per round trip (same meaning). Collapses `++…+Inf` to `+Inf` before comparing.
func normalisedForComparison(_ s: String) -> String {
    var out = s
    while out.contains("++Inf") { out = out.replacing("++Inf", with: "+Inf") }
    return out
}

/// Parses arbitrary bytes as PromQL with every feature on; when it parses, the printed form
/// (`description`) must parse again and print identically, and so must `prettyPrint()`.
func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard let expr = try? PromQLParser.parse(utf8: bytes, options: options) else { return 0 }
    let printed = expr.description
    guard let again = reparse(printed, what: "String() output", original: bytes) else { return 0 }
    let pretty = expr.prettyPrint()
    guard strict else { return 0 }
    let printedAgain = again.description
    // `offset nan` becomes Go's time.Duration(NaN) (Int64.min ns), which prints as ...854ms; parsing that
    // text goes through float seconds (as upstream does) and comes back 1ms shorter.
    // Fuzz/crashes/FuzzPromQL/offset-nan-print-unstable (reported, to check against upstream).
    let nanOffset = printed.contains("106751d23h47m16s854ms")
    if !nanOffset && normalisedForComparison(printedAgain) != normalisedForComparison(printed) {
        fuzzInvariantFailed("""
            String() is not stable across a re-parse.
              input:    \(String(decoding: bytes, as: UTF8.self).debugDescription)
              printed:  \(printed.debugDescription)
              reprinted: \(printedAgain.debugDescription)
            """)
    }
    guard let prettyExpr = reparse(pretty, what: "prettyPrint() output", original: bytes) else { return 0 }
    if !nanOffset && normalisedForComparison(prettyExpr.description) != normalisedForComparison(printed) {
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
