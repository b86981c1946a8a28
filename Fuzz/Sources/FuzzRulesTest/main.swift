import ConfigModel
import Engine
import FuzzSupport

/// Parses arbitrary bytes as a `promtool test rules` file (`UnitTestFile.parse`: strict yaml.v2 decoding of
/// test groups, input series, alert and expression tests, `start_timestamp`); must never crash. Files without
/// `rule_files` (so nothing outside the input is read) are also run, with small sample and step limits:
/// series notation, evaluation loop, alert and sample comparison and the output rendering must not crash.
func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let file = try? UnitTestFile.parse(bytes: bytes) else { return 0 }
    guard file.ruleFiles.isEmpty else { return 0 }
    var options = RulesTestOptions(maxInputSamples: 20_000, maxEvaluationSteps: 2_000)
    options.parserOptions.durationExpressions = true
    guard let runner = try? RulesTestRunner(options: options) else { return 0 }
    let result = runner.run(bytes: bytes, path: "/nonexistent-fuzz-dir/test.yml")
    var sink = result.output.reduce(0) { $0 &+ $1.text.utf8.count }
    sink &+= RulesTestJUnit.xml([result], timestamp: "2006-01-02T15:04:05").utf8.count
    sink &+= RulesTestJSON.render([result]).utf8.count
    return sink == Int.min ? 1 : 0
}

exit(runLibFuzzer(fuzzOne))
