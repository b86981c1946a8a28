// Phase timings of `check rules`, `check config` and `lint`, calling the libraries directly (no CLI, no
// dispatch, so it also runs under valgrind --tool=callgrind). Shows where the time of the run.py cases goes.
//
// Usage: CheckBench RULES.yml [CONFIG.yml|-] [LINT_CONFIG.yml|-] [ROUNDS=5]
//   (scripts/bench/run.py prints the directory holding its generated inputs.)
import ConfigModel
import BenchSupport
import Engine
import Foundation
import Lint

let args = Array(CommandLine.arguments.dropFirst())
guard let rulesPath = args.first else {
    print("usage: CheckBench RULES.yml [CONFIG.yml] [LINT_CONFIG.yml] [ROUNDS=5]")
    exit(2)
}
// "-" skips the config or lint part.
let configPath = args.count > 1 && args[1] != "-" ? args[1] : nil
let lintConfigPath = args.count > 2 && args[2] != "-" ? args[2] : nil
let rounds = args.count > 3 ? max(1, Int(args[3]) ?? 5) : 5
let clock = ContinuousClock()

/// Runs `body` `rounds` times and prints the median wall and process-CPU times.
func phase<T>(_ name: String, _ body: () -> T) -> T {
    var times: [Double] = []
    var cpus: [Double] = []
    var last: T?
    for _ in 0..<rounds {
        var value: T?
        let c0 = processCPUSeconds()
        let d = clock.measure { value = body() }
        cpus.append(processCPUSeconds() - c0)
        times.append(seconds(d))
        last = value
    }
    times.sort()
    cpus.sort()
    print("  \(name.padding(toLength: 52, withPad: " ", startingAt: 0)) \(String(format: "%8.1f", times[times.count / 2] * 1000)) ms wall"
        + " \(String(format: "%8.1f", cpus[cpus.count / 2] * 1000)) ms CPU")
    guard let last else { preconditionFailure("rounds >= 1") }
    return last
}

guard let data = FileManager.default.contents(atPath: rulesPath) else {
    print("cannot read \(rulesPath)")
    exit(1)
}
let bytes = [UInt8](data)
print("check rules \(rulesPath) (\(bytes.count) bytes), median of \(rounds):")
let checker = RuleCheckFeatures.makeChecker(options: RuleCheckOptions(), features: [])
let text = phase("UTF-8 validation (String(validating:))") { String(validating: bytes, as: UTF8.self) ?? "" }
_ = phase("YAMLComposer.compose (libyaml → Node tree)") { (try? YAMLComposer.compose(text))?.count ?? -1 }
let loaded = phase("RuleFile.load (compose + decode)") { RuleFile.load(bytes: bytes) }
guard let file = loaded.file else {
    print("does not load: \(loaded.errors.map(\.message))")
    exit(1)
}
let exprs = file.groups.flatMap { $0.rules.map(\.exprText) }
_ = phase("PromQLParser.parse × \(exprs.count) expressions") {
    exprs.reduce(0) { n, e in (try? PromQLParser.parse(e)) == nil ? n : n + 1 }
}
let templates = file.groups.flatMap { g in g.rules.flatMap { r in r.annotations.map { (r.alert?.value ?? "", $0.value.value) } } }
let tp = GoAlertTemplateParser()
_ = phase("template check × \(templates.count) (a thread each, standalone)") {
    templates.reduce(0) { n, t in tp.failure(parsingTemplate: t.1, alertName: t.0) == nil ? n : n + 1 }
}
_ = phase("RuleFile.validate (plain hooks, sequential)") { file.validate(checker.validationOptions).count }
_ = phase("DuplicateRuleLint.duplicates") { DuplicateRuleLint.duplicates(in: file).count }
_ = phase("RuleFileChecker.check (all of check rules, parallel)") {
    checker.check(bytes: bytes, name: rulesPath, errorPrefix: "", positionName: rulesPath).output.count
}

if let configPath {
    print("check config \(configPath), median of \(rounds):")
    let cfg = phase("PrometheusConfig.load") { (try? PrometheusConfig.load(path: configPath)) != nil }
    if !cfg { print("  (config does not load)") }
    let result = phase("ConfigChecker.check (load + post-load checks)") { ConfigChecker.check(path: configPath) }
    _ = phase("check each of \(result.ruleFiles.count) rule files") {
        result.ruleFiles.reduce(0) { $0 + checker.checkFile(path: $1).output.count }
    }
}

if let lintConfigPath {
    print("lint \(lintConfigPath) \(rulesPath), median of \(rounds):")
    _ = phase("Linter.run") {
        Linter(catalogue: CheckCatalogue.standard).run(LintOptions(paths: [lintConfigPath, rulesPath])).diagnostics.count
    }
}
