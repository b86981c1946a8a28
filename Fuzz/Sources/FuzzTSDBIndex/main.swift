#if canImport(Glibc)
import Glibc
#endif
import Engine
import FuzzSupport

/// Writes arbitrary bytes as a block's `index` file and reads everything through `IndexReader`: label names and
/// values, postings for a few matchers, every series the postings name. Must never crash or allocate without
/// bound; every failure is a `DiskFormatError`.
func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let path = "/tmp/fuzz-tsdb-index-\(getpid())"
    guard let f = fopen(path, "wb") else { return 0 }
    _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
    fclose(f)
    defer { unlink(path) }
    guard let r = try? IndexReader(path: path) else { return 0 }
    for name in r.labelNames().prefix(8) {
        for value in r.labelValues(name).prefix(8) {
            for ref in (try? r.postings(name, value))?.prefix(16) ?? [] { _ = try? r.series(ref) }
        }
    }
    if let m = try? LabelMatcher(.regexMatch, "__name__", ".+"), let n = try? LabelMatcher(.notEqual, "job", "") {
        for ref in (try? r.postings(matching: [m, n]))?.prefix(64) ?? [] { _ = try? r.series(ref) }
    }
    return 0
}

exit(runLibFuzzer(fuzzOne))
