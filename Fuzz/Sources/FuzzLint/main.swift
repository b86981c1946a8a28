import ConfigModel
import FuzzSupport
import Lint

/// A scratch directory made once per process (under `$TMPDIR`, else `/tmp`), holding what the linted
/// inputs can refer to, plus the files the harness rewrites per input:
///
/// - `.git/` marks it as a repository root, so neither the lint-configuration search nor the
///   `.gitignore` collection climbs out of it;
/// - `all.yml`: a lint configuration enabling every check, with `metadata.prom` as its `metric_metadata`;
/// - `rules.yml`, `tests.yml`, `metadata.prom`: small valid files that `rule_files` and `metric_metadata`
///   entries of the inputs (and of the seeds) name;
/// - `stdin/`: the working directory of the standard-input run (its `rule_files` resolve against it);
/// - `walk/`: a small tree (ignored-looking names at several depths) walked under the input as its `.gitignore`;
/// - `input.yml`: the input as a lint configuration, when it parses as one.
enum Sandbox {
    static let root: String = {
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(base)/fuzzlint-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { fuzzInvariantFailed("mkdtemp in \(base) failed") }
        let root = String(cString: made)
        for dir in [".git", "stdin", "walk", "walk/build", "walk/keep", "walk/keep/deep", "walk/logs"] {
            mkdir(root + "/" + dir, 0o755)
        }
        put(root + "/all.yml", Array("enable: [all]\nmetric_metadata: [metadata.prom]\n".utf8))
        put(root + "/metadata.prom", Array("""
            # TYPE http_requests_total counter
            # TYPE queue_length gauge
            # TYPE request_seconds histogram
            # TYPE rpc_seconds summary

            """.utf8))
        put(root + "/rules.yml", Array("""
            groups:
              - name: g
                rules:
                  - record: job:http_requests:rate5m
                    expr: sum by (job) (rate(http_requests_total[5m]))
                  - alert: QueueLong
                    expr: queue_length > 10
                    for: 5m
                    labels: {severity: page}
                    annotations: {summary: "{{ $labels.job }} queue is {{ $value }}"}

            """.utf8))
        put(root + "/tests.yml", Array("""
            rule_files: [rules.yml]
            evaluation_interval: 1m
            tests:
              - interval: 1m
                input_series:
                  - series: 'queue_length{job="a"}'
                    values: '0+5x10 _x2 stale 1e3'
                alert_rule_test:
                  - eval_time: 10m
                    alertname: QueueLong

            """.utf8))
        put(root + "/stdin/rules.yml", Array("groups: []\n".utf8))
        for file in ["walk/a.yml", "walk/build/b.yml", "walk/keep/c.yaml", "walk/keep/deep/d.yml", "walk/logs/e.yml",
                     "walk/logs/f.txt"] {
            put(root + "/" + file, Array("groups: []\n".utf8))
        }
        return root
    }()

    /// The files the walk may report (relative to `walk/`'s display name).
    static let walkable: Set<String> = ["walk/a.yml", "walk/build/b.yml", "walk/keep/c.yaml", "walk/keep/deep/d.yml",
                                        "walk/logs/e.yml"]

    /// Replaces the file at `path` with `bytes`; a failure is the harness's own and aborts.
    static func put(_ path: String, _ bytes: [UInt8]) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { fuzzInvariantFailed("cannot create \(path)") }
        defer { close(fd) }
        var done = 0
        while done < bytes.count {
            let n = bytes[done...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { fuzzInvariantFailed("cannot write \(path)") }
            done += n
        }
    }
}

/// The linter, in static storage (a true global: LeakSanitizer sees it as reachable at exit).
enum Fixture {
    static let linter = Linter()
    /// Paths the lint-configuration overrides are matched against.
    static let relativePaths = ["rules.yml", "rules/a.yml", "legacy/team/alerts.yaml", ".hidden/x.yml", "a b/[c].yml", ""]
}

