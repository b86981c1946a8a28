import ConfigModel
import Engine
import FuzzSupport

/// All PromQL features on, so the expression path reaches every parser branch.
let checker = RuleCheckFeatures.makeChecker(options: RuleCheckOptions(), features: RuleCheckFeatures.known)
let legacyChecker = RuleCheckFeatures.makeChecker(
    options: RuleCheckOptions(ignoreUnknownFields: true, nameValidation: .legacy), features: [])

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
    let analysed = checker.analyse(bytes: bytes)
    if analysed.file != nil {
        _ = legacyChecker.analyse(bytes: bytes)
        _ = checker.checkStandardInput(bytes).output.count
    }
    return 0
}

exit(runLibFuzzer(fuzzOne))
