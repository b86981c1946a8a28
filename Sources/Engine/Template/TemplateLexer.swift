/// Token kinds of Go's text/template lexer (keywords sort after `keyword`).
enum TemplateItemType: Int, Sendable, Comparable {
    case error, bool, char, charConstant, comment, complex, assign, declare, eof
    case field, identifier, leftDelim, leftParen, number, pipe, rawString, rightDelim, rightParen
    case space, string, text, variable
    case keyword
    case block, breakKeyword, continueKeyword, dot, define, elseKeyword, end, ifKeyword, nilKeyword
    case range, template, with

    static func < (a: TemplateItemType, b: TemplateItemType) -> Bool { a.rawValue < b.rawValue }

    static let keywords: [String: TemplateItemType] = [
        ".": .dot, "block": .block, "break": .breakKeyword, "continue": .continueKeyword,
        "define": .define, "else": .elseKeyword, "end": .end, "if": .ifKeyword, "range": .range,
        "nil": .nilKeyword, "template": .template, "with": .with,
    ]
}

/// One lexical item: its kind, byte offset, text and starting line.
struct TemplateItem: Sendable {
    var type: TemplateItemType
    var pos: Int
    var val: String
    var line: Int

    /// The token as the Go value `parse.item` that Go's parser hands to `fmt` in its errors: its `String()` for
    /// the verbs that use it, its four fields for any other verb a `%` in the template's name forms.
    var goValue: TemplateValue {
        .structure(TemplateStruct(typeName: "parse.item", fields: [
            ("typ", .int(Int64(type.rawValue), .parseItemType)),
            ("pos", .int(Int64(pos), .parsePos)),
            ("val", .string(val)),
            ("line", .int(Int64(line), .int)),
        ], stringForm: goDescription))
    }

    /// Go's `item.String()`, used in "unexpected X in Y" messages.
    var goDescription: String {
        switch type {
        case .eof: return "EOF"
        case .error: return val
        default:
            if type > .keyword { return "<" + val + ">" }
            let bytes = Array(val.utf8)
            var runes = 0
            var i = 0
            while i < bytes.count { i += max(1, TemplateStrconv.decodeRune(bytes, i).1); runes += 1 }
            if runes > 10 { return TemplateStrconv.quoteBytes(bytes, maxRunes: 10) + "..." }
            return TemplateStrconv.quote(val)
        }
    }
}

/// A pull lexer with the exact behaviour of Go's `text/template/parse` lexer (default `{{ }}` delimiters).
struct TemplateLexer {
    private enum State { case text, leftDelim, comment, rightDelim, insideAction, space, quote, rawQuote,
                         variable, field, identifier, char, number, done }

    private let input: [UInt8]
    private var pos = 0
    private var start = 0
    private var atEOF = false
    private var parenDepth = 0
    private var line = 1
    private var startLine = 1
    private var item = TemplateItem(type: .eof, pos: 0, val: "EOF", line: 1)
    private var insideAction = false
    private var failed = false
    var breakOK = true
    var continueOK = true

    private static let leftDelim: [UInt8] = Array("{{".utf8)
    private static let rightDelim: [UInt8] = Array("}}".utf8)
    private static let leftComment: [UInt8] = Array("/*".utf8)
    private static let rightComment: [UInt8] = Array("*/".utf8)
    private static let eof: Int32 = -1

    init(_ text: String) {
        input = Array(text.utf8)
    }

    // MARK: - Primitive scanning

    private mutating func next() -> Int32 {
        if pos >= input.count {
            atEOF = true
            return Self.eof
        }
        let (r, w) = TemplateStrconv.decodeRune(input, pos)
        pos += w
        if r == "\n" { line += 1 }
        return Int32(bitPattern: r.value)
    }

    private mutating func peek() -> Int32 {
        let r = next()
        backup()
        return r
    }

    private mutating func backup() {
        if !atEOF && pos > 0 {
            let (r, w) = TemplateStrconv.decodeLastRune(input, pos)
            pos -= w
            if r == "\n" { line -= 1 }
        }
    }

    private func hasPrefix(_ p: [UInt8], at i: Int) -> Bool {
        guard i >= 0, i + p.count <= input.count else { return false }
        for k in 0..<p.count where input[i + k] != p[k] { return false }
        return true
    }

