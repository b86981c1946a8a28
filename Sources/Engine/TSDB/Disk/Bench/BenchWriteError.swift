/// Why `tsdb bench write` stopped: a file that cannot be read or written (Go's wording, naming the file), or an
/// input line it cannot use (`file:line: …`).
public struct BenchWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
