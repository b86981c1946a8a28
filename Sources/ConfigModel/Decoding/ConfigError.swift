/// An error found while loading a config or rule file: the message exactly as Prometheus words it, and
/// the position of the node it is about (nil only when no single node is to blame).
public struct ConfigError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String
    public var mark: Mark?
    /// The file the mark is in, when it is not the file being checked (an SD or scrape-config file).
    public var file: String?

    public init(_ message: String, at mark: Mark? = nil, file: String? = nil) {
        self.message = message
        self.mark = mark
        self.file = file
    }

    public var description: String { message }

    /// The same error with `prefix` put before its message (Prometheus wraps errors as it returns them).
    public func prefixed(_ prefix: String) -> ConfigError { ConfigError(prefix + message, at: mark, file: file) }
}