    private func index(of p: [UInt8], from i: Int) -> Int? {
        guard p.count > 0 else { return i }
        var k = i
        while k + p.count <= input.count {
            if input[k] == p[0] && hasPrefix(p, at: k) { return k }
            k += 1
        }
        return nil
    }

    private func countNewlines(_ a: Int, _ b: Int) -> Int {
        guard a < b else { return 0 }
        var n = 0
        for k in a..<b where input[k] == 0x0A { n += 1 }
        return n
    }

    private func text(_ a: Int, _ b: Int) -> String {
        guard a < b else { return "" }
        return String(decoding: input[a..<b], as: UTF8.self)
    }

    private mutating func thisItem(_ t: TemplateItemType) -> TemplateItem {
        let i = TemplateItem(type: t, pos: start, val: text(start, pos), line: startLine)
        start = pos
        startLine = line
        return i
    }

    private mutating func emit(_ t: TemplateItemType) -> State {
        item = thisItem(t)
        return .done
    }

    private mutating func emitItem(_ i: TemplateItem) -> State {
        item = i
        return .done
    }

    private mutating func ignore() {
        line += countNewlines(start, pos)
        start = pos
        startLine = line
    }

    private mutating func accept(_ valid: String) -> Bool {
        let r = next()
        if r >= 0, let s = Unicode.Scalar(UInt32(r)), valid.unicodeScalars.contains(s) { return true }
        backup()
        return false
    }

    private mutating func acceptRun(_ valid: String) {
        while true {
            let r = next()
            if r >= 0, let s = Unicode.Scalar(UInt32(r)), valid.unicodeScalars.contains(s) { continue }
            break
        }
        backup()
    }

    private mutating func errorf(_ message: String) -> State {
        item = TemplateItem(type: .error, pos: start, val: message, line: startLine)
        failed = true
        return .done
    }

    private static func isSpace(_ r: Int32) -> Bool { r == 0x20 || r == 0x09 || r == 0x0D || r == 0x0A }

    private static func isAlphaNumeric(_ r: Int32) -> Bool {
        guard r >= 0, let s = Unicode.Scalar(UInt32(r)) else { return false }
        return r == 0x5F || TemplateStrconv.isLetter(s) || TemplateStrconv.isDigit(s)
    }

    private func hasLeftTrimMarker(at i: Int) -> Bool {
        i + 2 <= input.count && input[i] == UInt8(ascii: "-") && Self.isSpace(Int32(input[i + 1]))
    }

    private func hasRightTrimMarker(at i: Int) -> Bool {
        i >= 0 && i + 2 <= input.count && Self.isSpace(Int32(input[i])) && input[i + 1] == UInt8(ascii: "-")
    }

    private func rightTrimLength(_ a: Int, _ b: Int) -> Int {
        var k = b
        while k > a, Self.isSpace(Int32(input[k - 1])) { k -= 1 }
        return b - k
    }

    private func leftTrimLength(from a: Int) -> Int {
        var k = a
        while k < input.count, Self.isSpace(Int32(input[k])) { k += 1 }
        return k - a
    }

    private func atRightDelim() -> (delim: Bool, trim: Bool) {
        if hasRightTrimMarker(at: pos) && hasPrefix(Self.rightDelim, at: pos + 2) { return (true, true) }
        if hasPrefix(Self.rightDelim, at: pos) { return (true, false) }
        return (false, false)
    }

    private mutating func atTerminator() -> Bool {
        let r = peek()
        if Self.isSpace(r) { return true }
        switch r {
        case Self.eof, 0x2E, 0x2C, 0x7C, 0x3A, 0x29, 0x28: return true
        default: return hasPrefix(Self.rightDelim, at: pos)
        }
    }

    // MARK: - Driver

    /// Returns the next item; after an error item, only EOF items follow.
    mutating func nextItem() -> TemplateItem {
        if failed {
            return TemplateItem(type: .eof, pos: 0, val: "EOF", line: startLine)
        }
        item = TemplateItem(type: .eof, pos: pos, val: "EOF", line: startLine)
        var state: State = insideAction ? .insideAction : .text
        while state != .done {
            state = step(state)
        }
        return item
    }

