import ConfigModel
import Foundation
import Testing

/// Installs this checkout's hooks with the real pre-commit framework in a scratch git repository and
/// checks that a commit of a bad rule file is rejected while a good one goes through.
///
/// The hooks in `.pre-commit-hooks.yaml` are `language: swift`, which makes pre-commit clone the
/// repository and run `swift build -c release` (minutes, and fetching dependencies). The test instead
/// copies each hook's id, entry, `files` and `types` into a `repo: local` configuration with
/// `language: system` and the already-built `promtool-swift` binary, so it exercises the published
/// patterns and entries without a second build.
@Suite(.serialized) struct PreCommitHookTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    struct Run {
        var status: Int32
        var output: String
    }

    static func run(_ args: [String], in dir: String, env extra: [String: String] = [:]) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        var env = ProcessInfo.processInfo.environment
        for (k, v) in extra { env[k] = v }
        p.environment = env
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// The built `promtool-swift` next to this test bundle (swift test builds every product).
    static func binary() -> String? {
        var candidates: [URL] = []
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent("promtool-swift"))
            dir = dir.deletingLastPathComponent()
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/promtool-swift"))
        return candidates.map(\.path).first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The hooks of `.pre-commit-hooks.yaml` as a `repo: local` configuration running `binary`.
    static func localConfig(binary: String) throws -> String {
        let text = try String(contentsOf: packageRoot.appendingPathComponent(".pre-commit-hooks.yaml"), encoding: .utf8)
        let docs = try YAMLComposer.compose(text)
        guard let root = docs.first, case .sequence(let hooks) = root.content else {
            throw CocoaError(.fileReadCorruptFile)
        }
        var out = "repos:\n  - repo: local\n    hooks:\n"
        for h in hooks {
            let id = h["id"]?.scalarValue ?? ""
            let entry = (h["entry"]?.scalarValue ?? "").replacingOccurrences(of: "promtool-swift", with: binary)
            out += "      - id: \(id)\n        name: \(id)\n        entry: '\(entry)'\n        language: system\n"
            if let files = h["files"]?.scalarValue { out += "        files: '\(files)'\n" }
            if let types = h["types"], case .sequence(let ts) = types.content {
                out += "        types: [\(ts.compactMap(\.scalarValue).joined(separator: ", "))]\n"
            }
            if h["require_serial"]?.scalarValue == "true" { out += "        require_serial: true\n" }
        }
        return out
    }

    @Test func manifestDeclaresTheThreeHooks() throws {
        let text = try String(contentsOf: Self.packageRoot.appendingPathComponent(".pre-commit-hooks.yaml"), encoding: .utf8)
        let docs = try YAMLComposer.compose(text)
        guard let root = docs.first, case .sequence(let hooks) = root.content else {
            Issue.record("manifest is not a list")
            return
        }
        #expect(hooks.compactMap { $0["id"]?.scalarValue } ==
            ["promtool-swift-check-config", "promtool-swift-check-rules", "promtool-swift-lint"])
        for h in hooks {
            #expect(h["language"]?.scalarValue == "swift")
            #expect(h["entry"]?.scalarValue?.hasPrefix("promtool-swift ") == true)
            #expect(h["files"] != nil || h["types"] != nil)
        }
    }

    @Test func badRuleFileCommitIsRejected() throws {
        guard let binary = Self.binary() else {
            Issue.record("promtool-swift binary not found next to the tests; build it (swift build) first")
            return
        }
        let fm = FileManager.default
        let repo = fm.temporaryDirectory.appendingPathComponent("precommit-\(UUID().uuidString)").path
        try fm.createDirectory(atPath: repo + "/rules", withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: repo) }
        let env = ["PRE_COMMIT_HOME": repo + "/.pre-commit-cache", "GIT_CONFIG_NOSYSTEM": "1",
                   "NO_COLOR": "1", "SKIP": ""]

        // The real framework: install it with pip when it is missing.
        if try Self.run(["python3", "-m", "pre_commit", "--version"], in: repo).status != 0 {
            let pip = try Self.run(["python3", "-m", "pip", "install", "--quiet", "pre-commit"], in: repo)
            #expect(pip.status == 0, "pip install pre-commit failed: \(pip.output)")
        }
        for cmd in [["git", "init", "-q"], ["git", "config", "user.email", "t@example.com"],
                    ["git", "config", "user.name", "t"], ["git", "config", "commit.gpgsign", "false"]] {
            #expect(try Self.run(cmd, in: repo).status == 0)
        }
        try Self.localConfig(binary: binary).write(toFile: repo + "/.pre-commit-config.yaml", atomically: true, encoding: .utf8)
        let install = try Self.run(["python3", "-m", "pre_commit", "install"], in: repo, env: env)
        #expect(install.status == 0, "pre-commit install failed: \(install.output)")

        // A good rule file is committed.
        try """
            groups:
              - name: good
                rules:
                  - alert: InstanceDown
                    expr: up == 0
                    for: 5m
                    labels: {severity: page}
                    annotations: {summary: "{{ $labels.instance }} is down"}

            """.write(toFile: repo + "/rules/good.yml", atomically: true, encoding: .utf8)
        #expect(try Self.run(["git", "add", "-A"], in: repo).status == 0)
        let good = try Self.run(["git", "commit", "-q", "-m", "good"], in: repo, env: env)
        #expect(good.status == 0, "good commit rejected:\n\(good.output)")

        // A rule file that loads but cannot work: the lint hook rejects the commit.
        try """
            groups:
              - name: bad
                rules:
                  - alert: HighLatency
                    expr: latency_seconds > 1
                    for: 5m
                    labels: {severity: page, latency: "{{ $value }}"}
                    annotations: {summary: slow}

            """.write(toFile: repo + "/rules/bad.yml", atomically: true, encoding: .utf8)
        #expect(try Self.run(["git", "add", "-A"], in: repo).status == 0)
        let bad = try Self.run(["git", "commit", "-q", "-m", "bad"], in: repo, env: env)
        #expect(bad.status != 0, "bad commit was accepted:\n\(bad.output)")
        #expect(bad.output.contains("promtool-swift-lint"), "\(bad.output)")
        #expect(bad.output.contains("rules/bad.yml:7:"), "\(bad.output)")
        #expect(bad.output.contains("[labels/value-in-label]"), "\(bad.output)")
        let log = try Self.run(["git", "log", "--oneline"], in: repo)
        #expect(log.output.split(separator: "\n").count == 1)

        // A rule file Prometheus cannot load: check rules (and lint) reject it.
        try "groups:\n  - name: broken\n    rules:\n      - alert: X\n        expr: sum(up\n"
            .write(toFile: repo + "/rules/bad.yml", atomically: true, encoding: .utf8)
        #expect(try Self.run(["git", "add", "-A"], in: repo).status == 0)
        let broken = try Self.run(["git", "commit", "-q", "-m", "broken"], in: repo, env: env)
        #expect(broken.status != 0)
        #expect(broken.output.contains("promtool-swift-check-rules"), "\(broken.output)")
        #expect(broken.output.contains("could not parse expression"), "\(broken.output)")

        // A configuration Prometheus cannot load: check config rejects it.
        _ = try Self.run(["git", "rm", "-q", "--cached", "rules/bad.yml"], in: repo)
        try FileManager.default.removeItem(atPath: repo + "/rules/bad.yml")
        try "global:\n  scrape_interval: 15s\n  scrape_timeout: 30s\n"
            .write(toFile: repo + "/prometheus.yml", atomically: true, encoding: .utf8)
        #expect(try Self.run(["git", "add", "-A"], in: repo).status == 0)
        let cfg = try Self.run(["git", "commit", "-q", "-m", "config"], in: repo, env: env)
        #expect(cfg.status != 0)
        #expect(cfg.output.contains("promtool-swift-check-config"), "\(cfg.output)")
        #expect(cfg.output.contains("scrape timeout greater than scrape interval"), "\(cfg.output)")
        #expect(try Self.run(["git", "log", "--oneline"], in: repo).output.split(separator: "\n").count == 1)
    }
}
