import ConfigModel
import Engine

/// What to lint and how.
public struct LintOptions: Sendable {
    /// Files and directories (directories are walked for `.yml` / `.yaml`).
    public var paths: [String]
    /// An explicit `.promtool-swift.yml`; nil to look for one at the repository root.
    public var configFile: String?
    /// Directory relative paths are resolved against (the process's by default).
    public var workingDirectory: String
    /// Overrides the configured Prometheus version for every file.
    public var prometheusVersion: PrometheusVersion?
    /// Check selectors (`id`, `category/*`, `all`) switched on or off on top of the configuration.
    public var enable: [String] = []
    public var disable: [String] = []
    /// What `-` in `paths` stands for: the bytes of standard input, read by the caller.
    public var standardInput: [UInt8] = []

    public init(paths: [String], configFile: String? = nil,
                workingDirectory: String = FileSystem.currentDirectory(),
                prometheusVersion: PrometheusVersion? = nil) {
        self.paths = paths
        self.configFile = configFile
        self.workingDirectory = workingDirectory
        self.prometheusVersion = prometheusVersion
    }
}

/// The outcome of a lint run.
public struct LintResult: Sendable {
    /// Every diagnostic that survived configuration and inline disables, in report order.
    public var diagnostics: [Diagnostic]
    /// Files looked at (configs, rule files, unrecognised ones), as displayed.
    public var filesChecked: [String]
    /// The lint configuration file used, if any.
    public var configurationFile: String?

    /// True when some input could not be read or parsed (exit code 1).
    public var hasInputErrors: Bool {
        diagnostics.contains { $0.severity == .error && $0.check.category == "input" }
    }

    /// Process exit code: 1 for input errors, 3 when a finding is at or above `failOn` (nil: never), else 0.
    public func exitCode(failOn: Severity?) -> Int32 {
        if hasInputErrors { return 1 }
        if let failOn, diagnostics.contains(where: { $0.severity >= failOn }) { return 3 }
        return 0
    }
}

/// Runs the checks of a catalogue over files and directories.
public struct Linter: Sendable {
    public var catalogue: CheckCatalogue

    public init(catalogue: CheckCatalogue = .standard) {
        self.catalogue = catalogue
    }

    /// Lints everything `options` names.
    public func run(_ options: LintOptions) -> LintResult {
        var run = LintRun(catalogue: catalogue, options: options)
        return run.execute()
    }
}

/// One loaded input file.
struct LoadedFile {
    var display: String
    var absolute: String
    var source: SourceText
    var documents: [Node]
    var kind: InputKind
}

/// The state of one run.
struct LintRun {
    let catalogue: CheckCatalogue
    let options: LintOptions
    var raw: [Diagnostic] = []
    var lintConfig: LintConfiguration
    var configPath: String?
    var loaded: [String: LoadedFile] = [:]
    var order: [String] = []
    var disables: [String: InlineDisables] = [:]
    var settingsCache: [String: LintSettings] = [:]
    /// Metric type tables by the list of files they were read from.
    var metricTypeTables: [[String]: MetricTypeTable] = [:]

    init(catalogue: CheckCatalogue, options: LintOptions) {
        self.catalogue = catalogue
        self.options = options
        lintConfig = LintConfiguration(baseDirectory: options.workingDirectory)
    }

