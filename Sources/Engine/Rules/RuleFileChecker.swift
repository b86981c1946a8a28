import ConfigModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GoCompat

/// Parses PromQL for rule validation: nil when `expression` parses, else the parser's error.
public protocol RuleExpressionParser: Sendable {
    func failure(parsing expression: String) -> RuleExpressionFailure?
}

/// Parses one alerting rule's label or annotation template as `rulefmt` does (the alert's data variables
/// defined, Prometheus's functions known): nil when it parses, else the error (`template: __alert_X:1: ...`).
public protocol AlertTemplateParser: Sendable {
    func failure(parsingTemplate text: String, alertName: String) -> RuleTemplateFailure?
}

/// Settings of `check rules` (and of the rule-file part of `check config`).
public struct RuleCheckOptions: Sendable {
    /// `--lint` includes `duplicate-rules` or `all`.
    public var lintDuplicateRules: Bool
    /// `--lint-fatal`: lint problems make the exit code 3.
    public var lintFatal: Bool
    /// `--ignore-unknown-fields`.
    public var ignoreUnknownFields: Bool
    /// Label and metric name validation (UTF-8 in Prometheus 3).
    public var nameValidation: RuleNameValidation

    public init(lintDuplicateRules: Bool = true, lintFatal: Bool = false, ignoreUnknownFields: Bool = false,
                nameValidation: RuleNameValidation = .utf8) {
        self.lintDuplicateRules = lintDuplicateRules
        self.lintFatal = lintFatal
        self.ignoreUnknownFields = ignoreUnknownFields
        self.nameValidation = nameValidation
    }

    /// Parses a `--lint` value (comma list of `all`, `duplicate-rules`, `none`) as promtool does; unknown
    /// items come back as warnings to print on stdout (`WARNING: unknown lint option: "x"`).
    public static func lintSettings(_ value: String) -> (duplicateRules: Bool, warnings: [String]) {
        var duplicates = false
        var warnings: [String] = []
        if value.isEmpty { return (false, []) }
        for item in value.split(separator: ",", omittingEmptySubsequences: false) {
            switch item {
            case "all", "duplicate-rules": duplicates = true
            case "none": break
            default: warnings.append("WARNING: unknown lint option: \(goQuote(String(item)))")
            }
        }
        return (duplicates, warnings)
    }
}

/// What checking one rule file printed and found, in promtool's words and order.
public struct RuleFileCheckResult: Sendable {
    public enum Stream: Sendable, Equatable { case stdout, stderr }

    /// One printed line (without its line break).
    public struct Line: Sendable, Equatable {
        public var stream: Stream
        public var text: String
        public init(_ stream: Stream, _ text: String) {
            self.stream = stream
            self.text = text
        }
    }

    /// The name printed after `Checking` (the path, or `standard input`).
    public var name: String
    /// Everything printed, in order: promtool's lines plus our `  at FILE:L:C` lines.
    public var output: [Line]
    /// Every problem found (loading, validation, lint), with positions.
    public var errors: [RuleFileError]
    /// The loaded file, nil when it did not load.
    public var file: RuleFile?
    /// True when anything failed, lint included.
    public var failed: Bool { !errors.isEmpty }
    /// True when a non-lint problem was found (exit code 1).
    public var hasErrors: Bool { errors.contains { $0.kind != .lint } }
    /// Rules counted on success (`SUCCESS: N rules found`), nil otherwise.
    public var ruleCount: Int?
}

/// Checks rule files as `promtool check rules` does: load (`rulefmt.Parse`), validate (names, PromQL
/// expressions, alert templates), then the duplicate-rules lint, producing promtool's exact output.
public struct RuleFileChecker: Sendable {
    public var options: RuleCheckOptions
    public var expressionParser: (any RuleExpressionParser)?
    public var templateParser: (any AlertTemplateParser)?

