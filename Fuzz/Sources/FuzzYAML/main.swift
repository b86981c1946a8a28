import ConfigModel
import FuzzSupport

/// Composes arbitrary bytes as YAML and decodes them as a strict mapping; must never crash.
func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let docs = try? YAMLComposer.compose(text) else { return 0 }
    for doc in docs {
        let decoder = YAMLDecoder()
        var m = decoder.mapping(doc, goType: "fuzz.plain")
        _ = try? m.decode("a", default: "")
        _ = try? m.decode("b", default: PromDuration.zero)
        _ = try? m.decode("c", default: [Int]())
        _ = try? m.decode("d", default: OrderedStringMap<String>())
        m.finish()
        _ = try? decoder.throwCollectedTypeErrors()
    }
    return 0
}

exit(runLibFuzzer(fuzzOne))
