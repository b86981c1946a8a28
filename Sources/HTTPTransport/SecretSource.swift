import ConfigModel

/// Where one credential comes from, as prometheus/common's `SecretReader`: inline text, or a file read
/// again at every use (so a rotated token is picked up without a restart).
///
/// A `*_ref` names a secret in a secret manager; Prometheus 3.14 and promtool run without one, so
/// prometheus/common fails with `cannot use secret ref without manager` when the client is made (the
/// scrape pool then reports `error creating HTTP client: …`); we do the same.
enum SecretSource: Sendable, CustomStringConvertible {
    case inline(String)
    case file(String)

    /// Go's `toSecret`: the first of text, file, ref that is set; nil when none is.
    static func make(_ text: String, file: String, ref: String) throws(TransportError) -> SecretSource? {
        if !text.isEmpty { return .inline(text) }
        if !file.isEmpty { return .file(file) }
        if !ref.isEmpty { throw TransportError("cannot use secret ref without manager") }
        return nil
    }

    /// The secret; a file's contents with surrounding white space trimmed (`strings.TrimSpace`).
    func read() throws(TransportError) -> String {
        switch self {
        case .inline(let s): return s
        case .file: return String(decoding: try readBytes(), as: UTF8.self).trimmingGoSpace()
        }
    }

    /// The raw bytes (PEM files), untrimmed; `unable to read file F: open F: …` when unreadable.
    func readBytes() throws(TransportError) -> [UInt8] {
        switch self {
        case .inline(let s): return Array(s.utf8)
        case .file(let path):
            switch FileSystem.readFile(path) {
            case .success(let b): return b
            case .failure(let e): throw TransportError("unable to read file \(path): \(e.message)")
            }
        }
    }

    /// Go's `Description()`: `inline` or `file F` (never the secret itself).
    var description: String {
        switch self {
        case .inline: return "inline"
        case .file(let path): return "file " + path
        }
    }
}

extension TransportError {
    /// The error with `prefix: ` in front, as Go's `fmt.Errorf("prefix: %w", err)`.
    func prefixed(_ prefix: String) -> TransportError {
        TransportError(prefix + ": " + message, kind: kind)
    }
}
