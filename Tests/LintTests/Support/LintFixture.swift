import Foundation
@testable import Lint

/// A temporary directory with files written into it, linted with the standard catalogue.
struct LintFixture {
    let root: String

    init(_ files: [String: String]) throws {
        let base = FileManager.default.temporaryDirectory.path + "/lint-test-" + UUID().uuidString
        root = base
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        // A .git marker so that the lint configuration search stops here.
        try FileManager.default.createDirectory(atPath: base + "/.git", withIntermediateDirectories: true)
        for (name, text) in files {
            let path = base + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    func lint(_ paths: [String] = ["."], configFile: String? = nil,
              version: PrometheusVersion? = nil) -> LintResult {
        Linter().run(LintOptions(paths: paths, configFile: configFile, workingDirectory: root,
                                 prometheusVersion: version))
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }
}

/// Lints the given files and returns the diagnostics (the directory is removed afterwards).
func lintFiles(_ files: [String: String], paths: [String] = ["."], version: PrometheusVersion? = nil) throws
    -> [Diagnostic]
{
    let f = try LintFixture(files)
    defer { f.remove() }
    return f.lint(paths, version: version).diagnostics
}

/// The diagnostics of check `id` on a rule file with one group holding `rules`, beside the `extra` files.
func lintRules(_ rules: String, _ id: CheckID, extra: [String: String] = [:]) throws -> [Diagnostic] {
    var files = extra
    files["r.yml"] = ruleFile(rules)
    return only(id, try lintFiles(files))
}

/// Diagnostics of one check.
func only(_ id: CheckID, _ ds: [Diagnostic]) -> [Diagnostic] { ds.filter { $0.check == id } }

/// A rule file with one group holding `rules` (YAML text of the rule list items, indented by 6).
func ruleFile(_ rules: String, groupExtra: String = "") -> String {
    "groups:\n  - name: g\n" + groupExtra + "    rules:\n" + rules
}

/// A well-formed alert that satisfies the default required labels/annotations, as a rule list item.
func alert(_ name: String, expr: String, labels: String = "severity: page", extra: String = "") -> String {
    var s = "      - alert: \(name)\n        expr: \(expr)\n        labels: {\(labels)}\n"
    s += "        annotations: {summary: something is wrong}\n"
    if !extra.isEmpty { s += "        " + extra + "\n" }
    return s
}

/// A recording rule list item.
func record(_ name: String, expr: String, extra: String = "") -> String {
    var s = "      - record: \(name)\n        expr: \(expr)\n"
    if !extra.isEmpty { s += "        " + extra + "\n" }
    return s
}
