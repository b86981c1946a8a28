#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GoCompat

/// The directory operations a block writer needs (no Foundation): create, sync, rename into place, remove.
enum BlockDirectory {
    /// Creates `path` and any missing parents (`mkdir -p`, mode 0777 before the umask).
    static func makeDirectory(_ path: String) throws(BlockWriteError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += part
            if mkdir(prefix, 0o777) != 0 && errno != EEXIST { throw .system("mkdir", prefix) }
            prefix += "/"
        }
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { throw .system("mkdir", path) }
    }

    /// fsyncs a directory, so the names in it survive a crash.
    static func sync(_ path: String) throws(BlockWriteError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .system("open", path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .system("sync", path) }
    }

    /// Renames `from` to `to` (replacing an empty or absent `to`) and syncs the parent directory.
    static func replace(_ from: String, with to: String, parent: String) throws(BlockWriteError) {
        guard rename(from, to) == 0 else { throw BlockWriteError("rename \(from) \(to): \(GoErrno.text(errno))") }
        try sync(parent)
    }

    /// Removes `path` and everything under it; a missing path is not an error.
    static func removeAll(_ path: String) {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            if let dir = opendir(path) {
                var names: [String] = []
                while let e = readdir(dir) {
                    let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                    }
                    if name != "." && name != ".." { names.append(name) }
                }
                closedir(dir)
                for n in names { removeAll(path + "/" + n) }
            }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    /// The size of a regular file, or 0.
    static func fileSize(_ path: String) -> Int {
        var st = stat()
        guard stat(path, &st) == 0 else { return 0 }
        return Int(st.st_size)
    }
}
