#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file system calls the linter makes, on POSIX directly (no Foundation).
@usableFromInline
enum FileSystem {
    /// The process's working directory ("/" if it cannot be determined).
    @usableFromInline
    static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) &+ 1)
        let ok = buffer.withUnsafeMutableBufferPointer { getcwd($0.baseAddress, $0.count) != nil }
        guard ok else { return "/" }
        return string(fromCString: buffer)
    }

    /// Whether something exists at `path` (symbolic links followed).
    static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// Whether `path` is a directory (symbolic links followed).
    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether `path` itself (not what it points to) is a directory.
    static func isRealDirectory(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Reads a whole file (devices and pipes included); nil when it cannot be opened or read.
    static func read(_ path: String) -> [UInt8]? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n > 0 { out.append(contentsOf: buffer[0..<n]) }
            if n < buffer.count {
                if ferror(f) != 0 { return nil }
                break
            }
        }
        return out
    }

    /// Names in a directory (without `.` and `..`), unsorted; empty when it cannot be read.
    static func contents(ofDirectory path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> String in
                let bytes = raw.bindMemory(to: UInt8.self)
                let length = bytes.firstIndex(of: 0) ?? bytes.count
                return String(decoding: bytes[0..<length], as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        return names
    }

    /// The target text of the symbolic link at `path`, nil when it is not one.
    static func symbolicLinkDestination(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) &+ 1)
        let n = buffer.withUnsafeMutableBufferPointer { buf -> Int in
            guard let base = buf.baseAddress else { return -1 }
            return readlink(path, base, buf.count &- 1)
        }
        guard n >= 0, n < buffer.count else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `realpath(3)` of `path` (relative paths against the process's working directory); nil on failure.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The home directory of `user` (the current user's when nil: `$HOME`, else the password database).
    static func homeDirectory(user: String?) -> String? {
        var home: String?
        if user == nil, let h = getenv("HOME"), h.pointee != 0 {
            home = String(cString: h)
        } else {
            let entry = user.map { getpwnam($0) } ?? getpwuid(getuid())
            if let entry, let dir = entry.pointee.pw_dir { home = String(cString: dir) }
        }
        guard var h = home else { return nil }
        while h.count > 1, h.hasSuffix("/") { h.removeLast() }
        return h
    }

    private static func string(fromCString buffer: [CChar]) -> String {
        let length = buffer.firstIndex(of: 0) ?? buffer.count
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