    mutating func execute() -> LintResult {
        loadLintConfiguration()
        collectInputs()

        var ruleFileContext: [String: String] = [:]  // rule file absolute → config absolute
        var configViews: [String: ConfigView] = [:]
        // Configurations first: they pull in their rule files.
        for key in order {
            guard let f = loaded[key], f.kind == .prometheusConfig, let doc = f.documents.first else { continue }
            let validation = ConfigValidation.validate(file: f)
            raw += validation.diagnostics
            var view = ConfigView(path: f.display, document: doc)
            view.addJobsFromOtherFiles(validation.jobs ?? [])
            configViews[key] = view
            runConfigChecks(view, file: f)
            for pattern in view.ruleFiles {
                let matches = expandRuleFileGlob(pattern.value, configFile: f)
                for (display, abs) in matches {
                    if ruleFileContext[abs] == nil { ruleFileContext[abs] = key }
                    if loaded[abs] == nil {
                        loadFile(display: display, absolute: abs, explicit: true)
                    }
                }
            }
        }

        // Unit-test files: their rule files are linted on their own (no prometheus.yml context).
        for key in order {
            guard let f = loaded[key], f.kind == .unitTest, let doc = f.documents.first else { continue }
            runUnitTestChecks(UnitTestFileView(path: f.display, document: doc), file: f)
        }

        var ruleSet: [RuleSetMember] = []
        for key in order {
            guard let f = loaded[key], f.kind == .ruleFile else { continue }
            // Validation parses every expression; the checks below reuse those syntax trees.
            let expressions = ExpressionCache()
            raw += RuleValidation.validate(file: f, expressions: expressions)
            let view = RuleFileView(path: f.display, documents: f.documents)
            let cfgKey = ruleFileContext[key]
            let settings = settings(for: f)
            var config = ConfigView()
            if let k = cfgKey, let c = configViews[k] {
                config = c
            } else {
                if let si = settings.assumedScrapeInterval { config.scrapeInterval = si }
                if let ei = settings.assumedEvaluationInterval { config.evaluationInterval = ei }
            }
            // Duplicates count within what one Prometheus loads: a configuration's rule files, or else
            // the files of one directory.
            ruleSet.append(RuleSetMember(file: view, settings: settings, unit: cfgKey ?? Paths.deletingLastComponent(key),
                                         unitIsConfiguration: cfgKey != nil))
            let types = metricTypes(settings.metricMetadataFiles)
            for group in view.groups {
                for rule in group.rules {
                    let expression = rule.expr.map { e in
                        ParsedExpression(
                            text: e.value, expr: expressions.expression(e.value),
                            locator: rule.exprNode.map { ExprLocator(node: $0, value: e.value, source: f.source) }
                                ?? ExprLocator(fixed: e.range.start))
                    }
                    let ctx = RuleContext(file: view, group: group, config: config, hasConfig: cfgKey != nil,
                                          scrapeIntervalKnown: cfgKey != nil || settings.assumedScrapeInterval != nil,
                                          settings: settings, expression: expression, source: f.source,
                                          metricTypes: types)
                    for check in catalogue.checks where settings.isEnabled(check.info) {
                        var findings = Findings()
                        check.check(rule: rule, context: ctx, findings: &findings)
                        emit(findings, check: check.info, file: f.display, settings: settings)
                    }
                }
            }
        }
        if !ruleSet.isEmpty {
            for check in catalogue.checks {
                var findings = Findings()
                let enabledFiles = ruleSet.filter { $0.settings.isEnabled(check.info) }
                guard !enabledFiles.isEmpty else { continue }
                check.check(ruleSet: RuleSetContext(files: enabledFiles), findings: &findings)
                for item in findings.items {
                    let file = item.file ?? enabledFiles[0].file.path
                    let s = ruleSet.first { $0.file.path == file }?.settings ?? LintSettings()
                    raw.append(Diagnostic(file: file, range: item.range,
                                          severity: s.severity(for: check.info, proposed: item.severity),
                                          message: item.message, check: check.info.id, scopeLine: item.scopeLine))
                }
            }
        }

        let byDisplay = Dictionary(loaded.values.map { ($0.display, $0.absolute) }, uniquingKeysWith: { a, _ in a })
        var seen: Set<String> = []
        let kept = raw.filter { d in
            if !d.check.rawValue.hasPrefix("input/"),
               let abs = byDisplay[d.file], let dis = disables[abs], dis.suppresses(d)
            {
                return false
            }
            // Aliased YAML nodes repeat a rule at the same position: report it once.
            return seen.insert("\(d.file)\u{0}\(d.range)\u{0}\(d.check)\u{0}\(d.message)").inserted
        }.sorted(by: Diagnostic.reportOrder)
        return LintResult(diagnostics: kept, filesChecked: order.compactMap { loaded[$0]?.display },
                          configurationFile: configPath)
    }

    // MARK: - Emitting

    mutating func emit(_ findings: Findings, check: CheckInfo, file: String, settings: LintSettings) {
        for item in findings.items {
            raw.append(Diagnostic(file: item.file ?? file, range: item.range,
                                  severity: settings.severity(for: check, proposed: item.severity),
                                  message: item.message, check: check.id, scopeLine: item.scopeLine))
        }
    }

