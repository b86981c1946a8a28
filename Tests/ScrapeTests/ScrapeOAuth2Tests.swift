#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ConfigModel
import Engine
import HTTPTransport
import ScrapeHTTP
import Synchronization
import Testing

/// OAuth 2.0 client credentials against a token endpoint started by the test: the token request as
/// golang.org/x/oauth2 sends it, the bearer token on the scrape, reuse until expiry, renewal after it,
/// and the token endpoint's errors in Go's words, never with the client secret.
@Suite struct ScrapeOAuth2Tests {
    /// A token endpoint handing out `tok-1`, `tok-2`, … valid for `expiresIn` seconds.
    final class TokenEndpoint: Sendable {
        let server: ScrapeTestServer

        init(expiresIn: Int, reply: ScrapeTestServer.Reply? = nil) async throws {
            let issued = Atomic<Int>(0)
            server = try await ScrapeTestServer { _ in
                if let reply { return reply }
                let n = issued.add(1, ordering: .relaxed).newValue
                return .init(text: #"{"access_token":"tok-\#(n)","token_type":"bearer","expires_in":\#(expiresIn)}"#,
                             contentType: "application/json")
            }
        }
        var url: String { "http://\(server.address)/oauth/token" }
    }

    /// A target that answers only `Bearer tok-*`.
    func protectedTarget() async throws -> ScrapeTestServer {
        try await ScrapeTestServer { r in
            (r.header("Authorization") ?? "").hasPrefix("Bearer tok-") ? .init(text: "m 1\n") : .init(status: 401, body: Array("denied".utf8))
        }
    }

    func oauthJob(_ target: ScrapeTestServer, tokenURL: String, secretLine: String = "client_secret: sup3r-s3cret") throws -> ScrapeConfig {
        try job(for: target, """
        oauth2:
          client_id: promtool
          \(secretLine)
          scopes: [metrics.read, "metrics:write"]
          token_url: \(tokenURL)
          endpoint_params:
            audience: prom
        """)
    }

    @Test func theTokenIsFetchedSentAndReusedUntilItExpires() async throws {
        let endpoint = try await TokenEndpoint(expiresIn: 3600)
        let target = try await protectedTarget()
        let job = try oauthJob(target, tokenURL: endpoint.url)
        let head = Head()
        let scraper = try TargetScraper(target: onlyTarget(job), job: job, head: head, fetcher: TransportScrapeFetcher(job: job))
        let first = await scraper.scrape(at: 1_000_000)
        let second = await scraper.scrape(at: 1_015_000)
        await target.stop()
        await endpoint.server.stop()
        #expect(first.error == nil && second.error == nil)
        #expect(target.requests.map { $0.header("Authorization") } == ["Bearer tok-1", "Bearer tok-1"])
        let tokenRequest = try #require(endpoint.server.requests.first)
        #expect(endpoint.server.requests.count == 1)
        #expect(tokenRequest.method == "POST")
        #expect(tokenRequest.uri == "/oauth/token")
        #expect(tokenRequest.header("Content-Type") == "application/x-www-form-urlencoded")
        // base64("promtool:sup3r-s3cret"): the client authenticates in the header first.
        #expect(tokenRequest.header("Authorization") == "Basic cHJvbXRvb2w6c3VwM3ItczNjcmV0")
        #expect(tokenRequest.bodyText == "audience=prom&grant_type=client_credentials&scope=metrics.read+metrics%3Awrite")
        #expect(tokenRequest.header("User-Agent") == ScrapeRequest.userAgent)
    }

