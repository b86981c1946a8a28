import Regexp
import GoCompat

/// Parser switches mirroring promtool's `--enable-feature` flags.
public struct ParserOptions: Sendable, Hashable {
    /// `promql-experimental-functions`: experimental functions and `limitk`/`limit_ratio`.
    public var experimentalFunctions: Bool
    /// `promql-duration-expr`: arithmetic in ranges, steps and offsets.
    public var durationExpressions: Bool
    /// `promql-extended-range-selectors`: the `anchored` and `smoothed` modifiers.
    public var extendedRangeSelectors: Bool
    /// `promql-binop-fill-modifiers`: `fill`, `fill_left` and `fill_right`.
    public var binopFillModifiers: Bool
    /// Maximum nesting depth of the expression tree; deeper input is a parse error (protects the stack).
    public var maxDepth: Int

    public init(experimentalFunctions: Bool = false, durationExpressions: Bool = false,
                extendedRangeSelectors: Bool = false, binopFillModifiers: Bool = false, maxDepth: Int = 1000) {
        self.experimentalFunctions = experimentalFunctions
        self.durationExpressions = durationExpressions
        self.extendedRangeSelectors = extendedRangeSelectors
        self.binopFillModifiers = binopFillModifiers
        self.maxDepth = maxDepth
    }

    /// Options from promtool `--enable-feature` names (`promql-experimental-functions`, `promql-duration-expr`,
    /// `promql-extended-range-selectors`, `promql-binop-fill-modifiers`); other names are ignored.
    public init<S: Sequence>(enableFeatures features: S) where S.Element: StringProtocol {
        self.init()
        for f in features {
            switch String(f) {
            case "promql-experimental-functions": experimentalFunctions = true
            case "promql-duration-expr": durationExpressions = true
            case "promql-extended-range-selectors": extendedRangeSelectors = true
            case "promql-binop-fill-modifiers": binopFillModifiers = true
            default: break
            }
        }
    }

    /// Every experimental feature on (what Prometheus's own PromQL test scripts use).
    public static let allEnabled = ParserOptions(experimentalFunctions: true, durationExpressions: true,
                                                 extendedRangeSelectors: true, binopFillModifiers: true)
}

/// Parses PromQL expressions exactly as Prometheus 3.14 does (same AST shape, same error texts and positions).
public enum PromQLParser {
    /// Parses and type-checks `expr`.
    public static func parse(_ expr: String, options: ParserOptions = ParserOptions()) throws(PromQLParseError) -> Expr {
        try parse(utf8: Array(expr.utf8), options: options)
    }

    /// Parses and type-checks raw UTF-8 bytes (which may be invalid UTF-8).
    public static func parse(utf8 bytes: [UInt8], options: ParserOptions = ParserOptions()) throws(PromQLParseError) -> Expr {
        if DeepStack.mayNestDeeply(bytes) {
            return try LargeStack.run { parseAndCheck(bytes, options) }.get()
        }
        return try parseAndCheck(bytes, options).get()
    }

    private static func parseAndCheck(_ bytes: [UInt8], _ options: ParserOptions) -> Result<Expr, PromQLParseError> {
        var p = Parser(bytes, options)
        let result = p.parseTop()
        guard p.errors.isEmpty, let expr = result else { return .failure(p.makeError()) }
        var checker = TypeChecker(input: bytes)
        checker.check(expr)
        if !checker.errors.isEmpty {
            return .failure(PromQLParseError(errors: checker.errors.map {
                PromQLParseErrorItem(position: $0.0, message: $0.1, input: bytes)
            }))
        }
        return .success(expr)
    }
}

/// Internal marker: a syntax error was recorded and parsing stops.
struct ParseAbort: Error {}

/// Recursive-descent parser following the structure and error productions of Prometheus's yacc grammar.
struct Parser {
    private var lexer: PromQLLexer
    private let input: [UInt8]
    private let opts: ParserOptions
    private var pending: Token?
    /// The most recently lexed token (Prometheus reports it in "unexpected" errors).
    private var lastLexed = Token(kind: .eof, start: 0, end: 0)
    var errors: [(PositionRange, String)] = []
    private var depth = 0
    /// > 0 while inside an aggregation's argument list (its `error` production catches generic errors).
    private var aggregationNesting = 0

    init(_ input: [UInt8], _ opts: ParserOptions) {
        self.input = input
        self.lexer = PromQLLexer(input)
        self.opts = opts
    }

    func makeError() -> PromQLParseError {
        if errors.isEmpty {
            return PromQLParseError(errors: [PromQLParseErrorItem(position: PositionRange(start: 0, end: 0),
                                                                  message: "unexpected error", input: input)])
        }
        return PromQLParseError(errors: errors.map { PromQLParseErrorItem(position: $0.0, message: $0.1, input: input) })
    }

    // MARK: - Token handling

    private mutating func peek() throws(ParseAbort) -> Token {
        if let t = pending { return t }
        var t = lexer.next()
        while t.kind == .comment { t = lexer.next() }
        lastLexed = t
        if t.kind == .error {
            errors.append((PositionRange(start: t.start, end: input.count), lexer.errorMessage))
            throw ParseAbort()
        }
        pending = t
        return t
    }

    @discardableResult
    private mutating func advance() throws(ParseAbort) -> Token {
        let t = try peek()
        pending = nil
        return t
    }

    private func text(_ t: Token) -> String {
        String(decoding: input[t.start..<t.end], as: UTF8.self)
    }

    private func bytes(_ t: Token) -> [UInt8] { Array(input[t.start..<t.end]) }

