/// The output formats of `lint -o`.
public enum OutputFormat: String, Sendable, CaseIterable {
    case text, json, sarif, github

    /// Renders diagnostics in this format. `colour` only affects `text`.
    public func render(_ diagnostics: [Diagnostic], catalogue: CheckCatalogue = .standard,
                       colour: Bool = false, toolVersion: String = LintInfo.toolVersion) -> String {
        switch self {
        case .text: return TextReporter(colour: colour).render(diagnostics)
        case .json: return JSONReporter().render(diagnostics)
        case .sarif: return SARIFReporter(catalogue: catalogue, toolVersion: toolVersion).render(diagnostics)
        case .github: return GitHubReporter().render(diagnostics)
        }
    }
}

/// Facts about the linter itself.
public enum LintInfo {
    /// Version of the lint check catalogue.
    public static let catalogueVersion = 1
    /// Version reported in SARIF output.
    public static let toolVersion = "0.1.0"
    /// Where the documentation of the checks lives (SARIF `informationUri`).
    public static let informationURI = "https://github.com/promtool-swift/promtool-swift"
}
