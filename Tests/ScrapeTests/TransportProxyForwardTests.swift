import ConfigModel
import Engine
@testable import HTTPTransport
import ScrapeHTTP
import TestSupport
import Testing

/// A plain `http://` target behind `proxy_url` as Go's `net/http` reaches it: the request goes to the
/// proxy in absolute form (`GET http://host:port/metrics HTTP/1.1`) with `Proxy-Authorization` from the
/// proxy URL, no CONNECT; `proxy_connect_header` stays for CONNECT. A real forwarding proxy
/// (`TestSupport.ForwardProxy`) records what it got and passes the request on to a real target.
@Suite struct TransportProxyForwardTests {
    func proxiedJob(_ proxy: ForwardProxy, credentials: String = "", target: String = "metrics.test:9100", _ extra: String = "") throws -> ScrapeConfig {
        let lines = extra.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
        return try loadJob("""
        scrape_configs:
          - job_name: proxied
            proxy_url: http://\(credentials)\(proxy.address)
            static_configs: [{targets: ["\(target)"]}]
        \(lines)
        """)
    }

    @Test func aPlainScrapeGoesToTheProxyInAbsoluteFormWithItsCredentials() async throws {
        let target = try await ScrapeTestServer { _ in .init(text: "via_proxy 1\n") }
        let proxy = try await ForwardProxy(upstreamPort: target.port)
        let job = try proxiedJob(proxy, credentials: "pxuser:px-S3CRET@", "proxy_connect_header:\n  X-Proxy-Tenant: [blue]")
        let head = Head()
        let report = try await scrapeOnce(job, head: head)
        await proxy.stop()
        await target.stop()
        #expect(report.error == nil)
        #expect(metricNames(head).contains("via_proxy"))
        let r = try #require(proxy.requests.first)
        #expect(proxy.requests.count == 1)
        #expect(r.method == "GET")
        #expect(r.uri == "http://metrics.test:9100/metrics")
        // base64("pxuser:px-S3CRET")
        #expect(r.header("Proxy-Authorization") == "Basic cHh1c2VyOnB4LVMzQ1JFVA==")
        #expect(r.header("Host") == "metrics.test:9100")
        // Only CONNECT carries proxy_connect_header.
        #expect(r.header("X-Proxy-Tenant") == nil)
        #expect(target.requests.first?.uri == "/metrics")
        #expect(target.requests.first?.header("Host") == "metrics.test:9100")
    }

    @Test func paramsAndAuthorizationReachTheTargetThroughTheProxy() async throws {
        let target = try await ScrapeTestServer { _ in .init(text: "with_params 1\n") }
        let proxy = try await ForwardProxy(upstreamPort: target.port)
        let job = try proxiedJob(proxy, "params:\n  module: [if_mib]\nbasic_auth:\n  username: u\n  password: target-S3CRET")
        let report = try await scrapeOnce(job, head: Head())
        await proxy.stop()
        await target.stop()
        #expect(report.error == nil)
        #expect(proxy.requests.first?.uri == "http://metrics.test:9100/metrics?module=if_mib")
        #expect(proxy.requests.first?.header("Proxy-Authorization") == nil)
        // base64("u:target-S3CRET")
        #expect(target.requests.first?.header("Authorization") == "Basic dTp0YXJnZXQtUzNDUkVU")
    }

    @Test func gzipThroughTheProxyIsAskedForAndDecoded() async throws {
        let target = try await ScrapeTestServer { _ in
            .init(headers: [("Content-Type", ScrapeTestServer.Reply.textExposition), ("Content-Encoding", "gzip")],
                  body: gzipStored(Array("zipped_via_proxy 7\n".utf8)))
        }
        let proxy = try await ForwardProxy(upstreamPort: target.port)
        let head = Head()
        let report = try await scrapeOnce(try proxiedJob(proxy), head: head)
        await proxy.stop()
        await target.stop()
        #expect(report.error == nil)
        #expect(proxy.requests.first?.header("Accept-Encoding") == "gzip")
        #expect(samples(head, ["__name__": "zipped_via_proxy", "job": "proxied", "instance": "metrics.test:9100"]).map(\.float) == [7])
    }