    /// Prometheus's `Item.desc()` of the last lexed token.
    private func describe(_ t: Token) -> String {
        let val = text(t)
        switch t.kind {
        case .eof: return "end of input"
        case .identifier: return "identifier " + GoQuote.quote(val)
        case .metricIdentifier: return "metric identifier " + GoQuote.quote(val)
        case .number, .duration, .string, .comment:
            let kindName: String
            switch t.kind {
            case .number: kindName = "number"
            case .duration: kindName = "duration"
            case .string: kindName = "string"
            default: kindName = "comment"
            }
            return kindName + " " + (t.end - t.start > 10 ? GoQuote.quoteTruncated(val) + "..." : GoQuote.quote(val))
        default:
            if t.kind.isKeyword { return "<" + val + ">" }
            if t.kind.isOperator { return "<op:" + val + ">" }
            if t.kind.isAggregator { return "<aggr:" + val + ">" }
            if t.end - t.start > 10 { return GoQuote.quoteTruncated(val) + "..." }
            return GoQuote.quote(val)
        }
    }

    /// Records "unexpected X[ in context][, expected Y]" for the last lexed token and aborts.
    private mutating func unexpected(_ context: String, _ expected: String) -> ParseAbort {
        let t = lastLexed
        var msg = "unexpected " + describe(t)
        if !context.isEmpty { msg += " in " + context }
        if !expected.isEmpty { msg += ", expected " + expected }
        errors.append((t.range, msg))
        return ParseAbort()
    }

    /// The generic error when an expression or operator was expected (the grammar's fallback `error` rules).
    private mutating func unexpectedInExpression() -> ParseAbort {
        unexpected(aggregationNesting > 0 ? "aggregation" : "", "")
    }

    private mutating func addError(_ r: PositionRange, _ msg: String) {
        errors.append((r, msg))
    }

    private mutating func enter(_ at: Token) throws(ParseAbort) {
        depth += 1
        if depth > opts.maxDepth {
            errors.append((at.range, "expression nesting too deep: more than \(opts.maxDepth) levels"))
            throw ParseAbort()
        }
    }

    private mutating func leave() { depth -= 1 }

    private mutating func checkHeight(_ h: Int, _ at: PositionRange) throws(ParseAbort) {
        if h > opts.maxDepth {
            errors.append((at, "expression nesting too deep: more than \(opts.maxDepth) levels"))
            throw ParseAbort()
        }
    }

    // MARK: - Entry

    mutating func parseTop() -> Expr? {
        do {
            let t = try peek()
            if t.kind == .eof {
                errors.append((PositionRange(start: 0, end: 0), "no expression found in input"))
                return nil
            }
            let (e, _) = try parseExpr(minPrec: 0)
            let end = try peek()
            if end.kind != .eof { throw unexpectedInExpression() }
            return e
        } catch {
            return nil
        }
    }

    /// `START_METRIC_SELECTOR vector_selector EOF` (no type checking, as Prometheus's `ParseMetricSelector`).
    mutating func parseSelectorEntry() -> VectorSelector? {
        do {
            let t = try peek()
            let vs: VectorSelector
            if t.kind == .leftBrace {
                vs = try parseSelector(nameToken: nil)
            } else if t.kind.isMetricIdentifier {
                try advance()
                vs = try parseSelector(nameToken: t)
            } else {
                throw unexpected("", "")
            }
            if try peek().kind != .eof { throw unexpected("", "") }
            return vs
        } catch {
            return nil
        }
    }

    // MARK: - Expressions

    typealias Node = (expr: Expr, height: Int)

    private mutating func parseExpr(minPrec: Int) throws(ParseAbort) -> Node {
        var lhs = try parseUnary()
        while true {
            let t = try peek()
            guard let op = t.kind.binaryOperator, op.precedence >= minPrec else { break }
            try advance()
            let modifiers = try parseBinModifiers()
            try enter(t)
            let rhs = try parseExpr(minPrec: op.isRightAssociative ? op.precedence : op.precedence + 1)
            leave()
            lhs = try makeBinary(op, t, lhs, rhs, modifiers)
        }
        return lhs
    }

    /// Builds `lhs op rhs` (kept out of `parseExpr` so the recursive frame stays small).
    @inline(never)
    private mutating func makeBinary(_ op: BinaryOperator, _ t: Token, _ lhs: Node, _ rhs: Node,
                                     _ modifiers: (VectorMatching, Bool)) throws(ParseAbort) -> Node {
        let h = Swift.max(lhs.height, rhs.height) + 1
        try checkHeight(h, t.range)
        let (matching, returnBool) = modifiers
        let b = BinaryExpr(op: op, lhs: lhs.expr, rhs: rhs.expr, matching: matching, returnBool: returnBool)
        if !matching.fill.isEmpty && !opts.binopFillModifiers {
            addError(Expr.binary(b).position, "binop fill modifiers are experimental and not enabled")
        }
        return (.binary(b), h)
    }

    private mutating func parseUnary() throws(ParseAbort) -> Node {
        let t = try peek()
        if t.kind == .add || t.kind == .sub {
            try advance()
            try enter(t)
            let operand = try parseExpr(minPrec: BinaryOperator.pow.precedence)
            leave()
            return try makeUnary(t, operand)
        }
        let primary = try parsePrimary()
        return try parsePostfix(primary)
    }

    /// Applies a unary `+`/`-` token to its operand (folded into a number literal).
    @inline(never)
    private mutating func makeUnary(_ t: Token, _ operand: Node) throws(ParseAbort) -> Node {
        let op: BinaryOperator = t.kind == .sub ? .sub : .add
        if case .numberLiteral(var n) = operand.expr {
            if op == .sub { n.value = -n.value }
            n.position.start = t.start
            return (.numberLiteral(n), operand.height)
        }
        try checkHeight(operand.height + 1, t.range)
        return (.unary(UnaryExpr(op: op, expr: operand.expr, startPos: t.start)), operand.height + 1)
    }

