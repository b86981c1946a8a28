/// Token kinds of the PromQL lexer (Prometheus's `ItemType`s used by expressions).
enum TokenKind: UInt8, Sendable {
    case eof, error, comment, identifier, metricIdentifier, number, duration, string
    case leftParen, rightParen, leftBrace, rightBrace, leftBracket, rightBracket, comma, eql, colon, doubleColon
    // Operators.
    case add, sub, mul, div, mod, pow, eqlc, neq, lte, lss, gte, gtr, trimUpper, trimLower, eqlRegex, neqRegex, land, lor
    case lunless, atan2, at
    // Aggregators.
    case avg, bottomk, count, countValues, group, max, min, quantile, stddev, stdvar, sum, topk, limitk, limitRatio
    // Keywords.
    case bool, by, groupLeft, groupRight, ignoring, offset, smoothed, anchored, on, without, fill, fillLeft, fillRight
    // Preprocessors / duration functions.
    case start, end, step, range, minOf, maxOf

    var isOperator: Bool { rawValue >= TokenKind.add.rawValue && rawValue <= TokenKind.at.rawValue }
    var isAggregator: Bool { rawValue >= TokenKind.avg.rawValue && rawValue <= TokenKind.limitRatio.rawValue }
    var isKeyword: Bool { rawValue >= TokenKind.bool.rawValue && rawValue <= TokenKind.fillRight.rawValue }

    /// Prometheus's `ItemTypeStr` for kinds that have a fixed spelling.
    var fixedString: String? {
        switch self {
        case .leftParen: return "("
        case .rightParen: return ")"
        case .leftBrace: return "{"
        case .rightBrace: return "}"
        case .leftBracket: return "["
        case .rightBracket: return "]"
        case .comma: return ","
        case .eql: return "="
        case .colon: return ":"
        case .doubleColon: return "::"
        case .add: return "+"
        case .sub: return "-"
        case .mul: return "*"
        case .div: return "/"
        case .mod: return "%"
        case .pow: return "^"
        case .eqlc: return "=="
        case .neq: return "!="
        case .lte: return "<="
        case .lss: return "<"
        case .gte: return ">="
        case .gtr: return ">"
        case .trimUpper: return "</"
        case .trimLower: return ">/"
        case .eqlRegex: return "=~"
        case .neqRegex: return "!~"
        case .at: return "@"
        case .land: return "and"
        case .lor: return "or"
        case .lunless: return "unless"
        case .atan2: return "atan2"
        case .avg: return "avg"
        case .bottomk: return "bottomk"
        case .count: return "count"
        case .countValues: return "count_values"
        case .group: return "group"
        case .max: return "max"
        case .min: return "min"
        case .quantile: return "quantile"
        case .stddev: return "stddev"
        case .stdvar: return "stdvar"
        case .sum: return "sum"
        case .topk: return "topk"
        case .limitk: return "limitk"
        case .limitRatio: return "limit_ratio"
        case .bool: return "bool"
        case .by: return "by"
        case .groupLeft: return "group_left"
        case .groupRight: return "group_right"
        case .ignoring: return "ignoring"
        case .offset: return "offset"
        case .smoothed: return "smoothed"
        case .anchored: return "anchored"
        case .on: return "on"
        case .without: return "without"
        case .fill: return "fill"
        case .fillLeft: return "fill_left"
        case .fillRight: return "fill_right"
        case .start: return "start"
        case .end: return "end"
        case .step: return "step"
        case .range: return "range"
        case .minOf: return "min_of"
        case .maxOf: return "max_of"
        default: return nil
        }
    }

    var binaryOperator: BinaryOperator? {
        switch self {
        case .add: return .add
        case .sub: return .sub
        case .mul: return .mul
        case .div: return .div
        case .mod: return .mod
        case .pow: return .pow
        case .atan2: return .atan2
        case .eqlc: return .eql
        case .neq: return .neq
        case .gtr: return .gtr
        case .lss: return .lss
        case .gte: return .gte
        case .lte: return .lte
        case .trimUpper: return .trimUpper
        case .trimLower: return .trimLower
        case .land: return .and
        case .lor: return .or
        case .lunless: return .unless
        default: return nil
        }
    }

