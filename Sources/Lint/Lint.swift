import Engine

/// Lint checks over configs and rule files, and the reporters that print them.
public enum LintInfo {
    /// Version of the lint check catalogue.
    public static let catalogueVersion = 1
}