    /// Range/subquery brackets, `offset`, `@`, `anchored` and `smoothed` after an expression.
    private mutating func parsePostfix(_ start: Node) throws(ParseAbort) -> Node {
        var node = start
        while true {
            let t = try peek()
            switch t.kind {
            case .leftBracket:
                try advance()
                node = try parseBracket(node, open: t)
                try checkHeight(node.height, t.range)
            case .offset:
                try advance()
                let d = try parseOffsetDuration()
                node.expr = addOffset(node.expr, d)
            case .at:
                try advance()
                node.expr = try parseAt(node.expr)
            case .anchored:
                try advance()
                node.expr = setAnchoredOrSmoothed(node.expr, anchored: true)
            case .smoothed:
                try advance()
                node.expr = setAnchoredOrSmoothed(node.expr, anchored: false)
            default:
                return node
            }
        }
    }

    /// Only the cases that recurse (parentheses, calls, aggregations) are handled here; the rest are in
    /// `parseLeaf`, which keeps this frame (one per nesting level) small.
    private mutating func parsePrimary() throws(ParseAbort) -> Node {
        let t = try peek()
        switch t.kind {
        case .leftParen:
            try advance()
            try enter(t)
            let inner = try parseExpr(minPrec: 0)
            return try finishParen(t, inner)
        case .identifier, .start, .end, .step, .range:
            try advance()
            if try peek().kind == .leftParen { return try parseCall(t) }
            return try parseLeaf(afterName: t)
        default:
            if let agg = t.kind.aggregateOp {
                try advance()
                let n = try peek()
                if n.kind == .leftParen || n.kind == .by || n.kind == .without {
                    return try parseAggregate(agg, opToken: t)
                }
                return try parseLeaf(afterName: t)
            }
            return try parseLeaf(afterName: nil)
        }
    }

    /// The closing parenthesis of `( expr )`.
    @inline(never)
    private mutating func finishParen(_ open: Token, _ inner: Node) throws(ParseAbort) -> Node {
        let close = try peek()
        guard close.kind == .rightParen else { throw unexpectedInExpression() }
        try advance()
        leave()
        try checkHeight(inner.height + 1, open.range)
        return (.paren(ParenExpr(expr: inner.expr, position: PositionRange(start: open.start, end: close.end))),
                inner.height + 1)
    }

    /// Primary expressions that do not nest: literals and selectors. `afterName` is an already consumed
    /// name token (identifier, aggregator or keyword) that starts a selector.
    @inline(never)
    private mutating func parseLeaf(afterName: Token?) throws(ParseAbort) -> Node {
        if let name = afterName { return (.vectorSelector(try parseSelector(nameToken: name)), 1) }
        let t = try peek()
        switch t.kind {
        case .number:
            try advance()
            return (.numberLiteral(NumberLiteral(value: parseNumber(t), position: t.range)), 1)
        case .duration:
            try advance()
            return (.numberLiteral(NumberLiteral(value: parseDurationSeconds(t), isDuration: true, position: t.range)), 1)
        case .string:
            try advance()
            guard let raw = GoQuote.unquoteBytes(input[t.start..<t.end]) else {
                addError(t.range, "error unquoting string " + GoQuote.quote(text(t)) + ": invalid syntax")
                return (.stringLiteral(StringLiteral(value: "", position: t.range)), 1)
            }
            if let valid = String(validating: raw, as: UTF8.self) {
                return (.stringLiteral(StringLiteral(value: valid, position: t.range)), 1)
            }
            return (.stringLiteral(StringLiteral(value: String(decoding: raw, as: UTF8.self), invalidUTF8Bytes: raw,
                                                 position: t.range)), 1)
        case .leftBrace:
            return (.vectorSelector(try parseSelector(nameToken: nil)), 1)
        default:
            if t.kind.isMetricIdentifier {
                try advance()
                return (.vectorSelector(try parseSelector(nameToken: t)), 1)
            }
            throw unexpectedInExpression()
        }
    }

    // MARK: - Literals

    private mutating func parseNumber(_ t: Token) -> Double {
        // Fast path: plain decimal integers without a leading zero.
        let n = t.end - t.start
        if n > 0 && n <= 15 && input[t.start] != 0x30 {
            var v: Int64 = 0
            var ok = true
            for i in t.start..<t.end {
                let c = input[i]
                guard c >= 0x30 && c <= 0x39 else {
                    ok = false
                    break
                }
                v = v * 10 + Int64(c - 0x30)
            }
            if ok { return Double(v) }
        }
        let b = bytes(t)
        if let i = GoStrconv.parseInt(b) { return Double(i) }
        switch GoStrconv.parseFloat(b) {
        case .value(let d): return d
        case .outOfRange:
            addError(t.range, "error parsing number: strconv.ParseFloat: parsing " + GoQuote.quote(text(t)) + ": value out of range")
            return .infinity
        case .invalidSyntax:
            addError(t.range, "error parsing number: strconv.ParseFloat: parsing " + GoQuote.quote(text(t)) + ": invalid syntax")
            return 0
        }
    }

    private mutating func parseDurationSeconds(_ t: Token) -> Double {
        switch GoDuration.parse(input[t.start..<t.end]) {
        case .success(let ns):
            return Double(ns / 1_000_000_000) + Double(ns % 1_000_000_000) / 1e9
        case .failure(let e):
            addError(t.range, e.text)
            return 0
        }
    }

    private mutating func unquote(_ t: Token) -> String {
        if let s = GoQuote.unquote(input[t.start..<t.end]) { return s }
        addError(t.range, "error unquoting string " + GoQuote.quote(text(t)) + ": invalid syntax")
        return ""
    }

    // MARK: - Vector selectors

    private mutating func parseSelector(nameToken: Token?) throws(ParseAbort) -> VectorSelector {
        var matchers: [LabelMatcher] = []
        var position = nameToken?.range ?? PositionRange(start: 0, end: 0)
        let name = nameToken.map(text) ?? ""
        let t = try peek()
        if t.kind == .leftBrace {
            try advance()
            let close = try parseMatchers(into: &matchers)
            position = PositionRange(start: nameToken?.start ?? t.start, end: close.end)
        }
        if !name.isEmpty {
            if let m = try? LabelMatcher(.equal, "__name__", name) { matchers.append(m) }
        }
        return VectorSelector(name: name, matchers: matchers, position: position)
    }