    private mutating func step(_ s: State) -> State {
        switch s {
        case .text: return lexText()
        case .leftDelim: return lexLeftDelim()
        case .comment: return lexComment()
        case .rightDelim: return lexRightDelim()
        case .insideAction: return lexInsideAction()
        case .space: return lexSpace()
        case .quote: return lexQuote()
        case .rawQuote: return lexRawQuote()
        case .variable: return lexVariable()
        case .field: return lexFieldOrVariable(.field)
        case .identifier: return lexIdentifier()
        case .char: return lexChar()
        case .number: return lexNumber()
        case .done: return .done
        }
    }

    // MARK: - States

    private mutating func lexText() -> State {
        if let x = index(of: Self.leftDelim, from: pos) {
            if x > pos {
                pos = x
                var trim = 0
                if hasLeftTrimMarker(at: pos + Self.leftDelim.count) {
                    trim = rightTrimLength(start, pos)
                }
                pos -= trim
                line += countNewlines(start, pos)
                let i = thisItem(.text)
                pos += trim
                ignore()
                if !i.val.isEmpty { return emitItem(i) }
            }
            return .leftDelim
        }
        pos = input.count
        if pos > start {
            line += countNewlines(start, pos)
            return emit(.text)
        }
        return emit(.eof)
    }

    private mutating func lexLeftDelim() -> State {
        pos += Self.leftDelim.count
        let trim = hasLeftTrimMarker(at: pos)
        let after = trim ? 2 : 0
        if hasPrefix(Self.leftComment, at: pos + after) {
            pos += after
            ignore()
            return .comment
        }
        let i = thisItem(.leftDelim)
        insideAction = true
        pos += after
        ignore()
        parenDepth = 0
        return emitItem(i)
    }

    private mutating func lexComment() -> State {
        pos += Self.leftComment.count
        guard let x = index(of: Self.rightComment, from: pos) else { return errorf("unclosed comment") }
        pos = x + Self.rightComment.count
        let (delim, trim) = atRightDelim()
        if !delim { return errorf("comment ends before closing delimiter") }
        line += countNewlines(start, pos)
        _ = thisItem(.comment)
        if trim { pos += 2 }
        pos += Self.rightDelim.count
        if trim { pos += leftTrimLength(from: pos) }
        ignore()
        return .text
    }

    private mutating func lexRightDelim() -> State {
        let (_, trim) = atRightDelim()
        if trim {
            pos += 2
            ignore()
        }
        pos += Self.rightDelim.count
        let i = thisItem(.rightDelim)
        if trim {
            pos += leftTrimLength(from: pos)
            ignore()
        }
        insideAction = false
        return emitItem(i)
    }

    private mutating func lexInsideAction() -> State {
        let (delim, _) = atRightDelim()
        if delim {
            if parenDepth == 0 { return .rightDelim }
            return errorf("unclosed left paren")
        }
        let r = next()
        switch r {
        case Self.eof:
            return errorf("unclosed action")
        case _ where Self.isSpace(r):
            backup()
            return .space
        case 0x3D: // =
            return emit(.assign)
        case 0x3A: // :
            if next() != 0x3D { return errorf("expected :=") }
            return emit(.declare)
        case 0x7C:
            return emit(.pipe)
        case 0x22:
            return .quote
        case 0x60:
            return .rawQuote
        case 0x24:
            return .variable
        case 0x27:
            return .char
        case 0x2E:
            if pos < input.count {
                let c = input[pos]
                if c < 0x30 || c > 0x39 { return .field }
            }
            backup()
            return .number
        case 0x2B, 0x2D, 0x30...0x39:
            backup()
            return .number
        case _ where Self.isAlphaNumeric(r):
            backup()
            return .identifier
        case 0x28:
            parenDepth += 1
            return emit(.leftParen)
        case 0x29:
            parenDepth -= 1
            if parenDepth < 0 { return errorf("unexpected right paren") }
            return emit(.rightParen)
        case 0x20...0x7E:
            return emit(.char)
        default:
            let scalar = Unicode.Scalar(UInt32(max(0, r))) ?? TemplateStrconv.runeError
            return errorf("unrecognized character in action: " + TemplateStrconv.formatSharpU(scalar))
        }
    }

