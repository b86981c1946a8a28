import ConfigModel

/// Path helpers (POSIX `/` paths), without Foundation. `standardizing`, `resolvingSymlinks`,
/// `deletingLastComponent` and `appending` give the results Foundation's `NSString` path methods give on
/// Linux (which the linter used before), so keys and displayed paths stay the same.
enum Paths {
    static func absolute(_ p: String, cwd: String) -> String {
        let joined = p.hasPrefix("/") ? p : join(cwd, p)
        return standardizing(joined)
    }

    static func canonical(_ p: String) -> String {
        resolvingSymlinks(p)
    }

    static func join(_ a: String, _ b: String) -> String {
        if a.isEmpty || a == "." { return b }
        if a.hasSuffix("/") { return a + b }
        return a + "/" + b
    }

    /// `p` relative to `base` when inside it, else nil.
    static func relative(_ p: String, to base: String) -> String? {
        let b = canonical(standardizing(base))
        let c = canonical(p)
        if c == b { return "" }
        let prefix = b.hasSuffix("/") ? b : b + "/"
        guard c.hasPrefix(prefix) else { return nil }
        return String(c.dropFirst(prefix.count))
    }

    /// `p` for display: relative to `cwd` (with `..` where needed) when they share a parent, else absolute.
    static func display(_ p: String, cwd: String) -> String {
        if let r = relative(p, to: cwd) { return r }
        let a = canonical(p).split(separator: "/")
        let b = canonical(standardizing(cwd)).split(separator: "/")
        var i = 0
        while i < a.count, i < b.count, a[i] == b[i] { i += 1 }
        guard i > 0 else { return p }
        let ups = Array(repeating: "..", count: b.count - i)
        return (ups + a[i...].map(String.init)).joined(separator: "/")
    }

    /// The lint configuration at the nearest ancestor holding `.git` (or the file found on the way up).
    static func findLintConfiguration(from dir: String) -> String? {
        var d = standardizing(dir)
        for _ in 0..<256 {
            for name in LintConfiguration.fileNames {
                let candidate = join(d, name)
                if FileSystem.exists(candidate) { return candidate }
            }
            if FileSystem.exists(join(d, ".git")) { return nil }
            let parent = deletingLastComponent(d)
            if parent == d || parent.isEmpty { return nil }
            d = parent
        }
        return nil
    }

    // MARK: - Path algebra

    /// Runs of `/` collapsed to one, and one trailing `/` removed (`/` itself is kept; `//` becomes empty).
    static func fixingSlashes(_ p: String) -> String {
        if p == "/" { return p }
        var out: [UInt8] = []
        out.reserveCapacity(p.utf8.count)
        for b in p.utf8 where !(b == 0x2F && out.last == 0x2F) { out.append(b) }
        if out.last == 0x2F { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    /// The path without its last component: `a/b` → `a`, `/a` → `/`, `a` → ``, `/` → `/`.
    static func deletingLastComponent(_ p: String) -> String {
        let fixed = fixingSlashes(p)
        if fixed == "/" || fixed.isEmpty { return fixed }
        let bytes = Array(fixed.utf8)
        guard let slash = bytes.lastIndex(of: 0x2F) else { return "" }
        if slash == 0 { return "/" }
        return String(decoding: bytes[0..<slash], as: UTF8.self)
    }

    /// `b` appended as a path component (no separator added after a trailing `/`; empty parts vanish).
    static func appending(_ a: String, _ b: String) -> String {
        if b.isEmpty { return a }
        if a.isEmpty { return b }
        if a.hasSuffix("/") { return a + b }
        return a + "/" + b
    }

    /// Components: a leading `/` is one, the names between separators, and a trailing `/` one more.
    static func components(_ p: String) -> [String] {
        var out: [String] = []
        let bytes = Array(p.utf8)
        guard !bytes.isEmpty else { return out }
        if bytes[0] == 0x2F { out.append("/") }
        var i = 0
        while i < bytes.count {
            while i < bytes.count, bytes[i] == 0x2F { i += 1 }
            if i == bytes.count { break }
            var j = i
            while j < bytes.count, bytes[j] != 0x2F { j += 1 }
            out.append(String(decoding: bytes[i..<j], as: UTF8.self))
            i = j
        }
        if bytes.count > 1, bytes[bytes.count - 1] == 0x2F { out.append("/") }
        return out
    }

    /// A leading `~` or `~user` replaced by that home directory.
    static func expandingTilde(_ p: String) -> String {
        guard p.hasPrefix("~") else { return p }
        let bytes = Array(p.utf8)
        let end = bytes.firstIndex(of: 0x2F) ?? bytes.count
        let user = String(decoding: bytes[1..<end], as: UTF8.self)
        var result = p
        if let home = FileSystem.homeDirectory(user: user.isEmpty ? nil : user) {
            result = home + String(decoding: bytes[end...], as: UTF8.self)
        }
        if result.utf8.count > 1, result.hasSuffix("/") { result.removeLast() }
        return result
    }

    /// Tilde expanded, `.` and (in absolute paths) `..` removed, symbolic links resolved.
    static func standardizing(_ p: String) -> String {
        let resolved = resolvingSymlinks(expandingTilde(p))
        return removingPrefix("/var/automount", from: resolved) ?? resolved
    }

    /// Walks the components, dropping `.` and empty ones, applying `..` to what was resolved so far in
    /// absolute paths, and replacing each prefix that is a symbolic link with the link's target as
    /// `realpath` gives it (a relative target resolved against the process's working directory, as
    /// Foundation does; a target that does not resolve leaves the link as is).
    static func resolvingSymlinks(_ p: String) -> String {
        var parts = components(p)
        guard !parts.isEmpty else { return p }
        if parts.count > 1, parts.last == "/" { parts.removeLast() }
        let isAbsolute = p.hasPrefix("/") || p.hasPrefix("~")
        var resolved = parts.removeFirst()
        for part in parts {
            switch part {
            case "", ".":
                continue
            case ".." where isAbsolute:
                resolved = deletingLastComponent(resolved)
            default:
                resolved = appending(resolved, part)
                if let target = FileSystem.symbolicLinkDestination(resolved), let real = FileSystem.realPath(target) {
                    resolved = real
                }
            }
        }
        return removingPrefix("/private", from: resolved) ?? resolved
    }

    /// `p` without `prefix` when that names an existing file, else nil.
    private static func removingPrefix(_ prefix: String, from p: String) -> String? {
        guard p != prefix else { return nil }
        let rest = p.hasPrefix(prefix) ? String(p.dropFirst(prefix.count)) : p
        return FileSystem.exists(rest) ? rest : nil
    }
}