    mutating func inputError(_ id: CheckID, file: String, at mark: Mark?, _ message: String) {
        let range = mark.map { SourceRange(at: SourcePosition($0)) } ?? .fileStart
        raw.append(Diagnostic(file: file, range: range, severity: .error, message: message, check: id))
    }

    mutating func runConfigChecks(_ view: ConfigView, file: LoadedFile) {
        let settings = settings(for: file)
        let ctx = ConfigContext(config: view, settings: settings)
        for check in catalogue.checks where settings.isEnabled(check.info) {
            var findings = Findings()
            check.check(config: view, context: ctx, findings: &findings)
            emit(findings, check: check.info, file: file.display, settings: settings)
        }
    }

    /// Resolves a unit-test file's `rule_files` (relative to its directory), loads them as rule files of
    /// their own, and runs the unit-test checks.
    mutating func runUnitTestChecks(_ view: UnitTestFileView, file: LoadedFile) {
        var resolved: [(entry: Located<String>, matches: [String])] = []
        var rules: [RuleView]? = []
        for entry in view.ruleFiles {
            let matches = expandRuleFileGlob(entry.value, configFile: file).filter { FileSystem.exists($0.1) }
            resolved.append((entry, matches.map(\.0)))
            for (display, abs) in matches {
                loadFile(display: display, absolute: abs, explicit: true)
                if let rf = loaded[Paths.canonical(abs)], rf.kind == .ruleFile {
                    rules?.append(contentsOf: RuleFileView(path: rf.display, documents: rf.documents).rules.map(\.rule))
                } else {
                    rules = nil
                }
            }
        }
        let settings = settings(for: file)
        let ctx = UnitTestContext(file: view, ruleFiles: resolved, rules: rules, settings: settings)
        for check in catalogue.checks where settings.isEnabled(check.info) {
            var findings = Findings()
            check.check(unitTest: ctx, findings: &findings)
            emit(findings, check: check.info, file: file.display, settings: settings)
        }
    }

    /// The metric types read from `files` (each list read once per run); unreadable files are reported
    /// against the lint configuration.
    mutating func metricTypes(_ files: [String]) -> MetricTypeTable {
        if files.isEmpty { return MetricTypeTable() }
        if let t = metricTypeTables[files] { return t }
        var table = MetricTypeTable()
        let reportAt = configPath ?? ".promtool-swift.yml"
        for path in files {
            let shown = Paths.display(path, cwd: options.workingDirectory)
            let data: [UInt8]
            switch InputFile.load(path) {
            case .success(let bytes): data = bytes
            case .failure(let failure):
                inputError(InputErrors.lintConfig, file: reportAt, at: nil,
                           "metric_metadata: cannot read \(shown) (\(failure.reason))")
                continue
            }
            if let problem = table.add(String(decoding: data, as: UTF8.self), source: shown) {
                inputError(InputErrors.lintConfig, file: reportAt, at: nil, "metric_metadata: \(problem)")
            }
        }
        metricTypeTables[files] = table
        return table
    }

    // MARK: - Settings

    mutating func settings(for file: LoadedFile) -> LintSettings {
        if let s = settingsCache[file.absolute] { return s }
        let rel = Paths.relative(file.absolute, to: lintConfig.baseDirectory)
        var s = lintConfig.settings(forRelativePath: rel, catalogue: catalogue)
        if let v = options.prometheusVersion { s.prometheusVersion = v }
        // Disable first, so that `--disable all --enable x` leaves x on.
        for sel in options.disable {
            for id in catalogue.resolve(selector: sel) {
                s.disabled.insert(id)
                s.enabled.remove(id)
            }
        }
        for sel in options.enable {
            for id in catalogue.resolve(selector: sel) {
                s.enabled.insert(id)
                s.disabled.remove(id)
            }
        }
        settingsCache[file.absolute] = s
        return s
    }

