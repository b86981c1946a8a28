/// A request that got no HTTP response: refused, timed out, TLS, DNS, or a bad setting. `message` reads
/// like Go's `*url.Error` (`Post "http://host/api/v1/query": dial tcp host:9090: connect: connection
/// refused`) so promtool's messages come out the same; it never contains a credential.
public struct TransportError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        case timeout, connection, tls, configuration, other
        /// The body is larger than the transport's `maxBodyBytes` (the scraper's `body_size_limit`).
        case bodyTooLarge
    }

    public var message: String
    public var kind: Kind

    public init(_ message: String, kind: Kind = .configuration) {
        self.message = message
        self.kind = kind
    }

    public var description: String { message }
}
