import GoCompat

/// The input of `tsdb bench write`: one label set per line, written as a flat JSON object
/// (`{"__name__":"up","job":"api"}`, Prometheus's `tsdb/testdata/20kseries.json`).
///
/// Read as promtool 3.14's `readPrometheusLabels` reads it, which is not a JSON parser: every `"`, `{` and `}` is
/// dropped, the rest split at `,` into pairs and each pair at `:` into name and value (anything after a second
/// `:` is ignored, so `"instance":"host:9100"` gives `host`). Label sets are sorted by name; a set seen before is
/// skipped; reading stops after `limit` distinct sets. A trailing `\r` is dropped as Go's line scanner does.
///
/// Where promtool crashes (a pair without `:`, an empty line) or silently stops reading (a line over 64 KiB), and
/// for sets Prometheus's head would refuse (an empty or repeated label name, invalid UTF-8), this is an error
/// naming `file:line`. Empty values are dropped (the head drops them too).
public enum BenchSeriesFile {
    /// Longest line Go's `bufio.Scanner` reads with its default buffer.
    public static let maxLineLength = 64 * 1024 - 1

    /// Reads the file at `path` (memory-mapped); a missing file is `open F: no such file or directory`.
    public static func read(path: String, limit: Int) throws(BenchWriteError) -> [Labels] {
        let file: MappedFile
        do { file = try MappedFile(path: path) } catch { throw BenchWriteError(error.message) }
        return try file.withBytes { (bytes) throws(BenchWriteError) -> [Labels] in try parse(bytes, file: path, limit: limit) }
    }

    /// Parses file contents; `file` names them in errors.
    public static func parse(_ bytes: UnsafeRawBufferPointer, file: String, limit: Int) throws(BenchWriteError) -> [Labels] {
        var out: [Labels] = []
        var seen = Set<[Labels.Label]>()
        var lineStart = 0
        var lineNumber = 0
        let count = bytes.count
        while lineStart < count && out.count < limit {
            var lineEnd = lineStart
            while lineEnd < count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            lineNumber += 1
            var contentEnd = lineEnd
            if contentEnd > lineStart && bytes[contentEnd - 1] == UInt8(ascii: "\r") { contentEnd -= 1 }
            guard contentEnd - lineStart <= maxLineLength else {
                throw BenchWriteError("\(file):\(lineNumber): line longer than \(maxLineLength) bytes")
            }
            let pairs = try labelPairs(UnsafeRawBufferPointer(rebasing: bytes[lineStart..<contentEnd]), at: "\(file):\(lineNumber)")
            if seen.insert(pairs).inserted {
                out.append(Labels(sorted: pairs.filter { !$0.value.isEmpty }))
            }
            lineStart = lineEnd + 1
        }
        return out
    }

    /// One line's labels, sorted by name (bytewise), empty values kept (they tell sets apart, as in promtool).
    private static func labelPairs(_ line: UnsafeRawBufferPointer, at position: @autoclosure () -> String) throws(BenchWriteError) -> [Labels.Label] {
        // The line without quotes and braces, split at commas, each piece at its first two colons.
        var pairs: [Labels.Label] = []
        var name: [UInt8] = []
        var value: [UInt8] = []
        var colons = 0
        func finishPair() throws(BenchWriteError) {
            guard colons > 0 else {
                let text = String(decoding: name, as: UTF8.self)
                throw BenchWriteError("\(position()): \(text.isEmpty ? "empty label pair" : "label pair \(GoTime.quote(text)) has no ':'") (want \"name\":\"value\")")
            }
            guard !name.isEmpty else { throw BenchWriteError("\(position()): empty label name") }
            guard let n = String(validating: name, as: UTF8.self), let v = String(validating: value, as: UTF8.self) else {
                throw BenchWriteError("\(position()): invalid UTF-8 in a label")
            }
            pairs.append(Labels.Label(n, v))
            name.removeAll(keepingCapacity: true)
            value.removeAll(keepingCapacity: true)
            colons = 0
        }
        for b in line {
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "}"):
                continue
            case UInt8(ascii: ","):
                try finishPair()
            case UInt8(ascii: ":"):
                colons += 1
            default:
                if colons == 0 { name.append(b) } else if colons == 1 { value.append(b) }
            }
        }
        try finishPair()
        pairs.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        for (a, b) in zip(pairs, pairs.dropFirst()) where a.name == b.name {
            throw BenchWriteError("\(position()): label name \(GoTime.quote(a.name)) is not unique")
        }
        return pairs
    }
}