/// `text` as a YAML double-quoted scalar: every byte that YAML would not keep as is, escaped.
func yamlQuoted(_ text: String) -> String {
    var out = "\""
    for s in text.unicodeScalars {
        switch s {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case " "..."~": out.unicodeScalars.append(s)
        default:
            let hex = String(s.value, radix: 16)
            out += "\\U" + String(repeating: "0", count: max(0, 8 - hex.count)) + hex
        }
    }
    return out + "\""
}

/// Lints arbitrary bytes through the Lint library's public API, as every kind of input it reads; none
/// of it may crash or hang:
///
/// 1. as standard input with every check on (the detector makes it a rule file, a prometheus.yml or a
///    unit-test file; its `rule_files` resolve inside the sandbox), as Prometheus 3 and as 2;
/// 2. as a `.promtool-swift.yml` (in memory: parsing, and the settings of several paths through the
///    override globs); when it parses, as the configuration of a run over the sandbox's rule and
///    unit-test files (reading its `metric_metadata`);
/// 3. as a `metric_metadata` file (exposition `# TYPE` lines or a metadata API response), looked up by
///    the names it mentions;
/// 4. as the values of a unit-test input series (the series-value counter behind `unittest/eval-after-input`);
/// 5. as the `.gitignore` of a walked directory, which may only ever drop files from the walk.
func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let text = String(decoding: bytes, as: UTF8.self)
    let root = Sandbox.root

    // 1. Standard input: a rule file, a prometheus.yml or a unit-test file.
    for version in [PrometheusVersion.v3, .v2] {
        var options = LintOptions(paths: ["-"], configFile: root + "/all.yml", workingDirectory: root + "/stdin",
                                  prometheusVersion: version)
        options.standardInput = bytes
        let result = Fixture.linter.run(options)
        _ = result.exitCode(failOn: .info)
        for d in result.diagnostics where d.file.isEmpty {
            fuzzInvariantFailed("a diagnostic without a file: \(d.check) \(d.message)")
        }
    }

    // 2. A lint configuration.
    let catalogue = Fixture.linter.catalogue
    switch LintConfiguration.parse(text, path: ".promtool-swift.yml", baseDirectory: root, catalogue: catalogue) {
    case .success(let configuration):
        for path in Fixture.relativePaths {
            _ = configuration.settings(forRelativePath: path, catalogue: catalogue)
        }
        Sandbox.put(root + "/input.yml", bytes)
        let result = Fixture.linter.run(LintOptions(paths: ["rules.yml", "tests.yml"], configFile: root + "/input.yml",
                                                    workingDirectory: root))
        _ = result.exitCode(failOn: .warning)
    case .failure(let error):
        if error.errors.isEmpty { fuzzInvariantFailed("a lint configuration rejected without an error") }
    }

    // 3. A metric_metadata file.
    var table = MetricTypeTable()
    _ = table.add(text, source: "metadata.prom")
    for name in table.types.keys.prefix(16) {
        guard table.type(of: name) != nil else { fuzzInvariantFailed("type of \(name) lost") }
        _ = table.type(of: name + "_total")
        _ = table.type(of: name + "_bucket")
    }
    for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" }).prefix(16) {
        _ = table.type(of: String(word))
    }

    // 4. Input-series values of a unit-test file.
    let unitTest = "tests:\n  - interval: 1m\n    input_series:\n      - series: m\n        values: \(yamlQuoted(text))\n"
    if let document = try? YAMLComposer.compose(unitTest).first {
        let view = UnitTestFileView(path: "tests.yml", document: document)
        guard let group = view.tests.first, let series = group.inputSeries.first else {
            fuzzInvariantFailed("the quoted values did not make an input series")
        }
        if series.values.value != text { fuzzInvariantFailed("the quoted values did not round-trip") }
        _ = series.lastSampleIndex
        _ = group.lastSampleMillis
    }

    // 5. A .gitignore: the walk keeps a subset of the tree.
    Sandbox.put(root + "/walk/.gitignore", bytes)
    let walked = Fixture.linter.run(LintOptions(paths: ["walk"], configFile: root + "/all.yml", workingDirectory: root))
    for file in walked.filesChecked where !Sandbox.walkable.contains(file) {
        fuzzInvariantFailed("the walk reported \(file)")
    }
    return 0
}

exit(runLibFuzzer(fuzzOne))
