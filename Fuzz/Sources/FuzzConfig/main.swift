import ConfigModel
import FuzzSupport

/// Decodes arbitrary bytes as a prometheus.yml (strict decoding, defaults, validation); must never crash.
func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    // A fixed environment keeps `${VAR}` expansion in external labels deterministic.
    let environment: (String) -> String? = { $0 == "FUZZ" ? "value" : nil }
    if let config = try? PrometheusConfig.parse(bytes: bytes, environment: environment) {
        _ = config.scrapeConfigs.count
    }
    return 0
}

exit(runLibFuzzer(fuzzOne))
