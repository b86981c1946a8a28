/// Inline suppressions written as YAML comments:
///
/// - `# promtool-swift: disable=ID[,ID]` on a line suppresses those checks for findings on that line and
///   the next, and for findings inside a rule, group or job entry that starts on either.
/// - `# promtool-swift: disable-file=ID[,ID]` anywhere suppresses them for the whole file.
///
/// `all` stands for every check; a category followed by `/*` (`labels/*`) for every check in it.
public struct InlineDisables: Sendable {
    /// Line number → ids disabled at that line.
    public private(set) var byLine: [Int: Set<String>] = [:]
    public private(set) var fileWide: Set<String> = []

    public init() {}

    /// Scans every line of `source` for disable comments.
    public init(source: SourceText) {
        for (i, line) in source.lines.enumerated() {
            guard let (kind, ids) = Self.parse(line) else { continue }
            if kind == "disable-file" {
                fileWide.formUnion(ids)
            } else {
                byLine[i + 1, default: []].formUnion(ids)
            }
        }
    }

    /// Parses one line; returns the directive (`disable` or `disable-file`) and its ids.
    static func parse(_ line: Substring) -> (String, Set<String>)? {
        guard let marker = line.rangeOfASCII("promtool-swift:") else { return nil }
        // Must be in a comment: a `#` before the marker.
        guard line[..<marker.lowerBound].contains("#") else { return nil }
        var rest = line[marker.upperBound...].drop { $0 == " " || $0 == "\t" }
        let kind: String
        if rest.hasPrefix("disable-file=") {
            kind = "disable-file"
            rest = rest.dropFirst("disable-file=".count)
        } else if rest.hasPrefix("disable=") {
            kind = "disable"
            rest = rest.dropFirst("disable=".count)
        } else {
            return nil
        }
        var ids: Set<String> = []
        for part in rest.split(separator: ",") {
            let id = part.trimmingCharacters(in: " \t")
            // Stop at trailing prose such as `-- reason`.
            let words = id.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if let token = words.first { ids.insert(String(token)) }
            if words.count > 1 { break }
        }
        return ids.isEmpty ? nil : (kind, ids)
    }

    static func covers(_ ids: Set<String>, _ check: CheckID) -> Bool {
        if ids.contains("all") || ids.contains(check.rawValue) { return true }
        return ids.contains(check.category + "/*")
    }

    /// True when `diagnostic` is suppressed by a comment in this file.
    public func suppresses(_ diagnostic: Diagnostic) -> Bool {
        if Self.covers(fileWide, diagnostic.check) { return true }
        var lines = [diagnostic.range.start.line, diagnostic.range.start.line - 1]
        if let scope = diagnostic.scopeLine { lines += [scope, scope - 1] }
        for l in lines {
            if let ids = byLine[l], Self.covers(ids, diagnostic.check) { return true }
        }
        return false
    }
}

extension Substring {
    /// The first occurrence of an ASCII `needle`, found by comparing UTF-8 bytes (an ASCII byte never
    /// occurs inside a multi-byte character, so the match starts and ends on character boundaries).
    func rangeOfASCII(_ needle: StaticString) -> Range<Index>? {
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard let first = pattern.first else { return startIndex..<startIndex }
        let bytes = utf8
        var i = bytes.startIndex
        while let start = bytes[i...].firstIndex(of: first) {
            var j = start
            var k = 0
            while k < pattern.count, j < bytes.endIndex, bytes[j] == pattern[k] {
                bytes.formIndex(after: &j)
                k &+= 1
            }
            if k == pattern.count { return start..<j }
            i = bytes.index(after: start)
        }
        return nil
    }

    func trimmingCharacters(in set: String) -> String {
        var s = self[...]
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
