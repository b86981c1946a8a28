import CLibYAML

/// Where go-yaml's scanner (a port of an older libyaml, changed in places) reads broken YAML differently
/// from the libyaml 0.2.5 the composer runs, and how the composer makes libyaml answer as go-yaml does.
///
/// Three differences decide which error a user sees:
/// - **A BOM inside the stream.** Both skip a byte-order mark at the start of a line, but go-yaml's check
///   looks at the start of its buffer instead of the current position, so after the first character it never
///   skips one: a U+FEFF at a line's start is the first character of a plain scalar there, where libyaml
///   skips it and shifts the line's indentation by one. Such BOMs are masked with a private-use character
///   libyaml treats like any other, and restored in scalar values.
/// - **Lookahead (yaml v3, rule files).** yaml v3 keeps three tokens queued ahead of its parser (its comment
///   handling needs them), so a scanner error up to two tokens past the token the parser rejects is what v3
///   reports. libyaml scans only as far as the parser asks. After a parser error, a scan-only pass finds
///   whether the scanner fails within those tokens.
/// - **Flow indicators in tags.** go-yaml reads `,`, `[` and `]` as characters of a tag's URI (`!x]`,
///   `!!str,`); libyaml 0.2.5 ends the tag there and then rejects anything but a `,` in a flow collection
///   ("did not find expected whitespace or line break"). Such characters of a tag are percent-escaped before
///   parsing, which libyaml decodes back into the tag go-yaml reads (columns after it on its line shift).
/// - **Tabs before comments (yaml v3).** yaml v3 reads a run of comment lines at once, skipping spaces and
///   tabs before each `#`, so a tab-indented comment line after another comment is accepted; libyaml (and
///   yaml v2) reject a tab at the start of a line. Those tabs are turned into spaces and the input parsed again.
enum GoYAMLScanner {
    /// Most reparses for tab-indented comment runs per input (each fixes one run; real files need one or two).
    static let maxTabRetries = 8
    /// yaml v3's comment-run lookahead: the `#` of the next comment line must be within this many bytes of
    /// the end of the previous one.
    static let commentPeekLimit = 512

    // MARK: BOMs

    /// Replaces every UTF-8 BOM after the first byte with a private-use character absent from the input and
    /// returns that character (nil when nothing was masked). A UTF-16 input (leading FF FE / FE FF) is left
    /// alone: libyaml transcodes it and the BOM question does not arise in the same way.
    static func maskInnerBOMs(_ bytes: inout [UInt8]) -> Unicode.Scalar? {
        let n = bytes.count
        guard n > 3 else { return nil }
        if (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) { return nil }
        var hasInner = false
        var used = [Bool](repeating: false, count: 64)
        var i = 0
        while i + 2 < n {
            if bytes[i] == 0xEF && bytes[i + 1] == 0xBB && bytes[i + 2] == 0xBF && i > 0 { hasInner = true }
            if bytes[i] == 0xEE && bytes[i + 1] == 0x80 && bytes[i + 2] >= 0x80 && bytes[i + 2] < 0xC0 {
                used[Int(bytes[i + 2] - 0x80)] = true
            }
            i += 1
        }
        guard hasInner, let free = used.firstIndex(of: false) else { return nil }
        let third = UInt8(0x80 + free)
        i = 1
        while i + 2 < n {
            if bytes[i] == 0xEF && bytes[i + 1] == 0xBB && bytes[i + 2] == 0xBF {
                bytes[i] = 0xEE; bytes[i + 1] = 0x80; bytes[i + 2] = third
                i += 3
            } else {
                i += 1
            }
        }
        return Unicode.Scalar(0xE000 + UInt32(free))
    }

    /// `value` with the BOM mask put back.
    static func unmask(_ value: String, _ mask: Unicode.Scalar?) -> String {
        guard let mask, value.unicodeScalars.contains(mask) else { return value }
        var out = String.UnicodeScalarView()
        for s in value.unicodeScalars { out.append(s == mask ? "\u{FEFF}" : s) }
        return String(out)
    }

    // MARK: Flow indicators in tags

    /// Most tags rewritten per input (each costs a scan of the input; real files have none).
    static let maxTagRewrites = 16

    /// A byte libyaml 0.2.5 accepts in a tag's URI outside `!<…>`: alphanumerics, `_`, `-` and
    /// `;/?:@&=+$.!~*'()%`. go-yaml also accepts `,`, `[` and `]`.
    private static func isLibYAMLURIByte(_ c: UInt8) -> Bool {
        switch c {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F, 0x2D: return true
        case 0x3B, 0x2F, 0x3F, 0x3A, 0x40, 0x26, 0x3D, 0x2B, 0x24, 0x2E, 0x21, 0x7E, 0x2A, 0x27, 0x28, 0x29, 0x25: return true
        default: return false
        }
    }

