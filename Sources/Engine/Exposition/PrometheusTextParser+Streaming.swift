extension PrometheusTextParser {
    /// Parses input that arrives in pieces, so a large file never has to be in memory at once:
    /// `read` appends the next bytes of the input to the buffer it is given and returns false at the end
    /// of the input. Whole records are parsed as they arrive; positions, errors and what `sink` receives are
    /// the same as for the whole input at once.
    ///
    /// Unlike OpenMetrics, a text-format record may span lines (quoted label names and values, and a quoted
    /// name after `# HELP`/`# TYPE`, may hold raw line breaks), so a piece ends only where a sample record
    /// starts outside any quoted string (which also keeps a metric's `# HELP` and `# TYPE` together). A record
    /// longer than `maxRecordLength` (hostile input: an unterminated quote) is parsed as if the input ended
    /// there, which reports the same error at the same position with a shorter quoted excerpt.
    public func parse<S: ExpositionSink>(reading read: (inout [UInt8]) throws(ExpositionError) -> Bool,
                                         into sink: inout S) throws(ExpositionError) {
        var buffer: [UInt8] = []
        var cuts = PrometheusTextRecordScanner()
        var line = 1
        var more = true
        while more {
            more = try read(&buffer)
            var end: Int
            if more {
                end = cuts.advance(buffer)
                if end == 0 {
                    guard buffer.count > Self.maxRecordLength else { continue }
                    end = cuts.lastRecordEnd > 0 ? cuts.lastRecordEnd : buffer.count
                }
            } else {
                end = buffer.count
            }
            line = try piece(buffer, end, final: !more, line: line, into: &sink)
            buffer.removeFirst(end)
            cuts.shift(by: end)
        }
    }

    /// Longest record `parse(reading:)` waits for before parsing what it has.
    static let maxRecordLength = 64 << 20

    /// Parses `buffer[0..<end]` starting at input line `line`; returns the line after it.
    private func piece<S: ExpositionSink>(_ buffer: [UInt8], _ end: Int, final: Bool, line: Int,
                                          into sink: inout S) throws(ExpositionError) -> Int {
        guard end > 0 else { return line }
        // Like the whole-input parser, treat the input as newline-terminated.
        if final, buffer[end - 1] != 0x0A {
            return try piece(Array(buffer[0..<end]) + [0x0A], end + 1, final: true, line: line, into: &sink)
        }
        let result: Result<Int, ExpositionError> = buffer.withUnsafeBufferPointer { all in
            var state = PromTextState(p: UnsafeBufferPointer(rebasing: all[0..<end]))
            state.s.line = line
            do throws(ExpositionError) {
                try state.run(&sink)
                return .success(state.s.line)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

/// Finds where `PrometheusTextParser.parse(reading:)` may end a piece: the start of a sample record that
/// lies outside every quoted string, following the grammar only as far as quoting goes (the parser proper
/// reports any error). Scans each byte once across reads.
struct PrometheusTextRecordScanner {
    /// Where the next unscanned record starts.
    private var recordStart = 0
    /// The latest safe piece end found (the start of a sample record), 0 if none.
    private var lastCut = 0
    /// The end of the last complete record of any kind (a fallback for comment-only runs).
    private(set) var lastRecordEnd = 0

    /// Scans the records completed in `buffer` since the last call; returns the latest safe piece end (0: none).
    mutating func advance(_ buffer: [UInt8]) -> Int {
        while let end = Self.recordEnd(buffer, from: recordStart) {
            if recordStart > 0, Self.isSampleRecord(buffer, at: recordStart) { lastCut = recordStart }
            lastRecordEnd = end
            recordStart = end
        }
        return lastCut
    }

    /// The buffer lost its first `count` bytes.
    mutating func shift(by count: Int) {
        recordStart = max(0, recordStart - count)
        lastCut = max(0, lastCut - count)
        lastRecordEnd = max(0, lastRecordEnd - count)
    }

    /// Whether the (complete) record at `j` is a sample: its first non-blank byte is neither `#` nor a line break.
    static func isSampleRecord(_ b: [UInt8], at j: Int) -> Bool {
        var k = j
        while k < b.count, b[k] == 0x20 || b[k] == 0x09 { k += 1 }
        return k < b.count && b[k] != 0x23 && b[k] != 0x0A
    }

    /// The index after the line break ending the record that starts at `j`, nil if it has not all arrived.
    static func recordEnd(_ b: [UInt8], from j: Int) -> Int? {
        var k = j
        while k < b.count, b[k] == 0x20 || b[k] == 0x09 { k += 1 }
        guard k < b.count else { return nil }
        if b[k] == 0x23 {
            // `# HELP "name…"` / `# TYPE "name…"`: the quoted name may span lines.
            k += 1
            while k < b.count, b[k] == 0x20 || b[k] == 0x09 { k += 1 }
            if k + 5 <= b.count, b[k + 4] == 0x20 || b[k + 4] == 0x09,
               b[k..<(k + 4)].elementsEqual("HELP".utf8) || b[k..<(k + 4)].elementsEqual("TYPE".utf8) {
                k += 4
                while k < b.count, b[k] == 0x20 || b[k] == 0x09 { k += 1 }
                if k < b.count, b[k] == 0x22 {
                    guard let e = quoteEnd(b, k) else { return nil }
                    k = e
                }
            }
            return lineEnd(b, k)
        }
        // A sample: quoted strings count only inside the first `{…}`.
        while k < b.count, b[k] != 0x7B, b[k] != 0x0A { k += 1 }
        guard k < b.count else { return nil }
        if b[k] == 0x7B {
            k += 1
            while k < b.count, b[k] != 0x7D, b[k] != 0x0A {
                if b[k] == 0x22 {
                    guard let e = quoteEnd(b, k) else { return nil }
                    k = e
                } else {
                    k += 1
                }
            }
        }
        return lineEnd(b, k)
    }

    /// After the closing quote of the string opening at `j` (backslash escapes any byte), nil if not arrived.
    private static func quoteEnd(_ b: [UInt8], _ j: Int) -> Int? {
        var k = j + 1
        while k < b.count {
            if b[k] == 0x22 { return k + 1 }
            k += b[k] == 0x5C ? 2 : 1
        }
        return nil
    }

    /// After the next line break at or after `j`, nil if not arrived.
    private static func lineEnd(_ b: [UInt8], _ j: Int) -> Int? {
        var k = j
        while k < b.count, b[k] != 0x0A { k += 1 }
        return k < b.count ? k + 1 : nil
    }
}
