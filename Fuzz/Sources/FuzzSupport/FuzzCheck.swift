#if canImport(Glibc)
import Glibc
#endif

/// Reports a broken invariant on stderr and aborts, so libFuzzer records the input as a crash.
public func fuzzInvariantFailed(_ message: String) -> Never {
    let text = Array("FUZZ INVARIANT FAILED: \(message)\n".utf8)
    _ = text.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    abort()
}

/// The fuzz input as a byte array.
public func fuzzBytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: data, count: size))
}
