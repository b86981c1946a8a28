#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ConfigModel
import Engine
import ScrapeHTTP
import Testing

/// Targets that misbehave: redirects, a gzip bomb, a truncated body, a server that never answers, an
/// HTML error page, invalid UTF-8. Each scrape fails (`up` 0) with Prometheus 3.14's reason, nothing else
/// is affected, and credentials never appear in what is reported.
@Suite struct ScrapeHostileTargetTests {
    func redirecting() async throws -> ScrapeTestServer {
        try await ScrapeTestServer { r in
            r.uri == "/metrics" ? .init(status: 302, headers: [("Location", "/real-metrics")]) : .init(text: "moved_metric 1\n")
        }
    }

    @Test func redirectsAreFollowedByDefault() async throws {
        let server = try await redirecting()
        let head = Head()
        let report = try await scrapeOnce(try job(for: server), head: head)
        await server.stop()
        #expect(report.error == nil)
        #expect(server.requests.map(\.uri) == ["/metrics", "/real-metrics"])
        #expect(metricNames(head).contains("moved_metric"))
    }

    @Test func aRedirectNotFollowedIsAnHTTPStatusError() async throws {
        let server = try await redirecting()
        let report = try await scrapeOnce(try job(for: server, "follow_redirects: false"), head: Head())
        await server.stop()
        #expect(report.error == "server returned HTTP status 302 Found")
        #expect(server.requests.map(\.uri) == ["/metrics"])
    }

    @Test func aGzipBombStopsAtTheBodySizeLimit() async throws {
        // 16 MiB of zeros in about 100 KB: less than the 512 KiB limit compressed, far more decompressed.
        let bomb = gzipZeros(count: 16 << 20)
        #expect(bomb.count < 512 << 10)
        let server = try await ScrapeTestServer { _ in
            .init(headers: [("Content-Type", "text/plain; version=0.0.4"), ("Content-Encoding", "gzip")], body: bomb)
        }
        let report = try await scrapeOnce(try job(for: server, "body_size_limit: 512KiB"), head: Head())
        await server.stop()
        #expect(report.error == "body size limit exceeded")
        #expect(report.errorKind == .bodySizeLimit)
    }

    @Test func theBombGeneratorMakesValidGzip() async throws {
        // The same generator, small enough to be decoded in full: it is a real gzip stream of zeros
        // (zero bytes are not a valid exposition, so the parser rejects what the decoder produced).
        let server = try await ScrapeTestServer { _ in
            .init(headers: [("Content-Type", "text/plain; version=0.0.4"), ("Content-Encoding", "gzip")], body: gzipZeros(count: 1000))
        }
        let report = try await scrapeOnce(try job(for: server), head: Head())
        await server.stop()
        #expect(report.errorKind != .bodySizeLimit)
        #expect(report.error?.contains("gzip") != true)
        #expect(report.error?.contains("Get ") != true, "the transport failed: \(report.error ?? "")")
    }

    @Test func aTruncatedBodyFailsTheScrape() async throws {
        let server = try await ScrapeTestServer { _ in
            var r = ScrapeTestServer.Reply(text: "a 1\nb 2\n")
            r.announcedLength = 4096
            return r
        }
        let report = try await scrapeOnce(try job(for: server), head: Head())
        await server.stop()
        #expect(!report.up)
        // Prometheus 3.14: the body read fails with Go's bare io.ErrUnexpectedEOF.
        #expect(report.error == "unexpected EOF")
        #expect(report.samplesScraped == 0)
    }

    @Test func aServerThatNeverAnswersTimesOutAndOthersAreUnaffected() async throws {
        let silent = try await ScrapeTestServer { _ in .init(hang: true) }
        let healthy = try await ScrapeTestServer { _ in .init(text: "ok 1\n") }
        let head = Head()
        let silentJob = try job(for: silent, "scrape_interval: 2s\nscrape_timeout: 500ms")
        let healthyJob = try job(for: healthy, "scrape_interval: 2s\nscrape_timeout: 500ms")
        async let stuck = scrapeOnce(silentJob, head: head)
        async let fine = scrapeOnce(healthyJob, head: head)
        let (a, b) = try await (stuck, fine)
        await silent.stop()
        await healthy.stop()
        #expect(a.error == "Get \"http://\(silent.address)/metrics\": context deadline exceeded")
        #expect(a.errorKind == .timeout)
        #expect(b.error == nil)
        #expect(samples(head, ["__name__": "ok", "instance": healthy.address, "job": "test"]).count == 1)
    }

    @Test func anHTMLErrorPageIsTheStatus() async throws {
        let server = try await ScrapeTestServer { _ in
            .init(status: 500, headers: [("Content-Type", "text/html")], body: Array("<html><h1>Internal error</h1></html>".utf8))
        }
        let report = try await scrapeOnce(try job(for: server), head: Head())
        await server.stop()
        #expect(report.error == "server returned HTTP status 500 Internal Server Error")
    }

    @Test func invalidUTF8InALabelValueFailsTheScrape() async throws {
        let body: [UInt8] = Array("good 1\nbad{l=\"".utf8) + [0xFF, 0xFE] + Array("\"} 2\n".utf8)
        let server = try await ScrapeTestServer { _ in .init(body: body) }
        let head = Head()
        let report = try await scrapeOnce(try job(for: server), head: head)
        await server.stop()
        // Prometheus's text parser: the value token as Go's %q prints bytes.
        #expect(report.error?.contains(#"invalid UTF-8 label value: "\"\xff\xfe\"""#) == true, "\(report.error ?? "nil")")
        #expect(!metricNames(head).contains("good"))
    }

