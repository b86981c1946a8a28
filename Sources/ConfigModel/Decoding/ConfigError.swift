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

extension ConfigError {
    /// The message followed by `\n  at FILE:LINE:COL` when the error has a position, as `check config`
    /// prints it; `defaultFile` is the file being checked (used when the error names no other file).
    public func positionedDescription(defaultFile: String) -> String {
        guard let mark, mark.line > 0 else { return message }
        return "\(message)\n  at \(file ?? defaultFile):\(mark.line):\(mark.column)"
    }
}
