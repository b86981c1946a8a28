import CRE2
import Locking

/// A compiled regular expression with Go `regexp` (RE2) syntax and linear-time matching.
///
/// Backed by RE2 because Prometheus uses Go's regexp: same syntax, same guarantees, and hostile
/// patterns such as `(a*)*b` cannot backtrack catastrophically.
// @unchecked: the RE2 handle is immutable after compiling, and RE2 matches from many threads at once.
public final class Regexp: @unchecked Sendable {
    /// The pattern exactly as given (before any anchoring).
    public let pattern: String
    /// The pattern handed to RE2.
    public let compiledPattern: String
    private let handle: OpaquePointer
    /// Number of capturing groups.
    public let groupCount: Int
    /// Group names by index (index 0 is the whole match; unnamed groups are nil).
    public let groupNames: [String?]

    /// Compiles `pattern` as Go's `regexp.Compile` would.
    public init(_ pattern: String) throws(RegexpError) {
        self.pattern = pattern
        try RegexpSyntaxLimits.check(pattern)
        let bytes = Self.rewritingNamedGroups(Array(pattern.utf8))
        self.compiledPattern = String(decoding: bytes, as: UTF8.self)
        var code: Int32 = 0
        var arg: UnsafeMutablePointer<CChar>? = nil
        let h: OpaquePointer? = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buf.count) { cre2_compile($0, buf.count, &code, &arg) }
            } ?? cre2_compile("", 0, &code, &arg)
        }
        guard let h else {
            let fragment = arg.map { String(cString: $0) } ?? ""
            cre2_free_string(arg)
            throw RegexpError(code: RegexpError.Code(re2Code: Int(code)), fragment: fragment)
        }
        self.handle = h
        let n = Int(cre2_num_groups(h))
        self.groupCount = n
        var names: [String?] = [nil]
        if n > 0 {
            for i in 1...n {
                names.append(cre2_group_name(h, Int32(i)).map { String(cString: $0) })
            }
        }
        self.groupNames = names
    }

    /// Go (since 1.22) also accepts `(?<name>re)` for a named group, which our RE2 only knows as
    /// `(?P<name>re)`: rewrite it, leaving escapes and character classes alone.
    static func rewritingNamedGroups(_ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        var inClass = false
        while i < b.count {
            let c = b[i]
            if c == 0x5C {  // backslash: copy the escape as is
                out.append(c)
                if i + 1 < b.count { out.append(b[i + 1]) }
                i += 2
                continue
            }
            if inClass {
                if c == 0x5D { inClass = false }
                out.append(c)
                i += 1
                continue
            }
            if c == 0x5B {  // `[`, and a `]` right after `[` or `[^` is a literal
                inClass = true
                out.append(c)
                i += 1
                if i < b.count, b[i] == 0x5E { out.append(b[i]); i += 1 }
                if i < b.count, b[i] == 0x5D { out.append(b[i]); i += 1 }
                continue
            }
            if c == 0x28, i + 3 < b.count, b[i + 1] == 0x3F, b[i + 2] == 0x3C, b[i + 3] != 0x3D, b[i + 3] != 0x21 {
                out += [0x28, 0x3F, 0x50, 0x3C]  // `(?P<`
                i += 3
                continue
            }
            out.append(c)
            i += 1
        }
        return out
    }

    /// Compiles `^(?s:pattern)$`, the fully anchored form Prometheus uses for label matchers and relabelling.
    /// Compiled programs are shared: configs and rule files repeat the same few patterns thousands of times.
    public static func anchored(_ pattern: String) throws(RegexpError) -> Regexp {
        try cached("^(?s:" + pattern + ")$")
    }

    /// A compiled `pattern`, shared with every other caller of the same pattern (matching is thread-safe).
    public static func cached(_ pattern: String) throws(RegexpError) -> Regexp {
        if let hit = RegexpCache.shared.get(pattern) { return hit }
        let re = try Regexp(pattern)
        RegexpCache.shared.put(pattern, re)
        return re
    }

    deinit { cre2_free(handle) }

    /// True when the pattern matches somewhere in `text` (for anchored patterns: the whole text).
    public func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { buf in
            var dummy: Int64 = 0
            return buf.withMemoryRebound(to: CChar.self) { cbuf in
                cre2_match(handle, cbuf.baseAddress, cbuf.count, 0, 0, &dummy, 0) == 1
            }
        }
    }

    /// The byte ranges of the leftmost match at or after `start` and of its groups; nil when none.
    public func match(_ bytes: [UInt8], from start: Int = 0) -> Match? {
        guard start >= 0, start <= bytes.count else { return nil }
        let nsub = groupCount + 1
        var offsets = [Int64](repeating: -1, count: 2 * nsub)
        let ok: Bool = bytes.withUnsafeBufferPointer { buf in
            buf.withMemoryRebound(to: CChar.self) { cbuf in
                offsets.withUnsafeMutableBufferPointer { off in
                    guard let ob = off.baseAddress else { return false }
                    return cre2_match(handle, cbuf.baseAddress, cbuf.count, start, 0, ob, Int32(nsub)) == 1
                }
            }
        }
        guard ok else { return nil }
        var groups: [Range<Int>?] = []
        groups.reserveCapacity(nsub)
        for i in 0..<nsub {
            let b = Int(offsets[2 * i]), e = Int(offsets[2 * i + 1])
            groups.append(b >= 0 && e >= b ? b..<e : nil)
        }
        return Match(groups: groups)
    }

    /// Go's `Regexp.ExpandString`: `$1`, `${1}`, `$name`, `${name}`, `$$` in `template` from a match in `source`.
    public func expand(_ template: String, source: [UInt8], match: Match) -> String {
        var out: [UInt8] = []
        let t = Array(template.utf8)
        var i = 0
        while i < t.count {
            guard let dollar = t[i...].firstIndex(of: UInt8(ascii: "$")) else {
                out.append(contentsOf: t[i...])
                break
            }
            out.append(contentsOf: t[i..<dollar])
            i = dollar + 1
            if i < t.count, t[i] == UInt8(ascii: "$") {
                out.append(UInt8(ascii: "$"))
                i += 1
                continue
            }
            guard let ref = Regexp.extractReference(t, from: i) else {
                out.append(UInt8(ascii: "$"))
                continue
            }
            i = ref.end
            if ref.number >= 0 {
                if ref.number < match.groups.count, let r = match.groups[ref.number] {
                    out.append(contentsOf: source[r])
                }
            } else {
                for (gi, name) in groupNames.enumerated() where name.map({ Array($0.utf8) }) == ref.name {
                    if gi < match.groups.count, let r = match.groups[gi] {
                        out.append(contentsOf: source[r])
                        break
                    }
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Go's `ReplaceAllString`: every non-overlapping match replaced by the expanded template.
    public func replaceAll(in text: String, with template: String) -> String {
        let src = Array(text.utf8)
        var out = ""
        var pos = 0
        var searchFrom = 0
        var lastMatchEnd = -1
        while searchFrom <= src.count, let m = match(src, from: searchFrom), let whole = m.groups.first ?? nil {
            // Go skips an empty match immediately after the previous match.
            if whole.isEmpty && whole.lowerBound == lastMatchEnd {
                searchFrom = Regexp.nextRuneStart(src, whole.lowerBound)
                continue
            }
            out += String(decoding: src[pos..<whole.lowerBound], as: UTF8.self)
            out += expand(template, source: src, match: m)
            pos = whole.upperBound
            lastMatchEnd = whole.upperBound
            searchFrom = whole.isEmpty ? Regexp.nextRuneStart(src, whole.upperBound) : whole.upperBound
            if whole.isEmpty && whole.upperBound < src.count {
                out += String(decoding: src[whole.upperBound..<searchFrom], as: UTF8.self)
                pos = searchFrom
            }
        }
        if pos < src.count { out += String(decoding: src[pos...], as: UTF8.self) }
        return out
    }

    private static func nextRuneStart(_ b: [UInt8], _ i: Int) -> Int {
        var j = i + 1
        while j < b.count, b[j] & 0xC0 == 0x80 { j += 1 }
        return j
    }

    private struct Reference { var name: [UInt8]; var number: Int; var end: Int }

    /// Go's `extract`: a group reference after `$`, braced or not; nil when malformed.
    private static func extractReference(_ t: [UInt8], from start: Int) -> Reference? {
        var i = start
        guard i < t.count else { return nil }
        let brace = t[i] == UInt8(ascii: "{")
        if brace { i += 1 }
        let nameStart = i
        while i < t.count {
            let c = t[i]
            let isWord = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c >= 0x80
            if !isWord { break }
            i += 1
        }
        if i == nameStart { return nil }
        let name = Array(t[nameStart..<i])
        if brace {
            guard i < t.count, t[i] == UInt8(ascii: "}") else { return nil }
            i += 1
        }
        var num = 0
        for c in name {
            if c < 0x30 || c > 0x39 || num >= 100_000_000 { num = -1; break }
            num = num * 10 + Int(c - 0x30)
        }
        if name.count > 1, name.first == 0x30 { num = -1 }
        return Reference(name: name, number: num, end: i)
    }

    /// A match: byte ranges of the whole match (index 0) and each group (nil when it did not participate).
    public struct Match: Sendable {
        public var groups: [Range<Int>?]
    }
}

/// A compile error, printed exactly as Go prints `*syntax.Error`.
public struct RegexpError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case internalError = "regexp/syntax: internal error"
        case invalidEscape = "invalid escape sequence"
        case invalidCharClass = "invalid character class"
        case invalidCharRange = "invalid character class range"
        case missingBracket = "missing closing ]"
        case missingParen = "missing closing )"
        case unexpectedParen = "unexpected )"
        case trailingBackslash = "trailing backslash at end of expression"
        case missingRepeatArgument = "missing argument to repetition operator"
        case invalidRepeatSize = "invalid repeat count"
        case invalidRepeatOp = "invalid nested repetition operator"
        case invalidPerlOp = "invalid or unsupported Perl syntax"
        case invalidUTF8 = "invalid UTF-8"
        case invalidNamedCapture = "invalid named capture"
        case tooLarge = "expression too large"
        case nestingDepth = "expression nests too deeply"

        init(re2Code: Int) {
            switch re2Code {
            case 2: self = .invalidEscape
            case 3: self = .invalidCharClass
            case 4: self = .invalidCharRange
            case 5: self = .missingBracket
            case 6: self = .missingParen
            case 7: self = .unexpectedParen
            case 8: self = .trailingBackslash
            case 9: self = .missingRepeatArgument
            case 10: self = .invalidRepeatSize
            case 11: self = .invalidRepeatOp
            case 12: self = .invalidPerlOp
            case 13: self = .invalidUTF8
            case 14: self = .invalidNamedCapture
            case 15: self = .tooLarge
            default: self = .internalError
            }
        }
    }

    public let code: Code
    /// The offending part of the pattern, as RE2 reports it.
    public let fragment: String

    public var description: String {
        "error parsing regexp: \(code.rawValue): `\(fragment)`"
    }
}

/// Process-wide cache of compiled patterns, bounded so hostile input cannot grow it without limit.
private final class RegexpCache: Sendable {
    static let shared = RegexpCache()
    private static let capacity = 4096
    private let entries = SanitizedMutex<[String: Regexp]>([:])

    private init() {}

    func get(_ pattern: String) -> Regexp? {
        entries.withLock { $0[pattern] }
    }

    func put(_ pattern: String, _ re: Regexp) {
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[pattern] = re
        }
    }
}