    var aggregateOp: AggregateOp? {
        switch self {
        case .avg: return .avg
        case .bottomk: return .bottomk
        case .count: return .count
        case .countValues: return .countValues
        case .group: return .group
        case .max: return .max
        case .min: return .min
        case .quantile: return .quantile
        case .stddev: return .stddev
        case .stdvar: return .stdvar
        case .sum: return .sum
        case .topk: return .topk
        case .limitk: return .limitk
        case .limitRatio: return .limitRatio
        default: return nil
        }
    }

    /// Kinds accepted as a metric name at the start of a selector.
    var isMetricIdentifier: Bool {
        switch self {
        case .avg, .bottomk, .by, .count, .countValues, .group, .identifier, .land, .lor, .lunless, .max,
             .metricIdentifier, .min, .offset, .quantile, .stddev, .stdvar, .sum, .topk, .without, .start, .end,
             .limitk, .limitRatio, .step, .range, .anchored, .smoothed:
            return true
        default: return false
        }
    }

    /// Kinds accepted as a label name in grouping lists.
    var isMaybeLabel: Bool {
        switch self {
        case .avg, .bool, .bottomk, .by, .count, .countValues, .group, .groupLeft, .groupRight, .identifier,
             .ignoring, .land, .lor, .lunless, .max, .metricIdentifier, .min, .offset, .on, .quantile, .stddev,
             .stdvar, .sum, .topk, .start, .end, .atan2, .limitk, .limitRatio, .step, .range, .anchored, .smoothed,
             .fill, .fillLeft, .fillRight:
            return true
        default: return false
        }
    }
}

/// One lexed token: kind and byte range (the lexer keeps the message of an `.error` token).
struct Token: Sendable {
    var kind: TokenKind
    var start: Int
    var end: Int

    var range: PositionRange { PositionRange(start: start, end: end) }
}

/// A byte-oriented port of Prometheus's PromQL lexer state machine (same tokens, same error texts).
struct PromQLLexer {
    let input: [UInt8]
    private(set) var pos = 0
    private(set) var start = 0
    private var parenDepth = 0
    private var braceOpen = false
    private var bracketOpen = false
    private var gotColon = false
    private var gotDuration = false
    private var inDurationExpr = false
    private var done = false
    /// Message of the `.error` token produced last.
    private(set) var errorMessage = ""

    init(_ input: [UInt8]) { self.input = input }

    // MARK: - Character helpers

    @inline(__always) private func byte(at i: Int) -> UInt8? { i < input.count ? input[i] : nil }
    @inline(__always) private var peekByte: UInt8? { pos < input.count ? input[pos] : nil }

    @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    @inline(__always) static func isAlpha(_ c: UInt8) -> Bool {
        c == 0x5F || (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A)
    }
    @inline(__always) static func isAlphaNumeric(_ c: UInt8) -> Bool { isAlpha(c) || isDigit(c) }

    /// Decodes the rune at `i` as Go's `utf8.DecodeRune` does: (scalar value or 0xFFFD, width).
    static func decodeRune(_ b: [UInt8], _ i: Int) -> (UInt32, Int) {
        let n = b.count
        guard i < n else { return (0xFFFD, 0) }
        let c0 = b[i]
        if c0 < 0x80 { return (UInt32(c0), 1) }
        func cont(_ j: Int) -> UInt32? {
            guard j < n, b[j] & 0xC0 == 0x80 else { return nil }
            return UInt32(b[j] & 0x3F)
        }
        if c0 >= 0xC2 && c0 <= 0xDF {
            if let c1 = cont(i + 1) { return ((UInt32(c0 & 0x1F) << 6) | c1, 2) }
            return (0xFFFD, 1)
        }
        if c0 >= 0xE0 && c0 <= 0xEF {
            guard i + 1 < n else { return (0xFFFD, 1) }
            let b1 = b[i + 1]
            let lo: UInt8 = c0 == 0xE0 ? 0xA0 : 0x80
            let hi: UInt8 = c0 == 0xED ? 0x9F : 0xBF
            guard b1 >= lo && b1 <= hi, let c2 = cont(i + 2) else { return (0xFFFD, 1) }
            return ((UInt32(c0 & 0x0F) << 12) | (UInt32(b1 & 0x3F) << 6) | c2, 3)
        }
        if c0 >= 0xF0 && c0 <= 0xF4 {
            guard i + 1 < n else { return (0xFFFD, 1) }
            let b1 = b[i + 1]
            let lo: UInt8 = c0 == 0xF0 ? 0x90 : 0x80
            let hi: UInt8 = c0 == 0xF4 ? 0x8F : 0xBF
            guard b1 >= lo && b1 <= hi, let c2 = cont(i + 2), let c3 = cont(i + 3) else { return (0xFFFD, 1) }
            return ((UInt32(c0 & 0x07) << 18) | (UInt32(b1 & 0x3F) << 12) | (c2 << 6) | c3, 4)
        }
        return (0xFFFD, 1)
    }

