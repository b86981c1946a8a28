#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GoCompat

/// File access with Go's error texts (`open F: no such file or directory`), as Prometheus reports them.
public enum FileSystem {
    /// The whole file (`os.ReadFile`), or `open F: …` / `read F: is a directory`.
    public static func readFile(_ path: String) -> Result<[UInt8], ConfigError> {
        let fd = open(path, O_RDONLY)
        if fd < 0 { return .failure(ConfigError("open \(path): \(GoErrno.text(errno))")) }
        defer { close(fd) }
        switch readToEnd(fd) {
        case .bytes(let out): return .success(out)
        case .failed(let code): return .failure(ConfigError("read \(path): \(GoErrno.text(code))"))
        case .exceeded: return .failure(ConfigError("read \(path): \(GoErrno.text(EFBIG))"))
        }
    }

    /// What `readToEnd` got.
    public enum ReadOutcome: Sendable {
        case bytes([UInt8])
        /// A read failed with this errno.
        case failed(Int32)
        /// There was more than the limit.
        case exceeded
    }

    /// Everything left in the open file `fd`, keeping at most `limit` bytes (callers reading paths taken
    /// from untrusted files bound it: such a path may be `/dev/zero`).
    public static func readToEnd(_ fd: Int32, limit: Int = .max) -> ReadOutcome {
        var out: [UInt8] = []
        // Sized up front as Go's os.ReadFile does: no doubling (and twice the memory) for large files.
        var st = stat()
        if fstat(fd, &st) == 0, st.st_size > 0, st.st_size < Int.max / 2 { out.reserveCapacity(Int(st.st_size) + 1) }
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failed(errno)
            }
            if n == 0 { return .bytes(out) }
            guard n <= limit - out.count else { return .exceeded }
            out.append(contentsOf: buf[0..<n])
        }
    }

    /// The whole file, or nil when it cannot be opened or read (for callers that report that themselves).
    public static func contents(ofFile path: String) -> [UInt8]? {
        guard case .success(let bytes) = readFile(path) else { return nil }
        return bytes
    }

    /// Whether something exists at `path` (symbolic links followed).
    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// Whether `path` itself (not what it points to) is a directory.
    public static func isRealDirectory(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Names in a directory (without `.` and `..`), unsorted; empty when it cannot be read.
    public static func contents(ofDirectory path: String) -> [String] {
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
    public static func symbolicLinkDestination(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) &+ 1)
        let n = buffer.withUnsafeMutableBufferPointer { buf -> Int in
            guard let base = buf.baseAddress else { return -1 }
            return readlink(path, base, buf.count &- 1)
        }
        guard n >= 0, n < buffer.count else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `realpath(3)` of `path` (relative paths against the process's working directory); nil on failure.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The home directory of `user` (the current user's when nil: `$HOME`, else the password database).
    public static func homeDirectory(user: String?) -> String? {
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

    /// `os.Stat`: nil when the path exists, else `stat F: …`.
    public static func statError(_ path: String) -> String? {
        var st = stat()
        if stat(path, &st) == 0 { return nil }
        return "stat \(path): \(GoErrno.text(errno))"
    }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0 else { return false }
        return (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// The process's working directory.
    public static func currentDirectory() -> String {
        var buf = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buf, buf.count) != nil else { return "." }
        let bytes = buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `filepath.Abs`.
    public static func absolute(_ path: String) -> String {
        FilePath.isAbsolute(path) ? FilePath.clean(path) : FilePath.join(currentDirectory(), path)
    }

    /// Go's `filepath.Glob`: the sorted matches of `pattern` (`*`, `?`, `[...]` per path element; no `**`),
    /// or `syntax error in pattern`. A pattern without metacharacters matches itself when it exists.
    public static func glob(_ pattern: String) -> Result<[String], ConfigError> {
        guard hasMeta(pattern) else {
            return .success(statError(pattern) == nil ? [pattern] : [])
        }
        // Validate every element first, as Go reports a bad pattern even without matches.
        for element in pattern.split(separator: "/", omittingEmptySubsequences: false) where hasMeta(String(element)) {
            if GlobMatcher(pattern: String(element)) == nil { return .failure(ConfigError("syntax error in pattern")) }
        }
        var dir = FilePath.dir(pattern)
        let file = FilePath.base(pattern)
        if pattern.hasSuffix("/") { return .success([]) }
        var dirs: [String]
        if hasMeta(dir) {
            if dir == pattern { return .failure(ConfigError("syntax error in pattern")) }
            switch glob(dir) {
            case .success(let d): dirs = d
            case .failure(let e): return .failure(e)
            }
        } else {
            if !pattern.contains("/") { dir = "." }
            dirs = [dir]
        }
        guard let matcher = GlobMatcher(pattern: file) else { return .failure(ConfigError("syntax error in pattern")) }
        var out: [String] = []
        for d in dirs {
            guard isDirectory(d) else { continue }
            var names: [String] = []
            guard let dp = opendir(d) else { continue }
            while let entry = readdir(dp) {
                let name = withUnsafePointer(to: entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                if name == "." || name == ".." { continue }
                names.append(name)
            }
            closedir(dp)
            names.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for name in names where matcher.matches(name) {
                out.append(pattern.contains("/") ? (d == "/" ? "/" + name : FilePath.join(d, name)) : name)
            }
        }
        return .success(out)
    }

    static func hasMeta(_ s: String) -> Bool { s.contains(where: { "*?[\\".contains($0) }) }
}

/// Go's `path/filepath.Match` for one path element.
struct GlobMatcher {
    enum Token { case star, any, literal(Character), set([(Character, Character)], negated: Bool) }
    let tokens: [Token]

    init?(pattern: String) {
        var toks: [Token] = []
        var chars = Array(pattern)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "*": toks.append(.star); i += 1
            case "?": toks.append(.any); i += 1
            case "\\":
                guard i + 1 < chars.count else { return nil }
                toks.append(.literal(chars[i + 1])); i += 2
            case "[":
                i += 1
                var negated = false
                if i < chars.count, chars[i] == "^" { negated = true; i += 1 }
                var ranges: [(Character, Character)] = []
                var first = true
                while true {
                    guard i < chars.count else { return nil }
                    if chars[i] == "]" && !first { i += 1; break }
                    first = false
                    func readChar() -> Character? {
                        guard i < chars.count else { return nil }
                        if chars[i] == "\\" {
                            i += 1
                            guard i < chars.count else { return nil }
                        } else if chars[i] == "-" || chars[i] == "]" {
                            return nil // Go's getEsc: an unescaped '-' or ']' here is a bad pattern
                        }
                        let ch = chars[i]
                        i += 1
                        return ch
                    }
                    guard let lo = readChar() else { return nil }
                    var hi = lo
                    if i < chars.count, chars[i] == "-" {
                        i += 1
                        guard let h = readChar() else { return nil }
                        hi = h
                    }
                    ranges.append((lo, hi))
                }
                toks.append(.set(ranges, negated: negated))
            default:
                toks.append(.literal(c)); i += 1
            }
        }
        chars = []
        tokens = toks
    }

    func matches(_ name: String) -> Bool {
        let s = Array(name)
        // Iterative wildcard matching with backtracking over the last star; `*` and `?` never match `/`.
        var ti = 0, si = 0
        var starTi = -1, starSi = 0
        while si < s.count {
            if ti < tokens.count {
                switch tokens[ti] {
                case .star:
                    starTi = ti; starSi = si; ti += 1
                    continue
                case .any where s[si] != "/":
                    ti += 1; si += 1
                    continue
                case .literal(let c) where c == s[si]:
                    ti += 1; si += 1
                    continue
                case .set(let ranges, let negated) where s[si] != "/":
                    let inSet = ranges.contains { $0.0 <= s[si] && s[si] <= $0.1 }
                    if inSet != negated { ti += 1; si += 1; continue }
                default: break
                }
            }
            if starTi >= 0 && s[starSi] != "/" {
                starSi += 1
                si = starSi
                ti = starTi + 1
                continue
            }
            return false
        }
        while ti < tokens.count, case .star = tokens[ti] { ti += 1 }
        return ti == tokens.count
    }
}
