#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GoCompat

/// A failure writing a block: the operation, the file and the system's reason, worded as Go's `os` errors
/// (`open F: permission denied`), so a user can act on it.
public struct BlockWriteError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    static func system(_ op: String, _ path: String) -> BlockWriteError {
        BlockWriteError("\(op) \(path): \(GoErrno.text(errno))")
    }
}

/// A new file written through a buffer, counting its position (the TSDB writers address sections by offset):
/// `write` appends, `patch` overwrites bytes already written (a section's length once it is known), `finish`
/// flushes, fsyncs and closes.
struct OutputFile {
    let path: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    /// Bytes written so far (buffered or not).
    private(set) var position: Int = 0
    private static let bufferSize = 1 << 20

    init(path: String) throws(BlockWriteError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw .system("open", path) }
        buffer.reserveCapacity(Self.bufferSize)
    }

    mutating func write(_ bytes: some Collection<UInt8>) throws(BlockWriteError) {
        buffer.append(contentsOf: bytes)
        position += bytes.count
        if buffer.count >= Self.bufferSize { try flush() }
    }

    /// Zero bytes up to the next multiple of `alignment`.
    mutating func pad(to alignment: Int) throws(BlockWriteError) {
        let rest = position % alignment
        if rest != 0 { try write([UInt8](repeating: 0, count: alignment - rest)) }
    }

    /// Overwrites `bytes` at `offset` (which must already be written).
    mutating func patch(_ bytes: [UInt8], at offset: Int) throws(BlockWriteError) {
        try flush()
        let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(offset)) }
        guard n == bytes.count else { throw .system("write", path) }
    }

    mutating func flush() throws(BlockWriteError) {
        var done = 0
        while done < buffer.count {
            let n = buffer.withUnsafeBytes { raw -> Int in
                write_(fd, raw.baseAddress.map { $0 + done }, raw.count - done)
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw .system("write", path) }
            done += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs and closes the file.
    mutating func finish() throws(BlockWriteError) {
        try flush()
        guard fsync(fd) == 0 else { throw .system("sync", path) }
        let fd = self.fd
        self.fd = -1
        guard close(fd) == 0 else { throw .system("close", path) }
    }

    /// Closes without syncing (after a failure; the temporary block directory is removed anyway).
    mutating func abandon() {
        if fd >= 0 { close(fd) }
        fd = -1
    }

    /// Writes `bytes` as the whole content of a new file at `path`, synced.
    static func create(_ path: String, contents bytes: [UInt8]) throws(BlockWriteError) {
        var f = try OutputFile(path: path)
        do {
            try f.write(bytes)
            try f.finish()
        } catch {
            f.abandon()
            throw error
        }
    }
}

/// `write(2)` under a name that does not clash with `OutputFile.write`.
private func write_(_ fd: Int32, _ p: UnsafeRawPointer?, _ n: Int) -> Int {
    write(fd, p, n)
}