    /// Go's `%q` of a rune (`strconv.QuoteRune`).
    static func quoteRune(_ r: UInt32) -> String {
        switch r {
        case 0x27: return "'\\''"
        case 0x5C: return "'\\\\'"
        case 0x07: return "'\\a'"
        case 0x08: return "'\\b'"
        case 0x0C: return "'\\f'"
        case 0x0A: return "'\\n'"
        case 0x0D: return "'\\r'"
        case 0x09: return "'\\t'"
        case 0x0B: return "'\\v'"
        default: break
        }
        if let s = Unicode.Scalar(r), GoQuote.isPrint(s) { return "'" + String(Character(s)) + "'" }
        if r < 0x80 { return "'\\x" + GoQuote.hex(r, 2) + "'" }
        if r < 0x10000 { return "'\\u" + GoQuote.hex(r, 4) + "'" }
        return "'\\U" + GoQuote.hex(r, 8) + "'"
    }

    /// Go's `%#U` of a rune: `U+0078 'x'`.
    static func unicodeDesc(_ r: UInt32) -> String {
        var s = "U+" + GoQuote.hex(r, 4).uppercased()
        if let u = Unicode.Scalar(r), GoQuote.isPrint(u) { s += " '" + String(Character(u)) + "'" }
        return s
    }

    private func text(_ from: Int, _ to: Int) -> String {
        String(decoding: input[from..<Swift.min(to, input.count)], as: UTF8.self)
    }

    // MARK: - Token production

    private mutating func emit(_ kind: TokenKind) -> Token {
        let t = Token(kind: kind, start: start, end: pos)
        start = pos
        return t
    }

    /// An error token at the current item start; the lexer stops afterwards.
    private mutating func errorf(_ message: String) -> Token {
        done = true
        errorMessage = message
        return Token(kind: .error, start: start, end: input.count)
    }

    /// Returns the next token (comments included); after an error or EOF keeps returning EOF.
    mutating func next() -> Token {
        if done { return Token(kind: .eof, start: pos, end: pos) }
        while true {
            if braceOpen {
                if let t = lexInsideBraces() { return t }
            } else if inDurationExpr {
                if let t = lexDurationExpr() { return t }
            } else {
                if let t = lexStatements() { return t }
            }
        }
    }

    private mutating func skipSpaces() {
        while let c = peekByte, Self.isSpace(c) { pos += 1 }
        start = pos
    }

    private mutating func lexLineComment() -> Token {
        pos += 1
        while let c = peekByte, c != 0x0A, c != 0x0D { pos += 1 }
        return emit(.comment)
    }