    /// Parses matchers after `{` up to and including `}`; returns the `}` token.
    private mutating func parseMatchers(into matchers: inout [LabelMatcher]) throws(ParseAbort) -> Token {
        var t = try peek()
        if t.kind == .rightBrace {
            try advance()
            return t
        }
        while true {
            t = try peek()
            switch t.kind {
            case .identifier:
                try advance()
                let op = try peek()
                guard let type = Self.matchType(op.kind) else {
                    throw unexpected("label matching", "label matching operator")
                }
                try advance()
                let v = try peek()
                guard v.kind == .string else { throw unexpected("label matching", "string") }
                try advance()
                if let m = newMatcher(type, name: text(t), nameRange: t.range, value: v) { matchers.append(m) }
            case .string:
                try advance()
                let name = unquote(t)
                let op = try peek()
                if let type = Self.matchType(op.kind) {
                    try advance()
                    let v = try peek()
                    guard v.kind == .string else { throw unexpected("label matching", "string") }
                    try advance()
                    if let m = newMatcher(type, name: name, nameRange: t.range, value: v) { matchers.append(m) }
                } else {
                    // `{"name"}`: keep the exact bytes when escapes wrote invalid UTF-8 (printed back as written).
                    let raw = GoQuote.unquoteBytes(input[t.start..<t.end]) ?? []
                    let valid = String(validating: raw, as: UTF8.self)
                    if let m = try? LabelMatcher(.equal, "__name__", valid ?? name, invalidUTF8Bytes: valid == nil ? raw : nil) {
                        matchers.append(m)
                    }
                }
            default:
                throw unexpected("label matching", "identifier or \"}\"")
            }
            let sep = try peek()
            if sep.kind == .comma {
                try advance()
                let close = try peek()
                if close.kind == .rightBrace {
                    try advance()
                    return close
                }
                continue
            }
            if sep.kind == .rightBrace {
                try advance()
                return sep
            }
            throw unexpected("label matching", "\",\" or \"}\"")
        }
    }

    private static func matchType(_ k: TokenKind) -> LabelMatcher.MatchType? {
        switch k {
        case .eql: return .equal
        case .neq: return .notEqual
        case .eqlRegex: return .regexMatch
        case .neqRegex: return .regexNoMatch
        default: return nil
        }
    }

    private mutating func newMatcher(_ type: LabelMatcher.MatchType, name: String, nameRange: PositionRange,
                                     value: Token) -> LabelMatcher? {
        var raw: [UInt8] = []
        if let r = GoQuote.unquoteBytes(input[value.start..<value.end]) {
            raw = r
        } else {
            addError(value.range, "error unquoting string " + GoQuote.quote(text(value)) + ": invalid syntax")
        }
        let isRegex = type == .regexMatch || type == .regexNoMatch
        guard let v = String(validating: raw, as: UTF8.self) else {
            // Escapes wrote bytes that are not UTF-8: keep them, so the matcher prints back as written.
            let lossy = String(decoding: raw, as: UTF8.self)
            if isRegex {
                // Go's regexp/syntax rejects such a pattern before parsing it.
                addError(PositionRange(start: nameRange.start, end: value.end),
                         "error parsing regexp: invalid UTF-8: `" + lossy + "`")
                return nil
            }
            return try? LabelMatcher(type, name, lossy, invalidUTF8Bytes: raw)
        }
        if isRegex, let cached = MatcherCache.shared.get(type, name, v) { return cached }
        do {
            let m = try LabelMatcher(type, name, v)
            if isRegex { MatcherCache.shared.put(m) }
            return m
        } catch {
            // Prometheus reports the error of parsing the bare (unanchored) pattern.
            var msg = error.description
            do { _ = try Regexp(v) } catch let e { msg = e.description }
            addError(PositionRange(start: nameRange.start, end: value.end), msg)
            return nil
        }
    }

    // MARK: - Calls and aggregations

    /// Parses `( args )`; the opening parenthesis is the current token.
    private mutating func parseCallBody() throws(ParseAbort) -> (args: [Expr], height: Int, close: Token) {
        let open = try advance()
        try enter(open)
        defer { leave() }
        var args: [Expr] = []
        var height = 0
        var t = try peek()
        if t.kind == .rightParen {
            try advance()
            return (args, 0, t)
        }
        var needExpr = true
        while true {
            if needExpr {
                let a = try parseExpr(minPrec: 0)
                args.append(a.expr)
                height = Swift.max(height, a.height)
            }
            needExpr = true
            t = try peek()
            if t.kind == .comma {
                try advance()
                let n = try peek()
                if n.kind == .rightParen {
                    addError(t.range, "trailing commas not allowed in function call args")
                    try advance()
                    return (args, height, n)
                }
                if !Self.startsExpression(n.kind) {
                    // yacc reduces `args ','` as a trailing comma before it sees what follows.
                    addError(t.range, "trailing commas not allowed in function call args")
                    guard n.kind == .comma else { throw unexpectedInExpression() }
                    needExpr = false
                }
                continue
            }
            if t.kind == .rightParen {
                try advance()
                return (args, height, t)
            }
            throw unexpectedInExpression()
        }
    }

    private mutating func parseCall(_ nameTok: Token) throws(ParseAbort) -> Node {
        try finishCall(nameTok, try parseCallBody())
    }