    private mutating func lexSpace() -> State {
        var numSpaces = 0
        while true {
            let r = peek()
            if !Self.isSpace(r) { break }
            _ = next()
            numSpaces += 1
        }
        if hasRightTrimMarker(at: pos - 1) && hasPrefix(Self.rightDelim, at: pos - 1 + 2) {
            backup()
            if numSpaces == 1 { return .rightDelim }
        }
        return emit(.space)
    }

    private mutating func lexIdentifier() -> State {
        while true {
            let r = next()
            if Self.isAlphaNumeric(r) { continue }
            backup()
            let word = text(start, pos)
            if !atTerminator() {
                return errorf("bad character " + TemplateStrconv.formatSharpU(Unicode.Scalar(UInt32(max(0, r))) ?? TemplateStrconv.runeError))
            }
            if let k = TemplateItemType.keywords[word], k > .keyword {
                if (k == .breakKeyword && !breakOK) || (k == .continueKeyword && !continueOK) {
                    return emit(.identifier)
                }
                return emit(k)
            }
            if word.hasPrefix(".") { return emit(.field) }
            if word == "true" || word == "false" { return emit(.bool) }
            return emit(.identifier)
        }
    }

    private mutating func lexVariable() -> State {
        if atTerminator() { return emit(.variable) }
        return lexFieldOrVariable(.variable)
    }

    private mutating func lexFieldOrVariable(_ typ: TemplateItemType) -> State {
        if atTerminator() {
            return emit(typ == .variable ? .variable : .dot)
        }
        var r: Int32 = 0
        while true {
            r = next()
            if !Self.isAlphaNumeric(r) {
                backup()
                break
            }
        }
        if !atTerminator() {
            return errorf("bad character " + TemplateStrconv.formatSharpU(r >= 0 ? (Unicode.Scalar(UInt32(r)) ?? TemplateStrconv.runeError) : TemplateStrconv.runeError))
        }
        return emit(typ)
    }

    private mutating func lexChar() -> State {
        while true {
            let r = next()
            if r == 0x5C {
                let r2 = next()
                if r2 != Self.eof && r2 != 0x0A { continue }
                return errorf("unterminated character constant")
            }
            if r == Self.eof || r == 0x0A { return errorf("unterminated character constant") }
            if r == 0x27 { break }
        }
        return emit(.charConstant)
    }

    private mutating func lexNumber() -> State {
        if !scanNumber() { return errorf("bad number syntax: " + TemplateStrconv.quote(text(start, pos))) }
        let sign = peek()
        if sign == 0x2B || sign == 0x2D {
            if !scanNumber() || pos < 1 || input[pos - 1] != UInt8(ascii: "i") {
                return errorf("bad number syntax: " + TemplateStrconv.quote(text(start, pos)))
            }
            return emit(.complex)
        }
        return emit(.number)
    }

    private mutating func scanNumber() -> Bool {
        _ = accept("+-")
        var digits = "0123456789_"
        if accept("0") {
            if accept("xX") { digits = "0123456789abcdefABCDEF_" }
            else if accept("oO") { digits = "01234567_" }
            else if accept("bB") { digits = "01_" }
        }
        acceptRun(digits)
        if accept(".") { acceptRun(digits) }
        if digits.count == 11 && accept("eE") {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        if digits.count == 23 && accept("pP") {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        _ = accept("i")
        if Self.isAlphaNumeric(peek()) {
            _ = next()
            return false
        }
        return true
    }

    private mutating func lexQuote() -> State {
        while true {
            let r = next()
            if r == 0x5C {
                let r2 = next()
                if r2 != Self.eof && r2 != 0x0A { continue }
                return errorf("unterminated quoted string")
            }
            if r == Self.eof || r == 0x0A { return errorf("unterminated quoted string") }
            if r == 0x22 { break }
        }
        return emit(.string)
    }

    private mutating func lexRawQuote() -> State {
        while true {
            let r = next()
            if r == Self.eof { return errorf("unterminated raw quoted string") }
            if r == 0x60 { break }
        }
        return emit(.rawString)
    }
}