    /// One step of `lexStatements`; nil when only whitespace was skipped.
    private mutating func lexStatements() -> Token? {
        guard pos < input.count else {
            if parenDepth != 0 { return errorf("unclosed left parenthesis") }
            if bracketOpen { return errorf("unclosed left bracket") }
            done = true
            return emit(.eof)
        }
        let c = input[pos]
        if c == 0x23 { return lexLineComment() }
        pos += 1
        switch c {
        case 0x2C: return emit(.comma)
        case 0x20, 0x09, 0x0A, 0x0D:
            skipSpaces()
            return nil
        case 0x2A: return emit(.mul)
        case 0x2F: return emit(.div)
        case 0x25: return emit(.mod)
        case 0x2B: return emit(.add)
        case 0x2D: return emit(.sub)
        case 0x5E: return emit(.pow)
        case 0x3D:
            if peekByte == 0x3D {
                pos += 1
                return emit(.eqlc)
            }
            if peekByte == 0x7E { return errorf("unexpected character after '=': '~'") }
            return emit(.eql)
        case 0x21:
            let (r, w) = Self.decodeRune(input, pos)
            if w > 0 && r == 0x3D {
                pos += 1
                return emit(.neq)
            }
            pos += w
            return errorf("unexpected character after '!': " + Self.quoteRune(w == 0 ? 0xFFFD : r))
        case 0x3C:
            if peekByte == 0x3D {
                pos += 1
                return emit(.lte)
            }
            if peekByte == 0x2F {
                pos += 1
                return emit(.trimUpper)
            }
            return emit(.lss)
        case 0x3E:
            if peekByte == 0x3D {
                pos += 1
                return emit(.gte)
            }
            if peekByte == 0x2F {
                pos += 1
                return emit(.trimLower)
            }
            return emit(.gtr)
        case 0x22, 0x27:
            return lexString(quote: c)
        case 0x60:
            return lexRawString()
        case 0x28:
            parenDepth += 1
            return emit(.leftParen)
        case 0x29:
            let t = emit(.rightParen)
            parenDepth -= 1
            if parenDepth < 0 { return errorf("unexpected right parenthesis ')'") }
            return t
        case 0x7B:
            braceOpen = true
            return emit(.leftBrace)
        case 0x5B:
            if bracketOpen { return errorf("unexpected left bracket '['") }
            gotColon = false
            let t = emit(.leftBracket)
            skipSpaces()
            bracketOpen = true
            inDurationExpr = true
            return t
        case 0x5D:
            if !bracketOpen { return errorf("unexpected right bracket ']'") }
            bracketOpen = false
            return emit(.rightBracket)
        case 0x40:
            return emit(.at)
        default:
            if Self.isDigit(c) || (c == 0x2E && peekByte.map(Self.isDigit) == true) {
                pos -= 1
                return lexNumberOrDuration()
            }
            if Self.isAlpha(c) || c == 0x3A {
                if !bracketOpen {
                    pos -= 1
                    return lexKeywordOrIdentifier()
                }
                if c == 0x3A {
                    if gotColon { return errorf("unexpected colon ':'") }
                    gotColon = true
                    if peekByte == 0x3A {
                        pos += 1
                        return emit(.doubleColon)
                    }
                    return emit(.colon)
                }
                if c == 0x73 || c == 0x53 || c == 0x6D || c == 0x4D || c == 0x72 || c == 0x52,
                   let t = scanDurationKeyword() {
                    return t
                }
                return errorf("unexpected character: \(Self.quoteRune(UInt32(c))), expected ':'")
            }
            pos -= 1
            let (r, w) = Self.decodeRune(input, pos)
            pos += w
            return errorf("unexpected character: " + Self.quoteRune(r))
        }
    }

    /// Reads an alphabetic word starting at `start` and maps duration keywords (`step`, `range`, `min_of`, `max_of`).
    private mutating func scanDurationKeyword() -> Token? {
        while let c = peekByte, Self.isAlpha(c) { pos += 1 }
        let n = pos - start
        guard n >= 4 && n <= 6 else { return nil }
        var w: [UInt8] = []
        w.reserveCapacity(n)
        for i in start..<pos {
            let c = input[i]
            w.append((c >= 0x41 && c <= 0x5A) ? c | 0x20 : c)
        }
        switch String(decoding: w, as: UTF8.self) {
        case "step": return emit(.step)
        case "range": return emit(.range)
        case "min_of": return emit(.minOf)
        case "max_of": return emit(.maxOf)
        default: return nil
        }
    }