    public init(options: RuleCheckOptions = RuleCheckOptions(),
                expressionParser: (any RuleExpressionParser)?,
                templateParser: (any AlertTemplateParser)?) {
        self.options = options
        self.expressionParser = expressionParser
        self.templateParser = templateParser
    }

    /// The name promtool prints for standard input.
    public static let standardInputName = "standard input"
    /// The name used in our `  at NAME:L:C` lines for standard input.
    public static let standardInputPositionName = "<stdin>"

    /// Checks several files (a config's rule files) on all cores; results keep the order of `paths`.
    public func checkFiles(paths: [String]) -> [RuleFileCheckResult] {
        let checker = self
        return ParallelWork.map(paths) { checker.checkFile(path: $0) }
    }

    /// Checks the file at `path` (errors prefixed `PATH: `, as `rulefmt.ParseFile` does).
    public func checkFile(path: String) -> RuleFileCheckResult {
        switch readFile(path) {
        case .success(let bytes):
            return check(bytes: bytes, name: path, errorPrefix: path + ": ", positionName: path)
        case .failure(let failure):
            let message = failure.message
            let error = RuleFileError(kind: .yaml, message: message, mark: nil)
            var result = RuleFileCheckResult(name: path, output: [.init(.stdout, "Checking \(path)")], errors: [error], file: nil)
            result.output.append(.init(.stderr, "  FAILED:"))
            result.output.append(.init(.stderr, "\(path): \(message)"))
            return result
        }
    }

    /// Checks rule-file content read from standard input (no file prefix on errors).
    public func checkStandardInput(_ bytes: [UInt8]) -> RuleFileCheckResult {
        check(bytes: bytes, name: Self.standardInputName, errorPrefix: "", positionName: Self.standardInputPositionName)
    }

    /// Loads and validates `bytes` without printing: the file (when it loaded) and every error, lint included.
    public func analyse(bytes: [UInt8]) -> (file: RuleFile?, errors: [RuleFileError]) {
        // One large-stack thread for the whole file, rather than one per template.
        LargeStack.run { analyseInPlace(bytes: bytes) }
    }

    private func analyseInPlace(bytes: [UInt8]) -> (file: RuleFile?, errors: [RuleFileError]) {
        let loaded = RuleFile.load(bytes: bytes, ignoreUnknownFields: options.ignoreUnknownFields)
        guard let file = loaded.file else { return (nil, loaded.errors) }
        let validation = file.validate(precomputedValidationOptions(for: file))
        if !validation.isEmpty { return (file, validation) }
        if options.lintDuplicateRules, let lint = DuplicateRuleLint.error(for: file) {
            return (file, [lint])
        }
        return (file, [])
    }

    /// Validation hooks whose answers for `file` were computed up front on all cores: parsing every
    /// expression and template is most of the work, and each is independent of the others.
    func precomputedValidationOptions(for file: RuleFile) -> RuleValidationOptions {
        var v = validationOptions
        let rules = file.groups.flatMap(\.rules)
        guard rules.count >= 64 else { return v }
        if let parser = expressionParser {
            let exprs = rules.compactMap { $0.expr?.value }
            let failures = ParallelWork.map(exprs) { parser.failure(parsing: $0) }
            var cache: [String: RuleExpressionFailure?] = [:]
            cache.reserveCapacity(exprs.count)
            for (e, f) in zip(exprs, failures) { cache[e] = f }
            let known = cache
            v.parseExpression = { text in
                if let hit = known[text] { return hit }
                return parser.failure(parsing: text)
            }
        }
        if let templates = templateParser {
            struct Key: Hashable, Sendable { var alert: String; var text: String }
            var keys: [Key] = []
            for r in rules where r.isAlerting {
                for entry in r.labels + r.annotations { keys.append(Key(alert: r.alertName, text: entry.value.value)) }
            }
            // Whether a template parses does not depend on the alert's name (only error texts do), and rule
            // files repeat their templates: parse each distinct text once, and only redo the failing ones
            // per alert to get each error's exact wording.
            var firstKeyOfText: [String: Key] = [:]
            for k in keys where firstKeyOfText[k.text] == nil { firstKeyOfText[k.text] = k }
            let distinct = Array(firstKeyOfText.values)
            let failures = ParallelWork.mapChunks(distinct) { chunk in
                LargeStack.run { chunk.map { templates.failure(parsingTemplate: $0.text, alertName: $0.alert) } }
            }
            var cache: [Key: RuleTemplateFailure?] = [:]
            cache.reserveCapacity(keys.count)
            var failingTexts: Set<String> = []
            for (k, f) in zip(distinct, failures) {
                cache[k] = f
                if f != nil { failingTexts.insert(k.text) }
            }
            for k in keys where cache[k] == nil && !failingTexts.contains(k.text) { cache[k] = .some(nil) }
            let known = cache
            v.checkTemplate = { alert, text in
                if let hit = known[Key(alert: alert, text: text)] { return hit }
                return templates.failure(parsingTemplate: text, alertName: alert)
            }
        }
        return v
    }