    private static func isFlowIndicator(_ c: UInt8) -> Bool { c == 0x2C || c == 0x5B || c == 0x5D }

    /// Percent-escapes the `,`, `[` and `]` that go-yaml reads into a tag, tag by tag (at most
    /// `maxTagRewrites`), so that libyaml reads the same tag and goes on where go-yaml goes on.
    static func escapeFlowIndicatorsInTags(_ bytes: inout [UInt8]) {
        guard mayHaveFlowIndicatorInTag(bytes) else { return }
        for _ in 0..<maxTagRewrites {
            guard let at = firstFlowIndicatorEndingATag(&bytes) else { return }
            var escaped: [UInt8] = []
            var i = at
            while i < bytes.count, isLibYAMLURIByte(bytes[i]) || isFlowIndicator(bytes[i]) {
                if isFlowIndicator(bytes[i]) {
                    let hex = Array("0123456789ABCDEF".utf8)
                    escaped += [0x25, hex[Int(bytes[i] >> 4)], hex[Int(bytes[i] & 15)]]
                } else {
                    escaped.append(bytes[i])
                }
                i += 1
            }
            bytes.replaceSubrange(at..<i, with: escaped)
        }
    }

    /// Cheap filter (one pass): some `!` starts a run of URI bytes that a flow indicator ends.
    private static func mayHaveFlowIndicatorInTag(_ bytes: [UInt8]) -> Bool {
        var i = 0
        while i < bytes.count {
            guard bytes[i] == 0x21 else { i += 1; continue }
            var j = i + 1
            while j < bytes.count, isLibYAMLURIByte(bytes[j]) { j += 1 }
            if j < bytes.count, isFlowIndicator(bytes[j]) { return true }
            i = j
        }
        return false
    }

    /// The byte offset of the first flow indicator that ends a tag token for libyaml (where go-yaml's tag goes
    /// on): after a tag token, or where libyaml's tag scan failed on it.
    private static func firstFlowIndicatorEndingATag(_ bytes: inout [UInt8]) -> Int? {
        bytes.withUnsafeMutableBufferPointer { buf -> Int? in
            guard let base = buf.baseAddress else { return nil }
            var p = yaml_parser_t()
            guard yaml_parser_initialize(&p) == 1 else { return nil }
            defer { yaml_parser_delete(&p) }
            yaml_parser_set_input_string(&p, base, buf.count)
            func indicator(atCharacter index: Int) -> Int? {
                guard let at = byteOffset(ofCharacter: index, in: buf), at < buf.count, isFlowIndicator(buf[at]) else { return nil }
                return at
            }
            while true {
                var token = yaml_token_t()
                guard yaml_parser_scan(&p, &token) == 1 else {
                    guard p.context.map({ String(cString: $0) }) == "while scanning a tag" else { return nil }
                    return indicator(atCharacter: Int(truncatingIfNeeded: p.problem_mark.index))
                }
                defer { yaml_token_delete(&token) }
                switch token.type {
                case YAML_STREAM_END_TOKEN:
                    return nil
                case YAML_TAG_TOKEN:
                    if let at = indicator(atCharacter: Int(truncatingIfNeeded: token.end_mark.index)) { return at }
                default:
                    break
                }
            }
        }
    }

    // MARK: Scan-only pass

    /// What scanning the input alone found.
    struct ScanResult {
        /// go-yaml's words for the scanner error, when scanning failed before `limit` tokens were fetched.
        var error: YAMLError?
        /// The scanner error was libyaml's "found character that cannot start any token".
        var cannotStartToken = false
        /// Character index (libyaml's `mark.index`) where the scanner stopped.
        var problemIndex = 0
        /// End (character index) of the last token before the problem.
        var lastTokenEnd = 0
        /// Whether yaml v3 reads a comment on that token's line as the token's own line comment (every
        /// token but the stream start and a `-` entry), so that it starts no comment run.
        var lastTokenTakesLineComment = false
    }