    /// Builds the call node once its arguments are parsed (kept out of the recursive `parseCall` frame).
    @inline(never)
    private mutating func finishCall(_ nameTok: Token, _ body: (args: [Expr], height: Int, close: Token)) throws(ParseAbort) -> Node {
        let name = text(nameTok)
        var args = body.args
        if name == "info", args.count > 1, case .vectorSelector(var vs) = args[1], vs.name.isEmpty {
            vs.bypassEmptyMatcherCheck = true
            args[1] = .vectorSelector(vs)
        }
        let fn = PromQLFunction.named(name)
        if fn == nil {
            addError(nameTok.range, "unknown function with name " + GoQuote.quote(name))
        } else if let f = fn, f.experimental, !opts.experimentalFunctions {
            addError(nameTok.range, "function " + GoQuote.quote(name) + " is not enabled")
        }
        let call = Call(function: fn ?? .unknown(name),
                        args: args, position: PositionRange(start: nameTok.start, end: body.close.end))
        let h = body.height + 1
        try checkHeight(h, nameTok.range)
        return (.call(call), h)
    }

    private mutating func parseAggregate(_ op: AggregateOp, opToken: Token) throws(ParseAbort) -> Node {
        aggregationNesting += 1
        var grouping: [String] = []
        var without = false
        var haveModifier = false
        var t = try peek()
        if t.kind == .by || t.kind == .without {
            try advance()
            without = t.kind == .without
            grouping = try parseGroupingLabels()
            haveModifier = true
            t = try peek()
            guard t.kind == .leftParen else { throw unexpected("aggregation", "") }
        }
        let body = try parseCallBody()
        aggregationNesting -= 1
        return try finishAggregate(op, opToken: opToken, body, grouping: grouping, without: without,
                                   haveModifier: haveModifier)
    }

    /// Trailing grouping and the aggregation node, once the arguments are parsed (kept out of the recursive
    /// `parseAggregate` frame).
    @inline(never)
    private mutating func finishAggregate(_ op: AggregateOp, opToken: Token, _ body: (args: [Expr], height: Int, close: Token),
                                          grouping: [String], without: Bool, haveModifier: Bool) throws(ParseAbort) -> Node {
        var grouping = grouping
        var without = without
        var end = body.close.end
        if !haveModifier {
            let n = try peek()
            if n.kind == .by || n.kind == .without {
                try advance()
                without = n.kind == .without
                grouping = try parseGroupingLabels()
                end = lastClosingEnd
            }
        }
        let position = PositionRange(start: opToken.start, end: end)
        let placeholder = Expr.numberLiteral(NumberLiteral(value: 0, position: PositionRange(start: 0, end: 0)))
        var expr = placeholder
        var param: Expr? = nil
        let args = body.args
        if args.isEmpty {
            addError(position, "no arguments for aggregate expression provided")
        } else {
            var desired = 1
            var ok = true
            if op.takesParameter {
                if op.isExperimental && !opts.experimentalFunctions {
                    addError(position, "\(op.rawValue)() is experimental and must be enabled with --enable-feature=promql-experimental-functions")
                    ok = false
                }
                desired = 2
                param = args[0]
            }
            if ok {
                if args.count != desired {
                    addError(position, "wrong number of arguments for aggregate expression provided, expected \(desired), got \(args.count)")
                } else {
                    expr = args[desired - 1]
                }
            }
        }
        let agg = AggregateExpr(op: op, expr: expr, param: param, grouping: grouping, without: without, position: position)
        let h = body.height + 1
        try checkHeight(h, opToken.range)
        return (.aggregate(agg), h)
    }

    /// End of the last consumed closing token (used after grouping lists).
    private var lastClosingEnd: Int { lastConsumedClose }
    private var lastConsumedClose = 0

    /// Parses `( label, ... )`.
    private mutating func parseGroupingLabels() throws(ParseAbort) -> [String] {
        let open = try peek()
        guard open.kind == .leftParen else { throw unexpected("grouping opts", "\"(\"") }
        try advance()
        var labels: [String] = []
        var t = try peek()
        if t.kind == .rightParen {
            try advance()
            lastConsumedClose = t.end
            return labels
        }
        while true {
            t = try peek()
            if t.kind.isMaybeLabel {
                try advance()
                labels.append(text(t))
            } else if t.kind == .string {
                try advance()
                let name = unquote(t)
                if name.isEmpty {
                    addError(t.range, "invalid label name for grouping: " + GoQuote.quote(name))
                }
                labels.append(name)
            } else {
                throw unexpected("grouping opts", "label")
            }
            let sep = try peek()
            if sep.kind == .comma {
                try advance()
                let close = try peek()
                if close.kind == .rightParen {
                    try advance()
                    lastConsumedClose = close.end
                    return labels
                }
                continue
            }
            if sep.kind == .rightParen {
                try advance()
                lastConsumedClose = sep.end
                return labels
            }
            throw unexpected("grouping opts", "\",\" or \")\"")
        }
    }

    // MARK: - Binary modifiers

    private mutating func parseBinModifiers() throws(ParseAbort) -> (VectorMatching, Bool) {
        var vm = VectorMatching()
        var returnBool = false
        var t = try peek()
        if t.kind == .bool {
            try advance()
            returnBool = true
            t = try peek()
        }
        if t.kind == .on || t.kind == .ignoring {
            try advance()
            vm.matchingLabels = try parseGroupingLabels()
            vm.on = t.kind == .on
            let g = try peek()
            if g.kind == .groupLeft || g.kind == .groupRight {
                try advance()
                vm.card = g.kind == .groupLeft ? .manyToOne : .oneToMany
                if try peek().kind == .leftParen {
                    vm.include = try parseGroupingLabels()
                }
            }
        }
        // Fill modifiers: fill(v) | fill_left(v) [fill_right(v)] | fill_right(v) [fill_left(v)].
        t = try peek()
        if t.kind == .fill {
            try advance()
            let v = try parseFillValue()
            vm.fill = FillValues(lhs: v, rhs: v, both: true)
        } else if t.kind == .fillLeft || t.kind == .fillRight {
            try advance()
            let v = try parseFillValue()
            if t.kind == .fillLeft { vm.fill.lhs = v } else { vm.fill.rhs = v }
            let n = try peek()
            if (t.kind == .fillLeft && n.kind == .fillRight) || (t.kind == .fillRight && n.kind == .fillLeft) {
                try advance()
                let w = try parseFillValue()
                if n.kind == .fillLeft { vm.fill.lhs = w } else { vm.fill.rhs = w }
            }
        }
        return (vm, returnBool)
    }