    @Test func headerFilesAreReadAtEachScrape() async throws {
        let server = try await ScrapeTestServer { _ in .init(text: "m 1\n") }
        let path = try temporaryFile("tenant", contents: "team-a\n")
        let job = try job(for: server, "http_headers:\n  X-Tenant:\n    files: [\(path)]")
        let scraper = try TargetScraper(target: onlyTarget(job), job: job, head: Head(), fetcher: TransportScrapeFetcher(job: job))
        let first = await scraper.scrape(at: 1_000_000)
        unlink(path)
        let second = await scraper.scrape(at: 1_015_000)
        await server.stop()
        #expect(first.error == nil)
        #expect(server.requests.first?.header("X-Tenant") == "team-a")
        #expect(second.error == "Get \"http://\(server.address)/metrics\": unable to read headers file \(path): open \(path): no such file or directory")
    }

    /// Every failure a target can cause, with basic auth and then a bearer token configured: neither the
    /// password nor the token is in any error.
    @Test(arguments: [
        "basic_auth:\n  username: scraper\n  password: pw-S3CRET-9",
        "authorization:\n  credentials: tok-S3CRET-9",
        "bearer_token: tok-S3CRET-9",
    ])
    func credentialsNeverAppearInErrors(_ auth: String) async throws {
        let replies: [ScrapeTestServer.Reply] = [
            .init(status: 401, body: Array("unauthorized".utf8)),
            .init(hang: true),
            .init(headers: [("Content-Type", "text/html")], body: Array("<html/>".utf8)),
            .init(status: 302, headers: [("Location", "http://127.0.0.1:9/elsewhere")]),
        ]
        var errors: [String] = []
        for reply in replies {
            let server = try await ScrapeTestServer { _ in reply }
            let report = try await scrapeOnce(try job(for: server, "scrape_interval: 2s\nscrape_timeout: 300ms\n" + auth), head: Head())
            await server.stop()
            errors.append(report.error ?? "")
        }
        let gone = try loadJob("scrape_configs:\n  - job_name: gone\n    static_configs: [{targets: [\"127.0.0.1:9\"]}]\n"
            + auth.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        errors.append(try await scrapeOnce(gone, head: Head()).error ?? "")
        #expect(errors.allSatisfy { !$0.isEmpty })
        #expect(errors.allSatisfy { !$0.contains("S3CRET") }, "\(errors)")
    }
}

/// A gzip member whose deflate data (one fixed-Huffman block) expands to `count` zero bytes: one literal,
/// then copies of 258 bytes at distance 1, 13 bits each, so about 1/160 of the output size.
func gzipZeros(count: Int) -> [UInt8] {
    var bits = DeflateBitWriter()
    bits.write(1, count: 1)  // BFINAL
    bits.write(1, count: 2)  // BTYPE 01: fixed Huffman codes
    bits.writeCode(0b0011_0000, length: 8)  // literal 0
    var left = count - 1
    while left > 0 {
        let n = min(258, left)
        if n >= 3 {
            // Lengths 3...258 in the fixed code: 257...285 with extra bits; 258 is code 285 alone.
            if n == 258 {
                bits.writeCode(0b1100_0101, length: 8)
            } else {
                let (code, extraBits, base) = lengthCode(n)
                if code <= 279 { bits.writeCode(UInt32(code - 256), length: 7) } else { bits.writeCode(UInt32(0b1100_0000 + code - 280), length: 8) }
                bits.write(UInt32(n - base), count: extraBits)
            }
            bits.writeCode(0, length: 5)  // distance code 0: distance 1
            left -= n
        } else {
            for _ in 0..<n { bits.writeCode(0b0011_0000, length: 8) }
            left -= n
        }
    }
    bits.writeCode(0, length: 7)  // end of block
    var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
    out += bits.flushed
    let crc = crc32OfZeros(count)
    for v in [crc, UInt32(truncatingIfNeeded: count)] {
        for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) }
    }
    return out
}

/// Deflate's length code for a copy of `n` (3...257) bytes: code, extra bits, base length.
private func lengthCode(_ n: Int) -> (Int, Int, Int) {
    let bases = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227]
    let extra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5]
    var i = bases.count - 1
    while bases[i] > n { i -= 1 }
    return (257 + i, extra[i], bases[i])
}

/// CRC-32 (IEEE) of `count` zero bytes, table-driven.
private func crc32OfZeros(_ count: Int) -> UInt32 {
    var table = [UInt32](repeating: 0, count: 256)
    for i in 0..<256 {
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 == 1 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
        table[i] = c
    }
    var crc: UInt32 = 0xFFFF_FFFF
    for _ in 0..<count { crc = table[Int(crc & 0xFF)] ^ (crc >> 8) }
    return ~crc
}

/// Deflate's bit order: fields least-significant bit first, Huffman codes most-significant bit first.
private struct DeflateBitWriter {
    var bytes: [UInt8] = []
    private var current: UInt8 = 0
    private var used = 0

    mutating func write(_ value: UInt32, count: Int) {
        for i in 0..<count { put(UInt8((value >> UInt32(i)) & 1)) }
    }

    mutating func writeCode(_ code: UInt32, length: Int) {
        for i in stride(from: length - 1, through: 0, by: -1) { put(UInt8((code >> UInt32(i)) & 1)) }
    }

    private mutating func put(_ bit: UInt8) {
        current |= bit << UInt8(used)
        used += 1
        if used == 8 {
            bytes.append(current)
            current = 0
            used = 0
        }
    }

    /// The bytes with the last partial byte flushed.
    var flushed: [UInt8] { used > 0 ? bytes + [current] : bytes }
}
