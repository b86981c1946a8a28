#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Go's texts for `errno` values (`syscall.Errno.Error()`), so file errors read as Prometheus prints them
/// (`open F: no such file or directory`).
public enum GoErrno {
    /// The text of `code`: Go's own wording for the common values, else the C library's with Go's lower-case start.
    public static func text(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file or directory"
        case EACCES: return "permission denied"
        case EISDIR: return "is a directory"
        case ENOTDIR: return "not a directory"
        case ELOOP: return "too many levels of symbolic links"
        case ENAMETOOLONG: return "file name too long"
        case EMFILE: return "too many open files"
        default:
            guard let s = strerror(code) else { return "errno \(code)" }
            let text = String(cString: s)
            return text.prefix(1).lowercased() + text.dropFirst()
        }
    }
}