    private mutating func parseFillValue() throws(ParseAbort) -> Double {
        let open = try peek()
        guard open.kind == .leftParen else { throw unexpected("fill modifier", "\"(\"") }
        try advance()
        var sign = 1.0
        var t = try peek()
        if t.kind == .add || t.kind == .sub {
            try advance()
            if t.kind == .sub { sign = -1 }
            t = try peek()
        }
        let v: Double
        switch t.kind {
        case .number:
            try advance()
            v = parseNumber(t)
        case .duration:
            try advance()
            v = parseDurationSeconds(t)
        default:
            throw unexpected("fill modifier", "number")
        }
        let close = try peek()
        guard close.kind == .rightParen else { throw unexpected("fill modifier", "\")\"") }
        try advance()
        return sign * v
    }

    // MARK: - @, offset, anchored/smoothed

    private mutating func parseAt(_ e: Expr) throws(ParseAbort) -> Expr {
        var t = try peek()
        switch t.kind {
        case .start, .end:
            try advance()
            guard try peek().kind == .leftParen else { throw unexpected("@", "timestamp") }
            try advance()
            let close = try peek()
            guard close.kind == .rightParen else { throw unexpected("@", "timestamp") }
            try advance()
            return setAt(e, timestamp: nil, preprocessor: t.kind == .start ? .start : .end, end: close.end)
        default:
            var sign = 1.0
            if t.kind == .add || t.kind == .sub {
                try advance()
                if t.kind == .sub { sign = -1 }
                t = try peek()
            }
            let v: Double
            switch t.kind {
            case .number:
                try advance()
                v = parseNumber(t)
            case .duration:
                try advance()
                v = parseDurationSeconds(t)
            default:
                throw unexpected("@", "timestamp")
            }
            let ts = sign * v
            if ts.isNaN || ts.isInfinite || ts >= 9.223372036854775807e18 || ts <= -9.223372036854775808e18 {
                addError(e.position, "timestamp out of bounds for @ modifier: " + GoFloat.percentF(ts))
            }
            let ms = (ts * 1000).rounded(.toNearestOrAwayFromZero)
            let msInt: Int64 = ms.isNaN ? Int64.min : (ms >= 9.223372036854775807e18 ? Int64.max
                : (ms <= -9.223372036854775808e18 ? Int64.min : Int64(ms)))
            return setAt(e, timestamp: msInt, preprocessor: nil, end: t.end)
        }
    }

    private mutating func setAt(_ e: Expr, timestamp: Int64?, preprocessor: AtPreprocessor?, end: Int) -> Expr {
        applyModifier(e, name: "@ <timestamp>", modifier: "@", end: end) { m in
            if m.hasAt { return false }
            m.timestampMillis = timestamp
            m.startOrEnd = preprocessor
            return true
        }
    }

    /// Puts a time modifier (`offset`, `@`) on the selector or subquery it follows; `apply` returns false when
    /// that modifier is already set. Errors read as Prometheus's (`NAME may not be set multiple times`, …).
    private mutating func applyModifier(_ e: Expr, name: String, modifier: String, end: Int,
                                        _ apply: (inout TimeModifiers) -> Bool) -> Expr {
        switch e {
        case .vectorSelector(var vs):
            if !apply(&vs.modifiers) {
                addError(e.position, "\(name) may not be set multiple times")
                return e
            }
            vs.position.end = end
            return .vectorSelector(vs)
        case .matrixSelector(var ms):
            guard case .vectorSelector(var vs) = ms.vectorSelector else {
                addError(e.position, "ranges only allowed for vector selectors")
                return e
            }
            if !apply(&vs.modifiers) {
                addError(e.position, "\(name) may not be set multiple times")
                return e
            }
            ms.vectorSelector = .vectorSelector(vs)
            ms.endPos = end
            return .matrixSelector(ms)
        case .subquery(var sq):
            if !apply(&sq.modifiers) {
                addError(e.position, "\(name) may not be set multiple times")
                return e
            }
            sq.endPos = end
            return .subquery(sq)
        default:
            addError(e.position, "\(modifier) modifier must be preceded by an instant vector selector or range vector selector or a subquery")
            return e
        }
    }

    /// An offset: a literal (milliseconds) or a duration expression.
    enum OffsetValue {
        case literal(Int64, end: Int)
        case expr(DurationExpr)
    }

    private mutating func addOffset(_ e: Expr, _ off: OffsetValue) -> Expr {
        let end: Int
        switch off {
        case .literal(_, let e): end = e
        case .expr(let d): end = d.position.end
        }
        return applyModifier(e, name: "offset", modifier: "offset", end: end) { m in
            if m.hasOffset { return false }
            switch off {
            case .literal(let ms, _): m.offsetMillis = ms
            case .expr(let d): m.offsetExpr = d
            }
            return true
        }
    }

    private mutating func setAnchoredOrSmoothed(_ e: Expr, anchored: Bool) -> Expr {
        let name = anchored ? "anchored" : "smoothed"
        if !opts.extendedRangeSelectors {
            addError(e.position, "\(name) modifier is experimental and not enabled")
            return e
        }
        switch e {
        case .vectorSelector(var vs):
            if anchored { vs.anchored = true } else { vs.smoothed = true }
            if vs.anchored && vs.smoothed {
                addError(e.position, "anchored and smoothed modifiers cannot be used together")
            }
            return .vectorSelector(vs)
        case .matrixSelector(var ms):
            guard case .vectorSelector(var vs) = ms.vectorSelector else { return e }
            if anchored { vs.anchored = true } else { vs.smoothed = true }
            if vs.anchored && vs.smoothed {
                addError(e.position, "anchored and smoothed modifiers cannot be used together")
            }
            ms.vectorSelector = .vectorSelector(vs)
            return .matrixSelector(ms)
        case .subquery:
            addError(e.position, "\(name) modifier is not supported for subqueries")
            return e
        default:
            addError(e.position, "\(name) modifier not implemented")
            return e
        }
    }