    @Test func bodySizeLimitHoldsThroughTheProxy() async throws {
        let big = String(repeating: "big_metric 1\n", count: 200)
        let target = try await ScrapeTestServer { _ in .init(text: big) }
        let proxy = try await ForwardProxy(upstreamPort: target.port)
        let report = try await scrapeOnce(try proxiedJob(proxy, "body_size_limit: 1KB"), head: Head())
        await proxy.stop()
        await target.stop()
        #expect(report.errorKind == .bodySizeLimit)
        #expect(report.error == "body size limit exceeded")
    }

    @Test func aGzipBombIsStoppedAtTheLimitThroughTheProxy() async throws {
        let target = try await ScrapeTestServer { _ in
            .init(headers: [("Content-Type", ScrapeTestServer.Reply.textExposition), ("Content-Encoding", "gzip")],
                  body: gzipStored([UInt8](repeating: 0x41, count: 300_000)))
        }
        let proxy = try await ForwardProxy(upstreamPort: target.port)
        let report = try await scrapeOnce(try proxiedJob(proxy, "body_size_limit: 10KB"), head: Head())
        await proxy.stop()
        await target.stop()
        #expect(report.errorKind == .bodySizeLimit)
    }

    @Test func redirectsAreFollowedThroughTheProxy() async throws {
        let target = try await ScrapeTestServer { r in
            r.uri == "/metrics" ? .init(status: 302, headers: [("Location", "/real/metrics")]) : .init(text: "redirected_via_proxy 1\n")
        }
        let proxy = try await ForwardProxy(upstreamPort: target.port)
        let head = Head()
        let report = try await scrapeOnce(try proxiedJob(proxy, credentials: "pxuser:px-S3CRET@"), head: head)
        await proxy.stop()
        await target.stop()
        #expect(report.error == nil)
        #expect(metricNames(head).contains("redirected_via_proxy"))
        #expect(proxy.requests.map(\.uri) == ["http://metrics.test:9100/metrics", "http://metrics.test:9100/real/metrics"])
        #expect(proxy.requests.map { $0.header("Proxy-Authorization") } == Array(repeating: "Basic cHh1c2VyOnB4LVMzQ1JFVA==", count: 2))
        // Go's client names the previous URL.
        #expect(proxy.requests.last?.header("Referer") == "http://metrics.test:9100/metrics")
        // The scraper's headers are sent again on the redirected request.
        #expect(proxy.requests.last?.header("X-Prometheus-Scrape-Timeout-Seconds") != nil)
    }

    @Test func tenRequestsAtMostAsGoFollowsThem() async throws {
        let target = try await ScrapeTestServer { r in .init(status: 301, headers: [("Location", r.uri + "x")]) }
        let proxy = try await ForwardProxy(upstreamPort: target.port)
        // Ten hops on a loaded machine: the scrape's deadline is not what this test is about.
        let report = try await scrapeOnce(try proxiedJob(proxy, "scrape_interval: 2m\nscrape_timeout: 2m"), head: Head())
        await proxy.stop()
        await target.stop()
        #expect(proxy.requests.count == 10)
        // Go's *url.Error after CheckRedirect names the Location as written.
        #expect(report.error == "Get \"/metricsxxxxxxxxxx\": stopped after 10 redirects")
    }

    @Test func aRedirectNotFollowedThroughTheProxyIsAnHTTPStatusError() async throws {
        let target = try await ScrapeTestServer { _ in .init(status: 302, headers: [("Location", "/elsewhere")]) }
        let proxy = try await ForwardProxy(upstreamPort: target.port)
        let report = try await scrapeOnce(try proxiedJob(proxy, "follow_redirects: false"), head: Head())
        await proxy.stop()
        await target.stop()
        #expect(proxy.requests.count == 1)
        #expect(report.error == "server returned HTTP status 302 Found")
    }

    @Test func aProxyThatRefusesConnectionsIsAProxyconnectError() async throws {
        // A port that was just free: bind, note it, close.
        let closed = try await ScrapeTestServer { _ in .init(text: "") }
        let port = closed.port
        await closed.stop()
        let job = try loadJob("""
        scrape_configs:
          - job_name: proxied
            proxy_url: http://pxuser:px-S3CRET@127.0.0.1:\(port)
            static_configs: [{targets: ["metrics.test:9100"]}]
        """)
        let report = try await scrapeOnce(job, head: Head())
        #expect(report.error == "Get \"http://metrics.test:9100/metrics\": proxyconnect tcp: dial tcp 127.0.0.1:\(port): connect: connection refused")
        #expect(report.errorKind == .refused)
        #expect(!(report.error ?? "").contains("S3CRET"))
    }

