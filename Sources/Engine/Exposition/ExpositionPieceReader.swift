#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GoCompat

/// Reads an open file a piece at a time for the parsers' `parse(reading:)`, so a large exposition file is
/// never in memory whole: `next` appends up to `pieceLength` more bytes to the parser's buffer and says
/// whether there may be more. A read error becomes an `ExpositionError` naming the file (Go's errno text).
public struct ExpositionPieceReader {
    /// Bytes read at a time by default: large enough that a read is not per line, small enough to stay cheap.
    public static let defaultPieceLength = 4 << 20

    private let fd: Int32
    private let path: String
    private var piece: [UInt8]

    /// A reader of `fd` (opened and closed by the caller); `path` names the file in errors.
    public init(fd: Int32, path: String, pieceLength: Int = Self.defaultPieceLength) {
        self.fd = fd
        self.path = path
        piece = [UInt8](repeating: 0, count: max(1, pieceLength))
    }

    /// Appends the next piece of the file to `buffer`; false at the end of the file.
    public mutating func next(_ buffer: inout [UInt8]) throws(ExpositionError) -> Bool {
        while true {
            let n = piece.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw ExpositionError(line: 0, column: 0, message: "read \(path): \(GoErrno.text(errno))") }
            buffer.append(contentsOf: piece[0..<n])
            return n > 0
        }
    }
}
