#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GoCompat

/// A file mapped read-only into memory, so reading a block of a multi-gigabyte data directory costs address space,
/// not RAM. Opened `O_RDONLY` and mapped `PROT_READ`/`MAP_PRIVATE`: nothing is ever written, no lock is taken, so it
/// is safe while a Prometheus runs on the same directory. An empty file maps to an empty buffer.
public final class MappedFile: Sendable {
    public let path: String
    /// Size in bytes at the time it was opened.
    public let count: Int
    // The address of the mapping; immutable after init, unmapped in deinit.
    nonisolated(unsafe) private let base: UnsafeMutableRawPointer?

    /// Maps `path`, or throws `open F: …` as Go words it.
    public init(path: String) throws(MappedFileError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw MappedFileError(message: "open \(path): \(GoErrno.text(errno))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw MappedFileError(message: "stat \(path): \(GoErrno.text(errno))") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw MappedFileError(message: "\(path): not a regular file") }
        let size = Int(st.st_size)
        count = size
        if size == 0 {
            base = nil
            return
        }
        let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else { throw MappedFileError(message: "mmap \(path): \(GoErrno.text(errno))") }
        base = p
    }

    deinit {
        if let base { munmap(base, count) }
    }

    /// Calls `body` with the file's bytes; the buffer must not escape it.
    public func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: base.map { UnsafeRawPointer($0) }, count: base == nil ? 0 : count))
    }
}

/// Why a file could not be mapped, in Go's words.
public struct MappedFileError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
