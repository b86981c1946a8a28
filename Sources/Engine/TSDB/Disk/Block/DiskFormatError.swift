/// A block file that cannot be read as Prometheus's format: missing, truncated, a bad magic number or checksum,
/// an out-of-range reference. Names the file and the byte offset so an operator can see where a copy is damaged.
public struct DiskFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    /// Byte offset inside `path`, when the error is at a position.
    public var offset: Int?
    public var reason: String

    public init(path: String, offset: Int?, reason: String) {
        self.path = path
        self.offset = offset
        self.reason = reason
    }

    public var description: String {
        if let offset { return "\(path): \(reason) at offset \(offset)" }
        return "\(path): \(reason)"
    }

    /// A `ByteReader` error inside a section that starts at `base` of `path`.
    init(path: String, base: Int, _ e: ByteReader.Error) {
        self.init(path: path, offset: base &+ e.offset, reason: e.reason)
    }
}