    private mutating func lexDurationExpr() -> Token? {
        guard pos < input.count else { return errorf("unexpected end of input in duration expression") }
        let c = input[pos]
        pos += 1
        switch c {
        case 0x5D:
            bracketOpen = false
            gotColon = false
            inDurationExpr = false
            return emit(.rightBracket)
        case 0x3A:
            let t = emit(.colon)
            if !gotDuration { return errorf("unexpected colon before duration in duration expression") }
            if gotColon { return errorf("unexpected repeated colon in duration expression") }
            gotColon = true
            return t
        case 0x28:
            parenDepth += 1
            return emit(.leftParen)
        case 0x29:
            let t = emit(.rightParen)
            parenDepth -= 1
            if parenDepth < 0 { return errorf("unexpected right parenthesis ')'") }
            return t
        case 0x20, 0x09, 0x0A, 0x0D:
            skipSpaces()
            return nil
        case 0x2B: return emit(.add)
        case 0x2D: return emit(.sub)
        case 0x2A: return emit(.mul)
        case 0x2F: return emit(.div)
        case 0x25: return emit(.mod)
        case 0x5E: return emit(.pow)
        case 0x2C: return emit(.comma)
        case 0x73, 0x53, 0x6D, 0x4D, 0x72, 0x52:
            if let t = scanDurationKeyword() { return t }
            return errorf("unexpected character in duration expression: \(Self.quoteRune(UInt32(c)))")
        default:
            if Self.isDigit(c) || (c == 0x2E && peekByte.map(Self.isDigit) == true) {
                pos -= 1
                gotDuration = true
                inDurationExpr = false
                return lexNumberOrDuration()
            }
            pos -= 1
            let (r, w) = Self.decodeRune(input, pos)
            pos += w
            if w == 0 { return errorf("unexpected end of input in duration expression") }
            return errorf("unexpected character in duration expression: " + Self.quoteRune(r))
        }
    }

    private mutating func lexInsideBraces() -> Token? {
        guard pos < input.count else { return errorf("unexpected end of input inside braces") }
        let c = input[pos]
        if c == 0x23 { return lexLineComment() }
        pos += 1
        switch c {
        case 0x20, 0x09, 0x0A, 0x0D:
            skipSpaces()
            return nil
        case 0x2C: return emit(.comma)
        case 0x22, 0x27: return lexString(quote: c)
        case 0x60: return lexRawString()
        case 0x3D:
            if peekByte == 0x7E {
                pos += 1
                return emit(.eqlRegex)
            }
            return emit(.eql)
        case 0x21:
            let (r, w) = Self.decodeRune(input, pos)
            pos += w
            if w > 0 && r == 0x7E { return emit(.neqRegex) }
            if w > 0 && r == 0x3D { return emit(.neq) }
            return errorf("unexpected character after '!' inside braces: " + Self.quoteRune(w == 0 ? 0xFFFD : r))
        case 0x7B:
            return errorf("unexpected left brace '{'")
        case 0x7D:
            braceOpen = false
            return emit(.rightBrace)
        default:
            if Self.isAlpha(c) {
                while let d = peekByte, Self.isAlphaNumeric(d) { pos += 1 }
                return emit(.identifier)
            }
            pos -= 1
            let (r, w) = Self.decodeRune(input, pos)
            pos += w
            return errorf("unexpected character inside braces: " + Self.quoteRune(r))
        }
    }

    /// Scans a quoted string; the opening quote has been consumed.
    private mutating func lexString(quote: UInt8) -> Token {
        while true {
            guard pos < input.count else { return errorf("unterminated quoted string") }
            let c = input[pos]
            if c < 0x80 {
                pos += 1
                if c == quote { break }
                if c == 0x0A { return errorf("unterminated quoted string") }
                if c == 0x5C {
                    if let err = lexEscape(quote: quote) { return errorf(err) }
                }
                continue
            }
            let (r, w) = Self.decodeRune(input, pos)
            pos += w
            if r == 0xFFFD { return errorf("invalid UTF-8 rune") }
        }
        return emit(.string)
    }

    /// Validates an escape sequence after a backslash; returns an error message if invalid.
    private mutating func lexEscape(quote: UInt8) -> String? {
        let (ch0, w0) = Self.decodeRune(input, pos)
        if w0 == 0 { return "escape sequence not terminated" }
        pos += w0
        var n: Int
        var base: UInt32
        var maxVal: UInt32
        var ch = ch0
        switch ch0 {
        case 0x61, 0x62, 0x66, 0x6E, 0x72, 0x74, 0x76, 0x5C, UInt32(quote):
            return nil
        case 0x30...0x37:
            (n, base, maxVal) = (3, 8, 255)
        case 0x78:
            (n, base, maxVal) = (2, 16, 255)
            ch = nextRune()
        case 0x75:
            (n, base, maxVal) = (4, 16, 0x10FFFF)
            ch = nextRune()
        case 0x55:
            (n, base, maxVal) = (8, 16, 0x10FFFF)
            ch = nextRune()
        default:
            return "unknown escape sequence " + Self.unicodeDesc(ch0)
        }
        var x: UInt32 = 0
        while n > 0 {
            let d = Self.digitVal(ch)
            if d >= base {
                if ch == UInt32.max { return "escape sequence not terminated" }
                return "illegal character " + Self.unicodeDesc(ch) + " in escape sequence"
            }
            x = x &* base &+ d
            n -= 1
            if n > 0 { ch = nextRune() }
        }
        if x > maxVal || (0xD800 <= x && x < 0xE000) { return "escape sequence is an invalid Unicode code point" }
        return nil
    }

