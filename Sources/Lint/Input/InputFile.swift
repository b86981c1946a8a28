import ConfigModel
import GoCompat
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bounded reading of the files a lint run opens. Paths come from the command line, and also from the
/// files being linted (`rule_files`, `metric_metadata`, a walked tree), so a hostile file can name
/// `/dev/zero` or a FIFO: only regular files are opened unless the user named the path, and no file is
/// read beyond `maximumSize`, so the run ends with a finding instead of exhausting memory or blocking.
enum InputFile {
    /// 64 MiB: far above any real configuration, rule file or metadata dump.
    static let maximumSize = 64 << 20

    /// Why a file was not read, worded for "cannot read `path` (…)".
    enum Failure: Error, Equatable {
        /// `open`/`read` failed (Go's wording of the errno).
        case unreadable(String)
        /// A device, FIFO or socket named by a file rather than by the user.
        case notRegularFile
        case tooLarge

        var reason: String {
            switch self {
            case .unreadable(let why): return why
            case .notRegularFile: return "not a regular file"
            case .tooLarge: return "larger than \(InputFile.maximumSize >> 20) MiB"
            }
        }
    }

    /// The bytes of the file at `path`.
    /// - Parameter namedByUser: true for a path given on the command line, which may be any readable
    ///   file (a process substitution's pipe, say); paths found in files must be regular files.
    static func load(_ path: String, namedByUser: Bool = false) -> Result<[UInt8], Failure> {
        var st = stat()
        guard stat(path, &st) == 0 else { return .failure(.unreadable(GoErrno.text(errno))) }
        let regular = (st.st_mode & S_IFMT) == S_IFREG
        if !regular && !namedByUser { return .failure(.notRegularFile) }
        if regular && st.st_size > maximumSize { return .failure(.tooLarge) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(.unreadable(GoErrno.text(errno))) }
        defer { close(fd) }
        // The file may grow after `stat`, and a named device has no size: bound what is kept.
        switch FileSystem.readToEnd(fd, limit: maximumSize) {
        case .bytes(let out): return .success(out)
        case .failed(let code): return .failure(.unreadable(GoErrno.text(code)))
        case .exceeded: return .failure(.tooLarge)
        }
    }
}