    /// The validation hooks backed by this checker's parsers.
    public var validationOptions: RuleValidationOptions {
        var v = RuleValidationOptions(nameValidation: options.nameValidation)
        if let parser = expressionParser {
            v.parseExpression = { parser.failure(parsing: $0) }
        }
        if let templates = templateParser {
            v.checkTemplate = { alert, text in templates.failure(parsingTemplate: text, alertName: alert) }
        }
        return v
    }

    /// Checks `bytes` and renders promtool's output for them.
    public func check(bytes: [UInt8], name: String, errorPrefix: String, positionName: String) -> RuleFileCheckResult {
        let (file, errors) = analyse(bytes: bytes)
        var result = RuleFileCheckResult(name: name, output: [.init(.stdout, "Checking \(name)")], errors: errors, file: file)
        if errors.isEmpty {
            let count = file?.ruleCount ?? 0
            result.ruleCount = count
            result.output.append(.init(.stdout, "  SUCCESS: \(count) rules found"))
            result.output.append(.init(.stdout, ""))
            return result
        }
        result.output.append(.init(.stderr, "  FAILED:"))
        let isLint = errors.allSatisfy { $0.kind == .lint }
        for error in errors {
            // rulefmt errors carry the file prefix; the lint error is printed bare.
            let text = error.kind == .lint ? error.message : errorPrefix + error.message
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                result.output.append(.init(.stderr, String(line)))
            }
            if let mark = error.extraMark {
                result.output.append(.init(.stderr, "  at \(positionName):\(mark.line):\(mark.column)"))
            }
        }
        // promtool skips the closing blank line after rulefmt errors, not after lint problems.
        if isLint { result.output.append(.init(.stdout, "")) }
        return result
    }

    /// promtool's exit code for a run over `results`: 1 on errors, 3 on lint problems with `--lint-fatal`, else 0.
    public static func exitCode(for results: [RuleFileCheckResult], lintFatal: Bool) -> Int32 {
        let failed = results.contains { $0.failed }
        let hasErrors = results.contains { $0.hasErrors }
        if failed && hasErrors { return 1 }
        if failed && lintFatal { return 3 }
        return 0
    }

    /// Reads a whole file, or returns Go's `open PATH: REASON` text.
    private func readFile(_ path: String) -> Result<[UInt8], ReadFailure> {
        guard let f = fopen(path, "rb") else {
            return .failure(ReadFailure("open \(path): \(GoErrno.text(errno))"))
        }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n > 0 { out.append(contentsOf: buffer[0..<n]) }
            if n < buffer.count {
                if ferror(f) != 0 { return .failure(ReadFailure("read \(path): \(GoErrno.text(errno))")) }
                break
            }
        }
        return .success(out)
    }

    private struct ReadFailure: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }
}
