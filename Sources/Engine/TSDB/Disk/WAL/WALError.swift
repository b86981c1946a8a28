/// A WAL, checkpoint or `chunks_head/` file that cannot be read: which file, at which byte offset, and why, in
/// the shape of Prometheus's `CorruptionErr` ("corruption in segment … at …"), so a user can find the bad bytes.
public struct WALError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file (segment, checkpoint segment or head chunk file) or directory concerned.
    public var file: String
    /// Byte offset inside `file` where the problem starts; nil when it is not about a position (a missing file).
    public var offset: Int?
    /// What is wrong.
    public var message: String

    public init(file: String, offset: Int?, message: String) {
        self.file = file
        self.offset = offset
        self.message = message
    }

    public var description: String {
        if let offset { return "corruption in segment \(file) at \(offset): \(message)" }
        return "\(file): \(message)"
    }
}