    @Test func aTargetThatNeverAnswersTimesOutThroughTheProxy() async throws {
        let target = try await ScrapeTestServer { _ in .init(hang: true) }
        let proxy = try await ForwardProxy(upstreamPort: target.port)
        let report = try await scrapeOnce(try proxiedJob(proxy, "scrape_interval: 1s\nscrape_timeout: 500ms"), head: Head())
        await proxy.stop()
        await target.stop()
        #expect(report.errorKind == .timeout)
        #expect(report.error == "Get \"http://metrics.test:9100/metrics\": context deadline exceeded")
    }

    @Test func aTruncatedBodyThroughTheProxyIsUnexpectedEOF() async throws {
        let target = try await ScrapeTestServer { _ in
            var reply = ScrapeTestServer.Reply(body: Array("cut_short 1\n".utf8))
            reply.announcedLength = 1000
            return reply
        }
        let proxy = try await ForwardProxy(upstreamPort: target.port)
        let report = try await scrapeOnce(try proxiedJob(proxy), head: Head())
        await proxy.stop()
        await target.stop()
        #expect(report.error == "unexpected EOF")
    }

    /// The query client's path: a POST through the proxy in absolute form, body and all.
    @Test func aPostGoesThroughTheProxyWithItsBody() async throws {
        let target = try await ScrapeTestServer { r in .init(body: "{\"got\":\"\(r.bodyText)\"}") }
        let proxy = try await ForwardProxy(upstreamPort: target.port)
        let config = try HTTPClientConfigFile.parse(bytes: Array("proxy_url: http://\(proxy.address)\n".utf8), directory: "/")
        let transport = try HTTPTransport(config: config, environment: [:])
        defer { transport.shutdown() }
        guard case .success(let url) = GoURL.parse("http://prometheus.test:9090/api/v1/query") else { throw TransportError("bad test URL") }
        let response = try await transport.send(TransportRequest(method: .post, url: url, headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                                                 body: Array("query=up".utf8)), timeout: .seconds(5))
        await proxy.stop()
        await target.stop()
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "{\"got\":\"query=up\"}")
        #expect(proxy.requests.first?.method == "POST")
        #expect(proxy.requests.first?.uri == "http://prometheus.test:9090/api/v1/query")
        #expect(proxy.requests.first?.header("Content-Length") == "8")
    }

    @Test(arguments: [
        ("http://h.test/a/b/c?q=1", "/x", "http://h.test/x"),
        ("http://h.test/a/b/c?q=1", "d", "http://h.test/a/b/d"),
        ("http://h.test/a/b/c?q=1", "../d?z=2", "http://h.test/a/d?z=2"),
        ("http://h.test/a/b/c?q=1", "./", "http://h.test/a/b/"),
        ("http://h.test/a/b/c?q=1", "?z=2", "http://h.test/a/b/c?z=2"),
        ("http://h.test:81/a", "//other.test:82/p", "http://other.test:82/p"),
        ("http://h.test/a", "https://secure.test/s", "https://secure.test/s"),
        ("http://h.test", "m", "http://h.test/m"),
    ])
    func locationsResolveAsGoResolvesThem(_ base: String, _ location: String, _ expected: String) throws {
        guard case .success(let u) = GoURL.parse(base) else { throw TransportError("bad test URL") }
        guard case .success(let resolved) = u.resolvingReference(location) else { throw TransportError("did not resolve") }
        #expect(resolved.raw == expected)
    }

    @Test(arguments: [
        ("http://h.test", "/"),
        ("http://h.test?x=1", "/?x=1"),
        ("http://u:p@h.test:9/a/b?c=d#frag", "/a/b?c=d"),
    ])
    func requestURIIsPathAndQuery(_ url: String, _ expected: String) throws {
        guard case .success(let u) = GoURL.parse(url) else { throw TransportError("bad test URL") }
        #expect(u.requestURI == expected)
    }
}
