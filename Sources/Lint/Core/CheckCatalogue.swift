/// The registry of checks: every built-in check plus the input-error pseudo-checks.
public struct CheckCatalogue: Sendable {
    public var checks: [any LintCheck]
    /// Findings of other producers than the linter's checks (`check config --probe`), listed with the
    /// checks (SARIF `rules`, `--explain`) but never run by the linter.
    public var otherInfos: [CheckInfo]

    public init(checks: [any LintCheck], otherInfos: [CheckInfo] = []) {
        self.checks = checks
        self.otherInfos = otherInfos
    }

    /// Every built-in check.
    public static let standard = CheckCatalogue(checks: BuiltinChecks.all)

    /// Input problems: not checks one can disable, but reported the same way.
    public static let inputErrorInfos: [CheckInfo] = [
        CheckInfo(id: InputErrors.yaml, defaultSeverity: .error,
                  summary: "The file is not valid YAML.",
                  doc: """
                  The file could not be read as YAML at the position shown (bad indentation, an unclosed quote, \
                  a tab used for indentation, …). Nothing else in it can be checked until it parses.
                  """, isInputError: true),
        CheckInfo(id: InputErrors.config, defaultSeverity: .error,
                  summary: "Prometheus would refuse to load this configuration.",
                  doc: """
                  The Prometheus configuration parser rejects this file with the error shown (the same as \
                  `promtool check config`). Prometheus would not start, or would keep its previous \
                  configuration on reload.
                  """, isInputError: true),
        CheckInfo(id: InputErrors.rules, defaultSeverity: .error,
                  summary: "Prometheus would refuse to load this rule file.",
                  doc: """
                  The rule file parser rejects this file with the error shown (the same as \
                  `promtool check rules`): an unknown field, a bad duration, an invalid PromQL expression, … \
                  Prometheus would not load any rule of the file.
                  """, isInputError: true),
        CheckInfo(id: InputErrors.read, defaultSeverity: .error,
                  summary: "A file or directory could not be read.",
                  doc: """
                  A path given on the command line (or a rule file a configuration refers to) does not exist \
                  or cannot be read.
                  """, isInputError: true),
        CheckInfo(id: InputErrors.lintConfig, defaultSeverity: .error,
                  summary: "The lint configuration file (.promtool-swift.yml) is invalid.",
                  doc: """
                  `.promtool-swift.yml` has an unknown key, a value of the wrong type, an unknown check id or \
                  an unknown severity. Fix it; the linter does not guess what was meant.
                  """, isInputError: true),
        CheckInfo(id: InputErrors.unrecognised, defaultSeverity: .info,
                  summary: "A YAML file given on the command line is neither a Prometheus configuration, a rule file nor a unit-test file.",
                  doc: """
                  The file has none of the top-level keys of a Prometheus configuration (`global`, \
                  `scrape_configs`, `rule_files`, …), no rule `groups` (plain or in a `PrometheusRule` \
                  resource's `spec`) and no unit-test `tests`, so nothing was checked. Files found while walking a directory are \
                  skipped silently instead.
                  """),
    ]

    /// Every check's information, input errors included, sorted by id.
    public var infos: [CheckInfo] {
        (checks.map(\.info) + otherInfos + Self.inputErrorInfos).sorted { $0.id < $1.id }
    }

    /// The information of `id`, if it exists.
    public func info(_ id: CheckID) -> CheckInfo? { infos.first { $0.id == id } }

    /// Expands a selector from the lint configuration: an id, `category/*`, or `all`.
    public func resolve(selector: String) -> [CheckID] {
        let ids = checks.map(\.info.id)
        if selector == "all" { return ids }
        if selector.hasSuffix("/*") {
            let cat = String(selector.dropLast(2))
            return ids.filter { $0.category == cat }
        }
        return ids.filter { $0.rawValue == selector }
    }
}

/// Ids of the input-error pseudo-checks.
public enum InputErrors {
    public static let yaml: CheckID = "input/yaml"
    public static let config: CheckID = "input/config"
    public static let rules: CheckID = "input/rules"
    public static let read: CheckID = "input/read"
    public static let lintConfig: CheckID = "input/lint-config"
    public static let unrecognised: CheckID = "input/unrecognised"
}
