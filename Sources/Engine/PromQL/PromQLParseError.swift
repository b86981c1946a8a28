/// One PromQL parse error: byte range, message and the `line:col` Prometheus prints.
public struct PromQLParseErrorItem: Sendable, Hashable, CustomStringConvertible {
    public var position: PositionRange
    public var message: String
    /// 1-based line of `position.start` (0 when the query is empty or the position is invalid).
    public var line: Int
    /// 1-based byte column of `position.start` (0 when unknown).
    public var column: Int

    /// `line:col` as Prometheus's `StartPosInput` prints it.
    public func positionText(lineOffset: Int = 0) -> String {
        if line == 0 && column == 0 { return "unknown position" }
        if line < 0 { return "invalid position" }
        return "\(line + lineOffset):\(column)"
    }

    /// `1:22: parse error: unclosed left parenthesis`.
    public var description: String { "\(positionText()): parse error: \(message)" }

    /// The description with lines shifted (as promtool does for expressions inside rule files).
    public func description(lineOffset: Int) -> String { "\(positionText(lineOffset: lineOffset)): parse error: \(message)" }

    init(position: PositionRange, message: String, input: [UInt8]) {
        self.position = position
        self.message = message
        if input.isEmpty {
            line = 0
            column = 0
            return
        }
        let pos = position.start
        guard pos >= 0 && pos <= input.count else {
            line = -1
            column = -1
            return
        }
        var l = 1
        var lastBreak = -1
        var i = 0
        while i < pos {
            if input[i] == 0x0A {
                lastBreak = i
                l += 1
            }
            i += 1
        }
        line = l
        column = pos - lastBreak
    }
}

/// The errors of a failed parse, in the order Prometheus reports them; `description` is the first one,
/// formatted as Prometheus's `ParseErrors.Error()`.
public struct PromQLParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// All errors found (at least one).
    public var errors: [PromQLParseErrorItem]

    /// Position of the first error.
    public var position: PositionRange { errors.first?.position ?? PositionRange(start: 0, end: 0) }
    /// Message of the first error.
    public var message: String { errors.first?.message ?? "error contains no error message" }

    public var description: String { errors.first?.description ?? "error contains no error message" }

    /// The first error with its line shifted by `lineOffset`.
    public func description(lineOffset: Int) -> String {
        errors.first?.description(lineOffset: lineOffset) ?? "error contains no error message"
    }
}
