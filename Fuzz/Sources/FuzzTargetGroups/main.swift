// The file_sd decoders are internal to ConfigModel (reachable only through a file path); debug builds
// enable testability, so the target reaches them directly instead of writing a file per input.
@testable import ConfigModel
import FuzzSupport

/// Decodes arbitrary bytes as a file_sd target-group file, both as JSON (our JSON reader, unknown fields
/// rejected) and as YAML (strict); must never crash.
func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    _ = try? TargetGroupFile.decodeJSON(bytes, path: "fuzz.json")
    _ = try? TargetGroupFile.decodeYAML(bytes, path: "fuzz.yml")
    return 0
}

exit(runLibFuzzer(fuzzOne))
