import Engine
import FuzzSupport

/// Decodes arbitrary bytes as each Prometheus chunk encoding (XOR, histogram, float histogram); the first byte
/// picks the encoding. Must never crash; a decoded chunk never yields more samples than its header announces.
func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard let first = bytes.first, let e = ChunkEncoding(rawValue: first % 7) else { return 0 }
    let body = Array(bytes.dropFirst())
    if let samples = try? ChunkSamples.decode(encoding: e, bytes: body) {
        let announced = body.count >= 2 ? Int(body[0]) << 8 | Int(body[1]) : 0
        if samples.count > announced { fuzzInvariantFailed("\(samples.count) samples from a chunk announcing \(announced)") }
    }
    return 0
}

exit(runLibFuzzer(fuzzOne))