    /// Consumes a rune; `UInt32.max` at end of input.
    private mutating func nextRune() -> UInt32 {
        let (r, w) = Self.decodeRune(input, pos)
        if w == 0 { return UInt32.max }
        pos += w
        return r
    }

    private static func digitVal(_ ch: UInt32) -> UInt32 {
        switch ch {
        case 0x30...0x39: return ch - 0x30
        case 0x61...0x66: return ch - 0x61 + 10
        case 0x41...0x46: return ch - 0x41 + 10
        default: return 16
        }
    }

    private mutating func lexRawString() -> Token {
        while true {
            guard pos < input.count else { return errorf("unterminated raw string") }
            let c = input[pos]
            if c < 0x80 {
                pos += 1
                if c == 0x60 { break }
                continue
            }
            let (r, w) = Self.decodeRune(input, pos)
            pos += w
            if r == 0xFFFD { return errorf("invalid UTF-8 rune") }
        }
        return emit(.string)
    }

    // MARK: - Numbers, durations, identifiers

    @inline(__always) private mutating func accept(_ pred: (UInt8) -> Bool) -> Bool {
        if let c = peekByte, pred(c) {
            pos += 1
            return true
        }
        return false
    }

    private mutating func lexNumberOrDuration() -> Token {
        if scanNumber() { return emit(.number) }
        if acceptRemainingDuration() {
            return emit(.duration)
        }
        return errorf("bad number or duration syntax: " + GoQuote.quote(text(start, pos)))
    }

    /// Go's `acceptRemainingDuration`; on success the position is just after the duration.
    private mutating func acceptRemainingDuration() -> Bool {
        func isUnit(_ c: UInt8) -> Bool { c == 0x73 || c == 0x6D || c == 0x68 || c == 0x64 || c == 0x77 || c == 0x79 }
        func isUnitNoY(_ c: UInt8) -> Bool { c == 0x73 || c == 0x6D || c == 0x68 || c == 0x64 || c == 0x77 }
        if !accept(isUnit) { return false }
        _ = accept { $0 == 0x73 }
        while accept(Self.isDigit) {
            while accept(Self.isDigit) {}
            if !accept(isUnitNoY) { return false }
            _ = accept { $0 == 0x73 }
        }
        // Go reads one more rune; on failure it stays consumed (it shows in the error text).
        let (r, w) = Self.decodeRune(input, pos)
        if w == 0 { return true }
        if r < 0x80 && Self.isAlphaNumeric(UInt8(r)) {
            pos += w
            return false
        }
        return true
    }

    /// Go's `scanNumber`: scans decimal, hex and float shapes; the value is checked by the parser.
    private mutating func scanNumber() -> Bool {
        let initial = pos
        var hex = false
        if accept({ $0 == 0x30 }) && accept({ $0 == 0x78 || $0 == 0x58 }) {
            _ = accept { $0 == 0x5F }
            hex = true
        }
        let isDig: (UInt8) -> Bool = hex
            ? { Self.isDigit($0) || ($0 >= 0x61 && $0 <= 0x66) || ($0 >= 0x41 && $0 <= 0x46) }
            : { Self.isDigit($0) }
        func isDot(_ c: UInt8) -> Bool { c == 0x2E }
        func isExp(_ c: UInt8) -> Bool { c == 0x65 || c == 0x45 }
        func isUnderscore(_ c: UInt8) -> Bool { c == 0x5F }
        func isAnti(_ c: UInt8) -> Bool { c == 0x2E || c == 0x5F || c == 0x65 || c == 0x45 }
        _ = accept(isDot)
        _ = accept(isDig)
        var dotConsumed = false
        var expConsumed = false
        while let c = peekByte, isDig(c) || isDot(c) || isUnderscore(c) || isExp(c) {
            if isDot(c) && dotConsumed {
                pos += 1
                return false
            }
            if isExp(c) && expConsumed {
                pos += 1
                return false
            }
            if accept(isDot) {
                dotConsumed = true
                if accept({ $0 == 0x5F || $0 == 0x2E }) { return false }
                if hex { return false }
                continue
            }
            if accept(isExp) {
                expConsumed = true
                _ = accept { $0 == 0x2B || $0 == 0x2D }
                if accept(isAnti) || peekByte == nil { return false }
                continue
            }
            if accept(isUnderscore) {
                if accept(isAnti) || peekByte == nil { return false }
                continue
            }
            while accept(isDig) {}
        }
        if pos == initial { return false }
        if let c = peekByte, Self.isAlphaNumeric(c) { return false }
        return true
    }

