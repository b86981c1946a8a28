#if canImport(Glibc)
import Glibc
#endif
import Engine
import FuzzSupport

/// Writes arbitrary bytes as a block's `index` file and reads everything through `IndexReader`: label names and
/// values, postings for a few matchers, every series the postings name. Must never crash or allocate without
/// bound; every failure is a `DiskFormatError`. Each input is read twice: as is, and with every checksum the
/// layout points at recomputed (`fixChecksums`), so that mutations get past the CRC checks into the sections.
func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    readIndex(bytes)
    var fixed = bytes
    fixChecksums(&fixed)
    if fixed != bytes { readIndex(fixed) }
    return 0
}

func readIndex(_ bytes: [UInt8]) {
    let path = "/tmp/fuzz-tsdb-index-\(getpid())"
    guard let f = fopen(path, "wb") else { return }
    _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
    fclose(f)
    defer { unlink(path) }
    guard let r = try? IndexReader(path: path) else { return }
    for name in r.labelNames().prefix(8) {
        for value in r.labelValues(name).prefix(8) {
            for ref in (try? r.postings(name, value))?.prefix(16) ?? [] { _ = try? r.series(ref) }
        }
    }
    if let m = try? LabelMatcher(.regexMatch, "__name__", ".+"), let n = try? LabelMatcher(.notEqual, "job", "") {
        for ref in (try? r.postings(matching: [m, n]))?.prefix(64) ?? [] { _ = try? r.series(ref) }
    }
}

/// Recomputes (CRC32C, big-endian) the TOC checksum and those of the sections the TOC names: the length-prefixed
/// tables (symbols, label indices, label offset table, postings offset table), the postings lists between the
/// postings offset and the label offset table, and the 16-byte aligned series entries (uvarint length).
func fixChecksums(_ b: inout [UInt8]) {
    let tocSize = 6 * 8 + 4
    guard b.count >= 5 + tocSize else { return }
    let toc = b.count - tocSize
    putCRC(&b, over: toc..<(toc + 48))
    var offsets: [Int] = []
    for i in 0..<6 {
        var v: UInt64 = 0
        for j in 0..<8 { v = v << 8 | UInt64(b[toc + i * 8 + j]) }
        offsets.append(v < UInt64(toc) ? Int(v) : -1)
    }
    for o in [offsets[0], offsets[2], offsets[3], offsets[5]] where o > 0 { _ = fixTable(&b, at: o, limit: toc) }
    if offsets[4] > 0 {
        var at = offsets[4]
        let end = offsets[3] > offsets[4] ? offsets[3] : toc
        for _ in 0..<10_000 {
            guard at < end, let next = fixTable(&b, at: at, limit: end) else { break }
            at = next
        }
    }
    if offsets[1] > 0 {
        var at = offsets[1]
        let end = [offsets[2], offsets[4], toc].filter { $0 > offsets[1] }.min() ?? toc
        for _ in 0..<10_000 {
            at = (at + 15) / 16 * 16
            guard at < end else { break }
            var length = 0, shift = 0, p = at
            while p < end, shift < 35 {
                length |= Int(b[p] & 0x7F) << shift
                p += 1
                if b[p - 1] < 0x80 { break }
                shift += 7
            }
            guard length > 0, p + length + 4 <= end else { break }
            putCRC(&b, over: p..<(p + length))
            at = p + length + 4
        }
    }
}

/// A 4-byte length, the content, its CRC: recomputes the CRC; returns the offset after it, nil when it overruns.
func fixTable(_ b: inout [UInt8], at o: Int, limit: Int) -> Int? {
    guard o + 4 <= limit else { return nil }
    let length = Int(b[o]) << 24 | Int(b[o + 1]) << 16 | Int(b[o + 2]) << 8 | Int(b[o + 3])
    guard o + 4 + length + 4 <= limit else { return nil }
    putCRC(&b, over: (o + 4)..<(o + 4 + length))
    return o + 4 + length + 4
}

func putCRC(_ b: inout [UInt8], over r: Range<Int>) {
    let c = CRC32C.checksum(b[r])
    for i in 0..<4 { b[r.upperBound + i] = UInt8(truncatingIfNeeded: c >> UInt32(24 - 8 * i)) }
}

exit(runLibFuzzer(fuzzOne))
