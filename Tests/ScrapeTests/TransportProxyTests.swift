import ConfigModel
import Engine
import HTTPTransport
import ScrapeHTTP
import TestSupport
import Testing

/// Proxies as Prometheus's client picks them: `proxy_url` for every request, `no_proxy` and
/// `proxy_from_environment` with Go's httpproxy rules (never for loopback), `proxy_connect_header` on
/// CONNECT. HTTPS goes through a CONNECT tunnel; plain HTTP goes to the proxy in absolute form, as Go
/// sends it (`TransportProxyForwardTests`). The "proxy" here is mostly a local server that records what
/// it got and refuses it (403): what it saw shows which requests were proxied, and with which headers.
@Suite struct TransportProxyTests {
    func proxyServer() async throws -> ScrapeTestServer {
        try await ScrapeTestServer { _ in .init(status: 403) }
    }

    func transport(_ yaml: String, environment: [String: String] = [:]) throws -> HTTPTransport {
        let config = try HTTPClientConfigFile.parse(bytes: Array(yaml.utf8), directory: "/")
        return try HTTPTransport(config: config, environment: environment)
    }

    func get(_ t: HTTPTransport, _ url: String) async throws -> Result<TransportResponse, TransportError> {
        guard case .success(let u) = GoURL.parse(url) else { throw TransportError("bad test URL") }
        do { return .success(try await t.send(TransportRequest(method: .get, url: u), timeout: .seconds(5))) } catch { return .failure(error) }
    }

    @Test func aProxyRefusingAPlainScrapeIsAnHTTPStatusError() async throws {
        let proxy = try await proxyServer()
        let job = try loadJob("""
        scrape_configs:
          - job_name: proxied
            proxy_url: http://pxuser:px-S3CRET@\(proxy.address)
            static_configs: [{targets: ["target.test:9100"]}]
        """)
        let report = try await scrapeOnce(job, head: Head())
        await proxy.stop()
        // Go gets the proxy's answer as the response: no CONNECT, no proxyconnect error.
        #expect(report.error == "server returned HTTP status 403 Forbidden")
        let r = try #require(proxy.requests.first)
        #expect(r.method == "GET")
        #expect(r.uri == "http://target.test:9100/metrics")
        // base64("pxuser:px-S3CRET")
        #expect(r.header("Proxy-Authorization") == "Basic cHh1c2VyOnB4LVMzQ1JFVA==")
    }

    @Test func anHTTPSScrapeAsksProxyURLForATunnelWithItsCredentials() async throws {
        let proxy = try await proxyServer()
        let job = try loadJob("""
        scrape_configs:
          - job_name: proxied
            scheme: https
            proxy_url: http://pxuser:px-S3CRET@\(proxy.address)
            static_configs: [{targets: ["target.test:9100"]}]
        """)
        let report = try await scrapeOnce(job, head: Head())
        await proxy.stop()
        #expect(report.error == "Get \"https://target.test:9100/metrics\": proxyconnect: the proxy refused the CONNECT request")
        #expect(!(report.error ?? "").contains("S3CRET"))
        let r = try #require(proxy.requests.first)
        #expect(r.method == "CONNECT")
        #expect(r.uri == "target.test:9100")
        #expect(r.header("Proxy-Authorization") == "Basic cHh1c2VyOnB4LVMzQ1JFVA==")
    }

    @Test func anHTTPSScrapeThroughAProxyTunnelWithConnectHeaders() async throws {
        let target = try await ScrapeTestServer(tls: try TestTLSFiles.serverConfiguration()) { _ in .init(text: "secure_via_proxy 1\n") }
        let proxy = try await TunnelProxy(upstreamPort: target.port)
        let job = try loadJob("""
        scrape_configs:
          - job_name: proxied
            scheme: https
            tls_config:
              ca_file: \(TestTLSFiles.caCert)
            proxy_url: http://\(proxy.address)
            proxy_connect_header:
              X-Proxy-Tenant: [blue]
            static_configs: [{targets: ["target.test:443"]}]
        """)
        let head = Head()
        let report = try await scrapeOnce(job, head: head)
        await proxy.stop()
        await target.stop()
        #expect(report.error == nil)
        #expect(metricNames(head).contains("secure_via_proxy"))
        #expect(proxy.connects.first?.target == "target.test:443")
        #expect(proxy.connects.first?.header("X-Proxy-Tenant") == "blue")
    }

    @Test func proxyFromEnvironmentFollowsNoProxy() async throws {
        let proxy = try await proxyServer()
        let env = ["HTTP_PROXY": proxy.address, "NO_PROXY": "skip.test, .internal.test"]
        let t = try transport("proxy_from_environment: true\n", environment: env)
        defer { t.shutdown() }
        let proxied = try await get(t, "http://metrics.test/metrics")
        let skipped = try await get(t, "http://skip.test/metrics")
        let sub = try await get(t, "http://a.internal.test/metrics")
        await proxy.stop()
        #expect((try? proxied.get().status) == 403)
        // Not proxied: a direct connection, and .test names do not resolve.
        for r in [skipped, sub] {
            guard case .failure(let e) = r else { Issue.record("expected a direct connection to fail"); continue }
            #expect(e.message.contains("no such host") || e.message.contains("lookup"), "\(e.message)")
        }
        #expect(proxy.requests.map(\.uri) == ["http://metrics.test/metrics"])
    }

    @Test func loopbackTargetsBypassTheEnvironmentProxy() async throws {
        let proxy = try await proxyServer()
        let target = try await ScrapeTestServer { _ in .init(text: "direct 1\n") }
        let t = try transport("proxy_from_environment: true\n", environment: ["http_proxy": "http://\(proxy.address)"])
        defer { t.shutdown() }
        let r = try await get(t, "http://\(target.address)/metrics")
        await proxy.stop()
        await target.stop()
        #expect((try? r.get().body) == Array("direct 1\n".utf8))
        #expect(proxy.requests.isEmpty)
    }

    @Test func noProxyWithProxyURL() async throws {
        let proxy = try await proxyServer()
        let t = try transport("proxy_url: http://\(proxy.address)\nno_proxy: 10.0.0.0/8,skip.test\n")
        defer { t.shutdown() }
        _ = try await get(t, "http://skip.test/metrics")
        _ = try await get(t, "http://other.test:8080/metrics")
        await proxy.stop()
        #expect(proxy.requests.map(\.uri) == ["http://other.test:8080/metrics"])
    }

    @Test func proxyConnectHeadersAreSentOnConnect() async throws {
        let proxy = try await proxyServer()
        let t = try transport("""
            proxy_url: http://\(proxy.address)
            proxy_connect_header:
              X-Proxy-Tenant: [blue]
            """)
        defer { t.shutdown() }
        let r = try await get(t, "https://secure.test/metrics")
        await proxy.stop()
        guard case .failure = r else { Issue.record("the proxy refused the tunnel; the request must fail"); return }
        let connect = try #require(proxy.requests.first)
        #expect(connect.method == "CONNECT")
        #expect(connect.uri == "secure.test:443")
        #expect(connect.header("X-Proxy-Tenant") == "blue")
    }

    @Test func socksProxiesAreRefusedClearly() throws {
        #expect(throws: TransportError("proxy: only http:// proxies are supported by promtool-swift's HTTP transport, not socks5://")) {
            _ = try transport("proxy_url: socks5://127.0.0.1:1080\n")
        }
    }
}