    // MARK: - Ranges and subqueries

    private mutating func parseBracket(_ node: Node, open: Token) throws(ParseAbort) -> Node {
        let rangeCtx = ("subquery or range selector", "number, duration, step(), or range()")
        let first = try peek()
        guard Self.startsDuration(first.kind) else { throw unexpected(rangeCtx.0, rangeCtx.1) }
        let range = try parsePositiveDuration(context: rangeCtx)
        let t = try peek()
        if t.kind == .rightBracket {
            try advance()
            var errMsg = ""
            if case .vectorSelector(let vs) = node.expr {
                if vs.modifiers.offsetMillis != 0 {
                    errMsg = "no offset modifiers allowed before range"
                } else if vs.modifiers.timestampMillis != nil {
                    errMsg = "no @ modifiers allowed before range"
                }
            } else {
                errMsg = "ranges only allowed for vector selectors"
            }
            if !errMsg.isEmpty { addError(PositionRange(start: open.start, end: t.end), errMsg) }
            let (ms, rexpr) = Self.split(range)
            let m = MatrixSelector(vectorSelector: node.expr, rangeMillis: ms, rangeExpr: rexpr, endPos: t.end)
            return (.matrixSelector(m), node.height + 1)
        }
        guard t.kind == .colon else { throw unexpected("subquery or range", "\":\" or \"]\"") }
        try advance()
        let stepCtx = ("subquery selector", "number, duration, step(), range(), or \"]\"")
        var s = try peek()
        var step: DurationExpr? = nil
        if s.kind != .rightBracket {
            guard Self.startsDuration(s.kind) else { throw unexpected(stepCtx.0, stepCtx.1) }
            step = try parsePositiveDuration(context: stepCtx)
            s = try peek()
            guard s.kind == .rightBracket else { throw unexpected("subquery selector", "\"]\"") }
        }
        try advance()
        let (rms, rexpr) = Self.split(range)
        var sms: Int64 = 0
        var sexpr: DurationExpr? = nil
        if let st = step { (sms, sexpr) = Self.split(st) }
        let sq = SubqueryExpr(expr: node.expr, rangeMillis: rms, rangeExpr: rexpr, stepMillis: sms, stepExpr: sexpr,
                              endPos: s.start + 1)
        return (.subquery(sq), node.height + 1)
    }

    /// Tokens that can begin an expression (FIRST(expr) of the grammar).
    static func startsExpression(_ k: TokenKind) -> Bool {
        switch k {
        case .number, .duration, .string, .leftParen, .leftBrace, .add, .sub: return true
        default: return k.isMetricIdentifier || k.isAggregator
        }
    }

    private static func split(_ d: DurationExpr) -> (Int64, DurationExpr?) {
        if case .literal(let n) = d { return (GoDuration.millis(fromSeconds: n.value), nil) }
        return (0, d)
    }

    private static func startsDuration(_ k: TokenKind) -> Bool {
        switch k {
        case .number, .duration, .add, .sub, .leftParen, .step, .range, .minOf, .maxOf: return true
        default: return false
        }
    }

    private mutating func parsePositiveDuration(context: (String, String)) throws(ParseAbort) -> DurationExpr {
        let d = try parseDurationExpr(minPrec: 0, context: context).expr
        if case .literal(let n) = d, n.value <= 0 {
            addError(n.position, "duration must be greater than 0")
            return .literal(NumberLiteral(value: 0, isDuration: false, position: PositionRange(start: 0, end: 0)))
        }
        return d
    }

    private static let maxDurationSeconds = 9223372036.854775808

    private mutating func durationLiteral(_ t: Token) -> NumberLiteral {
        if t.kind == .number { return NumberLiteral(value: parseNumber(t), position: t.range) }
        return NumberLiteral(value: parseDurationSeconds(t), isDuration: true, position: t.range)
    }

    private static func outOfRange(_ v: Double) -> Bool { v > maxDurationSeconds || v < -maxDurationSeconds }

    private static let zeroLiteral = DurationExpr.literal(NumberLiteral(value: 0, position: PositionRange(start: 0, end: 0)))

    /// A duration expression with its tree height (bounded by `maxDepth` like expression trees, so that long
    /// `a + b + c …` chains cannot build trees deeper than printing and evaluation can walk).
    typealias DurationNode = (expr: DurationExpr, height: Int)

    private mutating func parseDurationExpr(minPrec: Int, context: (String, String)) throws(ParseAbort) -> DurationNode {
        let first = try parseDurationUnary(context: context)
        var lhs = first.expr
        var height = first.height
        while true {
            let t = try peek()
            guard let op = t.kind.binaryOperator else { break }
            switch op {
            case .add, .sub, .mul, .div, .mod, .pow: break
            default: return (lhs, height)
            }
            guard op.precedence >= minPrec else { break }
            try advance()
            try enter(t)
            let right = try parseDurationExpr(minPrec: op.isRightAssociative ? op.precedence : op.precedence + 1,
                                              context: context)
            leave()
            let rhs = right.expr
            if !opts.durationExpressions {
                addError(lhs.position, "experimental duration expression is not enabled")
            }
            if op == .div || op == .mod, case .literal(let n) = rhs, n.value == 0 {
                addError(t.range, op == .div ? "division by zero" : "modulo by zero")
                lhs = Self.zeroLiteral
                height = 1
                continue
            }
            height = Swift.max(height, right.height) + 1
            try checkHeight(height, t.range)
            lhs = .binary(op, lhs, rhs)
        }
        return (lhs, height)
    }

