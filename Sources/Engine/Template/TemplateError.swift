/// An error from parsing or executing a Go text/template; `description` is Go's exact error text.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Whether the error arose while parsing or while executing.
    public enum Phase: Sendable, Equatable {
        /// A parse error (`template: NAME:LINE: ...`).
        case parse
        /// An execution error (`template: NAME:LINE:COL: executing "NAME" at <...>: ...`).
        case execution
    }

    /// The phase the error arose in.
    public let phase: Phase
    /// The Go error text.
    public let message: String
    /// 1-based line in the template text the error refers to, when known.
    public let line: Int?
    /// 0-based byte column within `line` (execution errors only), as Go reports it.
    public let column: Int?

    /// Creates an error with the given phase and Go text.
    public init(phase: Phase, message: String, line: Int? = nil, column: Int? = nil) {
        self.phase = phase
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String { message }
}
