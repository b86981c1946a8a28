/// promtool's `--http.config.file`: one `HTTPClientConfig` as the whole document (prometheus/common's
/// `LoadHTTPConfigFile`), strict, validated, with relative file paths resolved against the file's folder.
public enum HTTPClientConfigFile {
    /// Reads, decodes and validates `path`. Errors carry the position in the file; secrets are never in them.
    public static func load(path: String) throws(ConfigError) -> HTTPClientConfig {
        let bytes: [UInt8]
        switch FileSystem.readFile(path) {
        case .success(let b): bytes = b
        case .failure(let e): throw e
        }
        return try parse(bytes: bytes, directory: FilePath.dir(path))
    }

    /// Decodes `bytes` as an HTTP client config whose relative paths are relative to `directory`.
    public static func parse(bytes: [UInt8], directory: String) throws(ConfigError) -> HTTPClientConfig {
        let docs: [Node]
        do { docs = try YAMLComposer.compose(bytes: bytes, firstDocumentOnly: true) } catch { throw ConfigError(error.message, at: error.mark) }
        var cfg = HTTPClientConfig()
        if let root = docs.first, !root.isNull {
            let decoder = YAMLDecoder()
            var m = decoder.mapping(root, goType: "config.HTTPClientConfig")
            cfg = try m.inline(HTTPClientConfig.self)
            _ = m.finish()
            try decoder.throwCollectedTypeErrors()
        }
        try cfg.validate()
        cfg.resolvePaths(relativeTo: directory)
        return cfg
    }
}
