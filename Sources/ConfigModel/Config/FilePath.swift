/// Go's `path/filepath` helpers for Unix paths, as Prometheus uses them on config file paths.
public enum FilePath {
    /// `filepath.Clean`: the shortest equivalent path (`.` for empty).
    public static func clean(_ path: String) -> String {
        if path.isEmpty { return "." }
        let rooted = path.hasPrefix("/")
        var parts: [Substring] = []
        for comp in path.split(separator: "/", omittingEmptySubsequences: true) {
            if comp == "." { continue }
            if comp == ".." {
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !rooted {
                    parts.append(comp)
                }
                continue
            }
            parts.append(comp)
        }
        let joined = parts.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// `filepath.Join`: the non-empty elements joined with `/` and cleaned (empty when all are empty).
    public static func join(_ elements: String...) -> String {
        let nonEmpty = elements.filter { !$0.isEmpty }
        if nonEmpty.isEmpty { return "" }
        return clean(nonEmpty.joined(separator: "/"))
    }

    /// `filepath.Dir`: everything but the last element, cleaned.
    public static func dir(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return clean(String(path[...slash]))
    }

    /// `filepath.Base`.
    public static func base(_ path: String) -> String {
        if path.isEmpty { return "." }
        var p = Substring(path)
        while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
        if p == "/" { return "/" }
        if let slash = p.lastIndex(of: "/") { return String(p[p.index(after: slash)...]) }
        return String(p)
    }

    /// `filepath.Ext`: the suffix from the last dot of the last element, empty when none.
    public static func ext(_ path: String) -> String {
        var i = path.endIndex
        while i > path.startIndex {
            let j = path.index(before: i)
            let c = path[j]
            if c == "/" { break }
            if c == "." { return String(path[j...]) }
            i = j
        }
        return ""
    }

    public static func isAbsolute(_ path: String) -> Bool { path.hasPrefix("/") }

    /// Prometheus's `config.JoinDir`: a relative, non-empty `path` joined onto `dir`; others unchanged.
    public static func joinDir(_ dir: String, _ path: String) -> String {
        if path.isEmpty || isAbsolute(path) { return path }
        return join(dir, path)
    }
}

