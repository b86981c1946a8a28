import GoCompat

/// `file_sd_configs`: target groups read from JSON or YAML files matching glob patterns.
public struct FileSDConfig: DiscoveryConfig, Sendable {
    public static var mechanism: String { "file" }
    public static var goTypeName: String { "file.plain" }

    /// Patterns (made absolute against the config file's folder on load).
    public var files: [String] = []
    public var refreshInterval = PromDuration.minutes(5)
    public var mark = Mark(line: 0, column: 0)
    /// Positions of the `files` entries (the config's position when unknown).
    public var fileMarks: [Mark] = []

    /// The position of the `i`th pattern.
    public func mark(ofFile i: Int) -> Mark { i < fileMarks.count ? fileMarks[i] : mark }

    public init(files: [String]) { self.files = files }

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        mark = node.mark
        var m = decoder.mapping(node, goType: Self.goTypeName)
        let filesNode = m.peek("files")
        files = try m.decode("files", default: [])
        if case .sequence(let items)? = filesNode?.content { fileMarks = items.map(\.mark) }
        refreshInterval = try m.decode("refresh_interval", default: PromDuration.minutes(5))
        guard m.finish() else { return }
        if files.isEmpty {
            throw ConfigError("file service discovery config must contain at least one path name", at: node.mark)
        }
        for (i, name) in files.enumerated() where !FileSDConfig.isValidPattern(name) {
            var at = filesNode?.mark ?? node.mark
            if case .sequence(let items)? = filesNode?.content, i < items.count { at = items[i].mark }
            throw ConfigError("path name \(goQuote(name)) is not valid for file discovery", at: at)
        }
    }

    /// `^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$`.
    static func isValidPattern(_ name: String) -> Bool {
        let exts = [".json", ".yml", ".yaml", ".JSON", ".YML", ".YAML"]
        guard let ext = exts.first(where: { name.hasSuffix($0) }) else { return false }
        let stem = name.dropLast(ext.count)
        guard let star = stem.firstIndex(of: "*") else { return true }
        return !stem[stem.index(after: star)...].contains("/")
    }

    public var referencedFiles: [String] { [] }

    public mutating func resolvePaths(relativeTo directory: String) {
        files = files.map { FilePath.joinDir(directory, $0) }
    }
}
