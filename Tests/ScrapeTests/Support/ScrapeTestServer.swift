import TestSupport

/// The scrape tests' name for the shared test server (`TestSupport.TestHTTPServer`), playing a scrape target.
typealias ScrapeTestServer = TestHTTPServer

/// A gzip member holding `data` in stored (uncompressed) deflate blocks: enough to test that the scraper
/// asks for and decodes gzip, without a compression library in the tests.
func gzipStored(_ data: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
    var offset = 0
    repeat {
        let n = min(65535, data.count - offset)
        let last: UInt8 = offset + n == data.count ? 1 : 0
        out += [last, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
        out += data[offset..<(offset + n)]
        offset += n
    } while offset < data.count
    var crc: UInt32 = 0xFFFF_FFFF
    for b in data {
        crc ^= UInt32(b)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    crc = ~crc
    for v in [crc, UInt32(truncatingIfNeeded: data.count)] {
        for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) }
    }
    return out
}