    @Test func concurrentFirstRequestsShareOneTokenFetch() async throws {
        // A slow token endpoint, so the eight scrapes all ask for a token while the first fetch is under way.
        let issued = Atomic<Int>(0)
        let endpoint = try await ScrapeTestServer { _ in
            let n = issued.add(1, ordering: .relaxed).newValue
            return .init(headers: [("Content-Type", "application/json")],
                         body: Array(#"{"access_token":"tok-\#(n)","token_type":"bearer","expires_in":3600}"#.utf8), delayMillis: 300)
        }
        let target = try await protectedTarget()
        let job = try oauthJob(target, tokenURL: "http://\(endpoint.address)/oauth/token")
        let fetcher = try TransportScrapeFetcher(job: job)
        let scrapeTarget = try onlyTarget(job)
        let reports = await withTaskGroup(of: ScrapeReport.self, returning: [ScrapeReport].self) { group in
            for i in 0..<8 {
                group.addTask {
                    await TargetScraper(target: scrapeTarget, job: job, head: Head(), fetcher: fetcher).scrape(at: 1_000_000 + Int64(i))
                }
            }
            var all: [ScrapeReport] = []
            for await r in group { all.append(r) }
            return all
        }
        await target.stop()
        await endpoint.stop()
        #expect(reports.allSatisfy { $0.error == nil })
        #expect(endpoint.requests.count == 1)
        #expect(target.requests.map { $0.header("Authorization") } == Array(repeating: "Bearer tok-1", count: 8))
    }

    @Test func anExpiredTokenIsRenewed() async throws {
        // 10 s is Go's expiry margin: such a token is already due for renewal at the next request.
        let endpoint = try await TokenEndpoint(expiresIn: 10)
        let target = try await protectedTarget()
        let job = try oauthJob(target, tokenURL: endpoint.url)
        let scraper = try TargetScraper(target: onlyTarget(job), job: job, head: Head(), fetcher: TransportScrapeFetcher(job: job))
        _ = await scraper.scrape(at: 1_000_000)
        _ = await scraper.scrape(at: 1_015_000)
        await target.stop()
        await endpoint.server.stop()
        #expect(target.requests.map { $0.header("Authorization") } == ["Bearer tok-1", "Bearer tok-2"])
    }

    @Test func theSecretFileIsReadAndTheSecretNeverPrinted() async throws {
        let endpoint = try await TokenEndpoint(expiresIn: 0, reply: .init(
            status: 401, headers: [("Content-Type", "application/json")],
            body: Array(#"{"error":"invalid_client","error_description":"unknown client"}"#.utf8)))
        let target = try await protectedTarget()
        let path = try temporaryFile("oauth-secret", contents: "file-s3cret-value\n")
        let job = try oauthJob(target, tokenURL: endpoint.url, secretLine: "client_secret_file: \(path)")
        let report = try await scrapeOnce(job, head: Head())
        await target.stop()
        await endpoint.server.stop()
        #expect(report.error == "Get \"http://\(target.address)/metrics\": oauth2: \"invalid_client\" \"unknown client\"")
        #expect(!(report.error ?? "").contains("file-s3cret-value"))
        // The header try failed, so the secret went in the form the second time (golang.org/x/oauth2's probe).
        #expect(endpoint.server.requests.count == 2)
        #expect(endpoint.server.requests.last?.bodyText.contains("client_id=promtool&client_secret=file-s3cret-value") == true)
        #expect(target.requests.isEmpty)
    }

    @Test func aTokenEndpointWithoutJSONErrorShowsStatusAndBody() async throws {
        let endpoint = try await TokenEndpoint(expiresIn: 0, reply: .init(status: 500, headers: [("Content-Type", "text/html")],
                                                                            body: Array("<h1>down</h1>".utf8)))
        let target = try await protectedTarget()
        let report = try await scrapeOnce(try oauthJob(target, tokenURL: endpoint.url), head: Head())
        await target.stop()
        await endpoint.server.stop()
        #expect(report.error == "Get \"http://\(target.address)/metrics\": oauth2: cannot fetch token: 500 Internal Server Error\nResponse: <h1>down</h1>")
        #expect(!(report.error ?? "").contains("sup3r-s3cret"))
    }

    @Test func anUnreachableTokenEndpointIsTheConnectionError() async throws {
        let target = try await protectedTarget()
        let report = try await scrapeOnce(try oauthJob(target, tokenURL: "http://127.0.0.1:9/token"), head: Head())
        await target.stop()
        #expect(report.error == "Get \"http://\(target.address)/metrics\": Post \"http://127.0.0.1:9/token\": dial tcp 127.0.0.1:9: connect: connection refused")
    }
}

/// A file with `contents` in a fresh temporary directory.
func temporaryFile(_ name: String, contents: String) throws -> String {
    var template = Array("/tmp/promtool-swift-\(name)-XXXXXX".utf8CString)
    let dir = template.withUnsafeMutableBufferPointer { buf in buf.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) } }
    let path = try #require(dir) + "/" + name
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { throw TransportError("cannot create \(path)") }
    defer { close(fd) }
    let bytes = Array(contents.utf8)
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    guard written == bytes.count else { throw TransportError("cannot write \(path)") }
    return path
}