    private mutating func parseDurationUnary(context: (String, String)) throws(ParseAbort) -> DurationNode {
        let t = try peek()
        if t.kind == .add || t.kind == .sub {
            try advance()
            try enter(t)
            let operand = try parseDurationExpr(minPrec: BinaryOperator.pow.precedence, context: context)
            leave()
            let e = applyUnary(t, operand.expr)
            guard case .unary = e else { return (e, operand.height) }
            try checkHeight(operand.height + 1, t.range)
            return (e, operand.height + 1)
        }
        return try parseDurationPrimary(context: context)
    }

    private mutating func applyUnary(_ op: Token, _ e: DurationExpr) -> DurationExpr {
        switch e {
        case .literal(var n):
            if op.kind == .sub { n.value = -n.value }
            if Self.outOfRange(n.value) {
                addError(op.range, "duration out of range")
                return Self.zeroLiteral
            }
            n.position.start = op.start
            return .literal(n)
        default:
            if op.kind == .sub { return .unary(.sub, e, startPos: op.start) }
            return e
        }
    }

    private mutating func parseDurationPrimary(context: (String, String)) throws(ParseAbort) -> DurationNode {
        let t = try peek()
        switch t.kind {
        case .number, .duration:
            try advance()
            let n = durationLiteral(t)
            if Self.outOfRange(n.value) {
                addError(n.position, "duration out of range")
                return (Self.zeroLiteral, 1)
            }
            return (.literal(n), 1)
        case .step, .range:
            try advance()
            guard try peek().kind == .leftParen else { throw unexpected(context.0, context.1) }
            try advance()
            let close = try peek()
            guard close.kind == .rightParen else { throw unexpected(context.0, context.1) }
            try advance()
            let r = PositionRange(start: t.start, end: close.end)
            return (t.kind == .step ? .step(r) : .range(r), 1)
        case .minOf, .maxOf:
            try advance()
            return try parseMinMax(t, context: context)
        case .identifier where isMinMaxName(t):
            try advance()
            return try parseMinMax(t, context: context)
        case .leftParen:
            try advance()
            try enter(t)
            let inner = try parseDurationExpr(minPrec: 0, context: context)
            let close = try peek()
            guard close.kind == .rightParen else { throw unexpected(context.0, context.1) }
            try advance()
            leave()
            if !opts.durationExpressions {
                addError(inner.expr.position, "experimental duration expression is not enabled")
            }
            try checkHeight(inner.height + 1, t.range)
            return (.paren(inner.expr, PositionRange(start: t.start, end: close.end)), inner.height + 1)
        default:
            throw unexpected(context.0, context.1)
        }
    }

    private func isMinMaxName(_ t: Token) -> Bool {
        let s = text(t)
        return s == "min_of" || s == "max_of"
    }

    private mutating func parseMinMax(_ t: Token, context: (String, String)) throws(ParseAbort) -> DurationNode {
        guard try peek().kind == .leftParen else { throw unexpected(context.0, context.1) }
        try advance()
        try enter(t)
        let a = try parseDurationExpr(minPrec: 0, context: context)
        guard try peek().kind == .comma else { throw unexpected(context.0, context.1) }
        try advance()
        let b = try parseDurationExpr(minPrec: 0, context: context)
        let close = try peek()
        guard close.kind == .rightParen else { throw unexpected(context.0, context.1) }
        try advance()
        leave()
        let r = PositionRange(start: t.start, end: close.end)
        let isMin = t.kind == .minOf || text(t).lowercased() == "min_of"
        let h = Swift.max(a.height, b.height) + 1
        try checkHeight(h, t.range)
        return (isMin ? .minOf(a.expr, b.expr, r) : .maxOf(a.expr, b.expr, r), h)
    }

    /// `offset_duration_expr`: a literal, `step()`, `range()`, `min_of`/`max_of`, each optionally signed,
    /// or a parenthesised duration expression (which may continue with arithmetic).
    private mutating func parseOffsetDuration() throws(ParseAbort) -> OffsetValue {
        let ctx = ("offset", "number, duration, step(), or range()")
        var t = try peek()
        var sign: Token? = nil
        if t.kind == .add || t.kind == .sub {
            try advance()
            sign = t
            t = try peek()
        }
        switch t.kind {
        case .number, .duration:
            try advance()
            var n = durationLiteral(t)
            if let s = sign {
                if s.kind == .sub { n.value = -n.value }
                if Self.outOfRange(n.value) {
                    addError(s.range, "duration out of range")
                    return .literal(0, end: t.end)
                }
                n.position.start = s.start
            } else if Self.outOfRange(n.value) {
                addError(n.position, "duration out of range")
                return .literal(0, end: t.end)
            }
            let ns = GoDuration.nanos(fromSeconds: n.value)
            return .literal(ns / 1_000_000, end: t.end)
        case .step, .range, .minOf, .maxOf:
            let d = try parseDurationPrimary(context: ctx).expr
            return .expr(signed(sign, d))
        case .identifier where isMinMaxName(t):
            let d = try parseDurationPrimary(context: ctx).expr
            return .expr(signed(sign, d))
        case .leftParen:
            if sign != nil {
                let d = try parseDurationPrimary(context: ctx).expr
                return offsetValue(signed(sign, d))
            }
            // A parenthesised expression continues with arithmetic (yacc shifts).
            let d = try parseDurationExpr(minPrec: 0, context: ctx).expr
            return offsetValue(d)
        default:
            throw unexpected(ctx.0, ctx.1)
        }
    }

    private func signed(_ sign: Token?, _ d: DurationExpr) -> DurationExpr {
        guard let s = sign else { return d }
        return .unary(s.kind == .sub ? .sub : .add, d, startPos: s.start)
    }

    private func offsetValue(_ d: DurationExpr) -> OffsetValue {
        if case .literal(let n) = d {
            return .literal(GoDuration.nanos(fromSeconds: n.value) / 1_000_000, end: n.position.end)
        }
        return .expr(d)
    }
}