    mutating func loadLintConfiguration() {
        var path = options.configFile.map { Paths.absolute($0, cwd: options.workingDirectory) }
        if path == nil {
            path = Paths.findLintConfiguration(from: options.workingDirectory)
        }
        guard let path else { return }
        let display = options.configFile ?? Paths.display(path, cwd: options.workingDirectory)
        let data: [UInt8]
        switch InputFile.load(path, namedByUser: options.configFile != nil) {
        case .success(let bytes): data = bytes
        case .failure(let failure):
            inputError(InputErrors.read, file: display, at: nil, "cannot read lint configuration \(display) (\(failure.reason))")
            return
        }
        configPath = display
        let text = String(decoding: data, as: UTF8.self)
        let base = Paths.deletingLastComponent(path)
        switch LintConfiguration.parse(text, path: display, baseDirectory: base, catalogue: catalogue) {
        case .success(let c): lintConfig = c
        case .failure(let e):
            lintConfig = LintConfiguration(baseDirectory: base)
            for err in e.errors {
                inputError(InputErrors.lintConfig, file: display, at: err.mark, "invalid lint configuration: \(err.message)")
            }
        }
    }

    // MARK: - Inputs

    mutating func collectInputs() {
        for p in options.paths {
            if p == "-" {
                // Relative rule_files of a configuration on standard input resolve against the working directory.
                loadFile(display: Self.standardInputName, absolute: Paths.join(options.workingDirectory, Self.standardInputName),
                         explicit: true, contents: options.standardInput)
                continue
            }
            let abs = Paths.absolute(p, cwd: options.workingDirectory)
            guard FileSystem.exists(abs) else {
                inputError(InputErrors.read, file: p, at: nil, "\(p): no such file or directory")
                continue
            }
            if FileSystem.isDirectory(abs) {
                for (display, fileAbs) in walk(directory: abs, display: p) {
                    loadFile(display: display, absolute: fileAbs, explicit: false)
                }
            } else {
                loadFile(display: p, absolute: abs, explicit: true, namedByUser: true)
            }
        }
    }

    /// How standard input (`-`) is shown in findings.
    static let standardInputName = "<stdin>"

    /// Directory names never walked into: dependencies, and fuzzing corpora (deliberately broken inputs).
    static let skippedDirectories: Set<String> = ["node_modules", "Fuzz", "fuzz"]