    private mutating func lexKeywordOrIdentifier() -> Token {
        var hasColon = false
        while let c = peekByte, Self.isAlphaNumeric(c) || c == 0x3A {
            if c == 0x3A { hasColon = true }
            pos += 1
        }
        if let kw = Self.keyword(input, start, pos) {
            if kw == .fill || kw == .fillLeft || kw == .fillRight {
                if !followedByLeftParen() { return emit(.identifier) }
            }
            return emit(kw)
        }
        return emit(hasColon ? .metricIdentifier : .identifier)
    }

    private func followedByLeftParen() -> Bool {
        var i = pos
        while i < input.count {
            let c = input[i]
            if !Self.isSpace(c) { return c == 0x28 }
            i += 1
        }
        return false
    }

    /// Case-insensitive keyword lookup of `input[from..<to]` (no allocation).
    static func keyword(_ input: [UInt8], _ from: Int, _ to: Int) -> TokenKind? {
        let n = to - from
        guard n >= 2 && n <= 12 else { return nil }
        // Pack the lower-cased word into two integers for cheap comparison.
        var lo: UInt64 = 0
        var hi: UInt64 = 0
        for i in 0..<n {
            var c = input[from + i]
            if c >= 0x41 && c <= 0x5A { c |= 0x20 }
            if !(isAlpha(c) || isDigit(c)) { return nil }
            if i < 8 { lo |= UInt64(c) << (8 * UInt64(i)) } else { hi |= UInt64(c) << (8 * UInt64(i - 8)) }
        }
        return keywordTable[KeywordKey(lo: lo, hi: hi)]
    }

    private struct KeywordKey: Hashable {
        var lo: UInt64
        var hi: UInt64
    }

    private static let keywordTable: [KeywordKey: TokenKind] = {
        let words: [(String, TokenKind)] = [
            ("and", .land), ("or", .lor), ("unless", .lunless), ("atan2", .atan2),
            ("sum", .sum), ("avg", .avg), ("count", .count), ("min", .min), ("max", .max), ("group", .group),
            ("stddev", .stddev), ("stdvar", .stdvar), ("topk", .topk), ("bottomk", .bottomk),
            ("count_values", .countValues), ("quantile", .quantile), ("limitk", .limitk), ("limit_ratio", .limitRatio),
            ("offset", .offset), ("smoothed", .smoothed), ("anchored", .anchored), ("by", .by), ("without", .without),
            ("on", .on), ("ignoring", .ignoring), ("group_left", .groupLeft), ("group_right", .groupRight),
            ("fill", .fill), ("fill_left", .fillLeft), ("fill_right", .fillRight), ("bool", .bool),
            ("start", .start), ("end", .end), ("step", .step), ("range", .range),
            ("inf", .number), ("nan", .number),
        ]
        var t: [KeywordKey: TokenKind] = [:]
        for (w, k) in words {
            var lo: UInt64 = 0
            var hi: UInt64 = 0
            for (i, c) in w.utf8.enumerated() {
                if i < 8 { lo |= UInt64(c) << (8 * UInt64(i)) } else { hi |= UInt64(c) << (8 * UInt64(i - 8)) }
            }
            t[KeywordKey(lo: lo, hi: hi)] = k
        }
        return t
    }()
}
