#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import GoCompat

/// Go's `syscall.Errno` texts (zerrors_linux_*.go), the ones Prometheus's file errors show.
@Suite struct GoErrnoTests {
    @Test func commonTexts() {
        #expect(GoErrno.text(ENOENT) == "no such file or directory")
        #expect(GoErrno.text(EACCES) == "permission denied")
        #expect(GoErrno.text(EISDIR) == "is a directory")
        #expect(GoErrno.text(ENOTDIR) == "not a directory")
        #expect(GoErrno.text(ELOOP) == "too many levels of symbolic links")
        #expect(GoErrno.text(ENAMETOOLONG) == "file name too long")
    }

    /// Other values take the C library's text with Go's lower-case first letter.
    @Test func otherTextsStartLowerCase() {
        #expect(GoErrno.text(EIO) == "input/output error")
        #expect(GoErrno.text(ENOSPC) == "no space left on device")
    }
}