    /// YAML files under a directory, sorted, skipping hidden directories (`.build`, `.git`, …),
    /// `skippedDirectories`, and what the repository's `.gitignore` files ignore. Symbolic links to
    /// directories are not followed; entries that cannot be examined count as files.
    func walk(directory: String, display: String) -> [(String, String)] {
        var out: [(String, String)] = []
        var ignore = GitIgnore(forWalking: directory)
        var pending: [String] = [""]  // directories to list, relative to `directory`
        while let relDir = pending.popLast() {
            let dirPath = relDir.isEmpty ? directory : directory + "/" + relDir
            if !relDir.isEmpty { ignore.add(directory: dirPath) }
            for name in FileSystem.contents(ofDirectory: dirPath) {
                let rel = relDir.isEmpty ? name : relDir + "/" + name
                let full = directory + "/" + rel
                if FileSystem.isDirectory(full) {
                    if !name.hasPrefix(".") && !Self.skippedDirectories.contains(name) && FileSystem.isRealDirectory(full)
                        && !ignore.ignores(full, isDirectory: true)
                    {
                        pending.append(rel)
                    }
                    continue
                }
                guard name.hasSuffix(".yml") || name.hasSuffix(".yaml"), !name.hasPrefix("."),
                      !ignore.ignores(full, isDirectory: false) else { continue }
                let shown = display == "." || display == "./" ? rel : Paths.join(display, rel)
                out.append((shown, full))
            }
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// Loads one input. `explicit`: named by the user or by another input (reported even when it is not a
    /// Prometheus file); `namedByUser`: named on the command line (may be a pipe or device, see `InputFile`).
    mutating func loadFile(display: String, absolute: String, explicit: Bool, namedByUser: Bool = false,
                           contents: [UInt8]? = nil) {
        let key = contents == nil ? Paths.canonical(absolute) : absolute
        guard loaded[key] == nil else { return }
        let data: [UInt8]
        switch contents.map({ .success($0) }) ?? InputFile.load(absolute, namedByUser: namedByUser) {
        case .success(let bytes): data = bytes
        case .failure(let failure):
            inputError(InputErrors.read, file: display, at: nil, "\(display): cannot read file (\(failure.reason))")
            return
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            inputError(InputErrors.yaml, file: display, at: nil, "\(display): the file is not valid UTF-8")
            return
        }
        let source = SourceText(path: display, text: text)
        disables[key] = InlineDisables(source: source)
        let docs: [Node]
        do {
            docs = try YAMLComposer.compose(text)
        } catch {
            // Files found by walking a directory are reported only when they look like Prometheus files
            // (other YAML, such as Helm templates, is not ours to judge).
            if !explicit && !InputDetector.looksLikePrometheusFile(text) { return }
            let (message, mark) = Self.yamlError(error, text: text)
            inputError(InputErrors.yaml, file: display, at: mark, message)
            loaded[key] = LoadedFile(display: display, absolute: key, source: source, documents: [], kind: .unknown)
            order.append(key)
            return
        }
        let kind = InputDetector.kind(of: docs)
        if kind == .unknown {
            if explicit && !docs.isEmpty {
                raw.append(Diagnostic(
                    file: display, range: .fileStart, severity: .info,
                    message: "not recognised as a Prometheus configuration, rule file or unit-test file (no `groups`, `scrape_configs`, `global`, `rule_files`, `tests`, … at the top level); nothing was checked",
                    check: InputErrors.unrecognised))
            } else if !explicit {
                return
            }
        }
        loaded[key] = LoadedFile(display: display, absolute: key, source: source, documents: docs, kind: kind)
        order.append(key)
    }

    /// A YAML syntax error as the Prometheus tool reading the file words it: rule files are read with
    /// yaml.v3 (`check rules`), configurations with yaml.v2 (`check config`), whose line numbers differ
    /// for some errors. The position is the line the message names (where the problem is, such as the line
    /// lacking a `:`), not libyaml's scanner position, which can be the line after.
    static func yamlError(_ error: YAMLError, text: String) -> (String, Mark) {
        var message = error.message, mark = error.mark
        if InputDetector.looksLikeRuleFile(text),
           let v3 = RuleFile.load(text).errors.first(where: { $0.kind == .yaml }) {
            message = v3.message
            mark = v3.mark ?? mark
        }
        if let line = lineNamed(in: message), line != mark.line, line > 0 {
            mark = Mark(line: line, column: 1)
        }
        return (message, mark)
    }

    /// N of a `yaml: line N: …` message.
    static func lineNamed(in message: String) -> Int? {
        guard message.hasPrefix("yaml: line ") else { return nil }
        let digits = message.dropFirst("yaml: line ".count).prefix { $0.isNumber }
        return Int(digits)
    }

    /// Expands one `rule_files` entry (Go `filepath.Glob` semantics) relative to the config's directory.
    func expandRuleFileGlob(_ pattern: String, configFile: LoadedFile) -> [(String, String)] {
        let cfgDirAbs = Paths.deletingLastComponent(configFile.absolute)
        let cfgDirDisplay = Paths.deletingLastComponent(configFile.display)
        let isAbs = pattern.hasPrefix("/")
        var results: [(String, String)] = [(isAbs ? "/" : cfgDirDisplay, isAbs ? "/" : cfgDirAbs)]
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        for (i, part) in parts.enumerated() {
            let last = i == parts.count - 1
            var next: [(String, String)] = []
            for (disp, abs) in results {
                let hasMeta = part.contains { $0 == "*" || $0 == "?" || $0 == "[" }
                if !hasMeta {
                    next.append((Paths.join(disp, part), Paths.join(abs, part)))
                    continue
                }
                let entries = FileSystem.contents(ofDirectory: abs).sorted()
                let pat = Array(part.unicodeScalars)
                for e in entries where GlobPattern.matchSegment(pat, Array(e.unicodeScalars)) {
                    if e.hasPrefix(".") && !part.hasPrefix(".") { continue }
                    next.append((Paths.join(disp, e), Paths.join(abs, e)))
                }
            }
            results = next
            if !last { results = results.filter { FileSystem.isDirectory($0.1) } }
        }
        let hasMeta = pattern.contains { $0 == "*" || $0 == "?" || $0 == "[" }
        return results.filter { r in hasMeta ? !FileSystem.isDirectory(r.1) : true }
    }
}
