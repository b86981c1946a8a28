/// A failure of a query command, with the text promtool prints for it (after `query error: ` for API
/// errors). Never contains a credential: transport errors redact URLs, API errors quote the server.
public struct QueryError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
