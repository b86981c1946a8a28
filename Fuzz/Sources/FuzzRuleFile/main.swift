import ConfigModel
import Engine
import FuzzSupport

/// Checkers in static storage (true globals: LeakSanitizer sees them as reachable at exit).
enum Fixture {
    /// All PromQL features on, so the expression path reaches every parser branch.
    static let checker = RuleCheckFeatures.makeChecker(options: RuleCheckOptions(), features: RuleCheckFeatures.known)
    static let legacyChecker = RuleCheckFeatures.makeChecker(
        options: RuleCheckOptions(ignoreUnknownFields: true, nameValidation: .legacy), features: [])
}

/// Loads arbitrary bytes as a rule file, validates it (ConfigModel alone, then with the real PromQL and
/// alert-template parsers via `RuleFileChecker`), and renders promtool's output; must never crash.
func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    for ignore in [false, true] {
        let loaded = RuleFile.load(bytes: bytes, ignoreUnknownFields: ignore)
        if let file = loaded.file {
            _ = file.validate()
            _ = file.ruleCount
            _ = DuplicateRuleLint.duplicates(in: file)
        }
    }
    let analysed = Fixture.checker.analyse(bytes: bytes)
    if analysed.file != nil {
        _ = Fixture.legacyChecker.analyse(bytes: bytes)
        _ = Fixture.checker.checkStandardInput(bytes).output.count
    }
    return 0
}

exit(runLibFuzzer(fuzzOne))