    /// Scans until the scanner has fetched `limit` tokens, reaches the end, or fails.
    static func scan(_ base: UnsafeMutablePointer<UInt8>, count: Int, limit: Int, dialect: YAMLComposer.Dialect) -> ScanResult {
        var result = ScanResult()
        var p = yaml_parser_t()
        guard yaml_parser_initialize(&p) == 1 else { return result }
        defer { yaml_parser_delete(&p) }
        yaml_parser_set_input_string(&p, base, count)
        while true {
            var token = yaml_token_t()
            guard yaml_parser_scan(&p, &token) == 1 else {
                let queued = queuedTokens(p)
                let fetched = p.tokens_parsed &+ queued.count
                guard fetched < limit else { return result }
                let input = UnsafeBufferPointer(start: base, count: count)
                result.error = YAMLComposer.goError(&p, input: input, dialect: dialect)
                result.cannotStartToken = p.problem.map { String(cString: $0) } == "found character that cannot start any token"
                result.problemIndex = Int(truncatingIfNeeded: p.problem_mark.index)
                // Tokens queued behind an unresolved simple key were fetched before the problem; the last one
                // that starts before it ends the text the scanner skipped (tokens the failing fetch added, such
                // as block ends, start at the problem).
                for t in queued.reversed() where Int(truncatingIfNeeded: t.start_mark.index) < result.problemIndex {
                    result.lastTokenEnd = Int(truncatingIfNeeded: t.end_mark.index)
                    result.lastTokenTakesLineComment = takesLineComment(t.type)
                    break
                }
                return result
            }
            defer { yaml_token_delete(&token) }
            if token.type == YAML_STREAM_END_TOKEN { return result }
            result.lastTokenEnd = Int(truncatingIfNeeded: token.end_mark.index)
            result.lastTokenTakesLineComment = takesLineComment(token.type)
            if p.tokens_parsed &+ queuedTokens(p).count >= limit { return result }
        }
    }

    private static func takesLineComment(_ type: yaml_token_type_t) -> Bool {
        type != YAML_BLOCK_ENTRY_TOKEN && type != YAML_STREAM_START_TOKEN
    }

    /// The tokens libyaml fetched but has not handed out yet.
    private static func queuedTokens(_ p: yaml_parser_t) -> UnsafeBufferPointer<yaml_token_t> {
        guard let head = p.tokens.head, let tail = p.tokens.tail, head <= tail else {
            return UnsafeBufferPointer(start: nil, count: 0)
        }
        return UnsafeBufferPointer(start: head, count: head.distance(to: tail))
    }

    /// yaml v3's error for a parser error at token `tokensParsed`: a scanner error within its lookahead wins.
    static func v3ScannerErrorAhead(_ base: UnsafeMutablePointer<UInt8>, count: Int, tokensParsed: Int) -> YAMLError? {
        scan(base, count: count, limit: tokensParsed &+ 3, dialect: .yamlV3).error
    }

    // MARK: Tabs before comments (yaml v3)

    /// For libyaml's "cannot start any token" on a tab: when yaml v3 would have read that tab as indentation of a
    /// comment line in a comment run, turns the tabs of the run's indentation into spaces (in place) and
    /// returns true so the caller parses again.
    static func acceptTabsBeforeComments(_ base: UnsafeMutablePointer<UInt8>, count: Int, scan: ScanResult) -> Bool {
        guard scan.cannotStartToken else { return false }
        let bytes = UnsafeMutableBufferPointer(start: base, count: count)
        guard let problem = byteOffset(ofCharacter: scan.problemIndex, in: bytes), problem < count,
              bytes[problem] == 0x09,
              let gapStart = byteOffset(ofCharacter: scan.lastTokenEnd, in: bytes), gapStart <= problem
        else { return false }
        // The text the scanner skipped before the tab holds only blanks, breaks and comments. A comment on
        // the previous token's own line is read on its own (v3's line comment, except after a `-`); any
        // other comment starts a run.
        var runComment = false
        var lastCommentBreak: Int?
        var sawBreak = false
        var i = gapStart
        while i < problem {
            let c = bytes[i]
            if c == 0x0A || c == 0x0D {
                sawBreak = true
                i += 1
            } else if c == 0x23 {  // '#'
                runComment = sawBreak || !scan.lastTokenTakesLineComment
                while i < problem && bytes[i] != 0x0A && bytes[i] != 0x0D { i += 1 }
                lastCommentBreak = i
            } else {
                i += 1
            }
        }
        guard runComment, var end = lastCommentBreak else { return false }
        var changed = false
        // Follow the run: each next comment line within v3's peek of the previous line's end continues it.
        while true {
            var x = end
            while x < count, x - end < commentPeekLimit, bytes[x] == 0x20 || bytes[x] == 0x09 || bytes[x] == 0x0A || bytes[x] == 0x0D {
                x += 1
            }
            guard x < count, x - end < commentPeekLimit, bytes[x] == 0x23 else { break }
            for j in end..<x where bytes[j] == 0x09 {
                bytes[j] = 0x20
                changed = true
            }
            var e = x
            while e < count && bytes[e] != 0x0A && bytes[e] != 0x0D { e += 1 }
            end = e
        }
        return changed
    }

    /// The byte offset of libyaml's character index (UTF-8 input: every byte that does not continue a sequence
    /// starts a character).
    private static func byteOffset(ofCharacter index: Int, in bytes: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        var chars = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] & 0xC0 != 0x80 {
                if chars == index { return i }
                chars += 1
            }
            i += 1
        }
        return chars == index ? bytes.count : nil
    }
}
