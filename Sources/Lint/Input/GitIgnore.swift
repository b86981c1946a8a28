import ConfigModel

/// The `.gitignore` rules that apply while walking a directory: those of the repository root down to
/// the walked directory, and those found inside it. Enough of git's semantics for skipping build output
/// and generated files: `#` comments, `!` negation (the last matching rule wins), a trailing `/` for
/// directories only, patterns without an inner `/` matching at any depth, others anchored to the
/// `.gitignore`'s directory, and `*`, `?`, `[…]`, `**` globs.
struct GitIgnore {
    struct Rule {
        /// Absolute directory of the `.gitignore` the rule comes from.
        var base: String
        var glob: GlobPattern
        var negated: Bool
        var directoryOnly: Bool
    }

    private(set) var rules: [Rule] = []

    /// The rules of `.gitignore` files from the repository root (the nearest ancestor holding `.git`)
    /// down to `directory`.
    init(forWalking directory: String) {
        var dirs: [String] = []
        var d = directory
        for _ in 0..<256 {
            dirs.append(d)
            if FileSystem.exists(Paths.join(d, ".git")) { break }
            let parent = Paths.deletingLastComponent(d)
            if parent == d || parent.isEmpty {
                // No repository: only the walked directory's own file applies.
                dirs = [directory]
                break
            }
            d = parent
        }
        for dir in dirs.reversed() { add(directory: dir) }
    }

    /// Adds the rules of `dir/.gitignore`, if there is one.
    mutating func add(directory dir: String) {
        guard case .success(let data) = InputFile.load(Paths.join(dir, ".gitignore")) else { return }
        for raw in String(decoding: data, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            var line = Substring(raw)
            while let last = line.last, last == " " || last == "\t" { line = line.dropLast() }
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            var negated = false
            if line.hasPrefix("!") {
                negated = true
                line = line.dropFirst()
            }
            if line.hasPrefix("\\") { line = line.dropFirst() }
            var directoryOnly = false
            if line.hasSuffix("/") {
                directoryOnly = true
                line = line.dropLast()
            }
            guard !line.isEmpty else { continue }
            rules.append(Rule(base: dir, glob: GlobPattern(String(line)), negated: negated, directoryOnly: directoryOnly))
        }
    }

    /// Whether the file or directory at absolute path `path` is ignored.
    func ignores(_ path: String, isDirectory: Bool) -> Bool {
        var ignored = false
        for r in rules where !r.directoryOnly || isDirectory {
            let prefix = r.base.hasSuffix("/") ? r.base : r.base + "/"
            guard path.hasPrefix(prefix) else { continue }
            if r.glob.matches(String(path.dropFirst(prefix.count))) { ignored = !r.negated }
        }
        return ignored
    }
}
