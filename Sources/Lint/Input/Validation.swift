import ConfigModel
import Engine

/// Runs the Prometheus configuration parser (what `promtool check config` loads with) over a file and
/// turns its error into a positioned `input/config` diagnostic; collected type errors become one each.
enum ConfigValidation {
    /// The diagnostics, and every scrape job (those of `scrape_config_files` included) when it loaded.
    static func validate(file: LoadedFile) -> (diagnostics: [Diagnostic], jobs: [ScrapeConfig]?) {
        do {
            // What `promtool check config` loads: the file (relative paths resolved against its folder)
            // plus the scrape configs of its scrape_config_files.
            let cfg = try PrometheusConfig.load(path: file.absolute)
            return ([], try cfg.allScrapeConfigs())
        } catch {
            return (diagnostics(for: error, file: file), nil)
        }
    }

    static func diagnostics(for error: ConfigError, file: LoadedFile) -> [Diagnostic] {
        var error = error
        // An error inside a scrape_config_files file is reported in that file.
        var display = file.display
        if let other = error.file {
            let absDir = Paths.deletingLastComponent(file.absolute)
            let abs = other.hasPrefix("/") ? other : Paths.appending(absDir, other)
            let dir = Paths.deletingLastComponent(file.display)
            if abs.hasPrefix(absDir + "/") {
                let rel = String(abs.dropFirst(absDir.count + 1))
                display = dir.isEmpty ? rel : dir + "/" + rel
            } else {
                display = abs
            }
        }
        let loadPrefix = "parsing YAML file \(file.absolute): "
        if error.message.hasPrefix(loadPrefix) { error.message.removeFirst(loadPrefix.count) }
        let prefix = "yaml: unmarshal errors:\n"
        if error.message.hasPrefix(prefix) {
            // One diagnostic per `line N: text` entry, positioned at its line.
            var out: [Diagnostic] = []
            for entry in error.message.dropFirst(prefix.count).split(separator: "\n") {
                let text = entry.trimmingCharacters(in: " ")
                var line = error.mark?.line ?? 1
                if text.hasPrefix("line "), let n = Int(text.dropFirst(5).prefix { $0.isNumber }) { line = n }
                let indent = display != file.display ? 0 : file.source.line(line).map { $0.prefix { $0 == " " || $0 == "\t" }.count } ?? 0
                let col = line == error.mark?.line ? (error.mark?.column ?? 1) : indent + 1
                out.append(Diagnostic(file: display, range: SourceRange(at: SourcePosition(line: line, column: col)),
                                      severity: .error, message: "yaml: unmarshal errors: " + text,
                                      check: InputErrors.config))
            }
            if !out.isEmpty { return out }
        }
        let range = error.mark.map { SourceRange(at: SourcePosition($0)) } ?? .fileStart
        return [Diagnostic(file: display, range: range, severity: .error, message: error.message,
                           check: InputErrors.config)]
    }
}

/// Runs the rule file parser (what `promtool check rules` does) over a file and turns its errors into
/// positioned `input/rules` diagnostics.
enum RuleValidation {
    /// The diagnostics; every expression parsed on the way is left in `expressions` for the checks.
    static func validate(file: LoadedFile, expressions: ExpressionCache) -> [Diagnostic] {
        let checker = RuleFileChecker(
            options: RuleCheckOptions(lintDuplicateRules: false, nameValidation: .utf8),
            expressionParser: LintExpressionParser(cache: expressions),
            templateParser: LintTemplateParser())
        let (_, errors) = checker.analyse(bytes: Array(file.source.text.utf8))
        var out: [Diagnostic] = []
        var seen: Set<String> = []
        for e in errors where e.kind != .lint {
            // Prometheus decodes twice and reports some problems twice; once is enough here.
            let key = "\(e.mark?.line ?? 0):\(e.mark?.column ?? 0):\(e.message)"
            guard seen.insert(key).inserted else { continue }
            let range = e.mark.map { SourceRange(at: SourcePosition($0)) } ?? .fileStart
            out.append(Diagnostic(file: file.display, range: range, severity: .error,
                                  message: e.message, check: InputErrors.rules))
        }
        return out
    }
}

/// Alert template parsing as `rulefmt` does it, backed by the Go-template engine.
struct LintTemplateParser: AlertTemplateParser {
    func failure(parsingTemplate text: String, alertName: String) -> RuleTemplateFailure? {
        // Without an action delimiter there is nothing to parse besides the fixed definitions.
        guard text.utf8.contains(0x7B), text.contains("{{") else { return nil }
        guard let e = AlertTemplateExpander.checkAlertTemplate(alertName: alertName, text: text) else { return nil }
        return RuleTemplateFailure(message: e.message)
    }
}

/// The PromQL parser used for rule validation.
enum LintParsers {
    /// Parses a rule expression as Prometheus does by default (no experimental features).
    static func parse(_ text: String) -> Result<Expr, PromQLParseError> {
        do {
            return .success(try PromQLParser.parse(text))
        } catch {
            return .failure(error)
        }
    }
}

/// PromQL parsing for rule validation, with Prometheus's error text and the offending byte offset; what
/// it parses stays in `cache`.
struct LintExpressionParser: RuleExpressionParser {
    let cache: ExpressionCache

    func failure(parsing expression: String) -> RuleExpressionFailure? {
        guard case .failure(let e) = cache.parse(expression) else { return nil }
        return RuleExpressionFailure(message: e.description, byteOffset: e.position.start)
    }
}
