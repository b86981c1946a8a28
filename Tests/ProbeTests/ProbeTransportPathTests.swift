import Lint
import Testing
import TestSupport

/// `check config --probe` through the transport's own NIO path: a plain target behind `proxy_url`
/// (absolute-form requests to a real forwarding proxy) and `server_name` checked as Go checks it.
@Suite struct ProbeTransportPathTests {
    static let page = "# HELP proxied_up Up.\n# TYPE proxied_up gauge\nproxied_up 1\n"

    @Test func aTargetBehindAProxyIsProbedThroughIt() async throws {
        let target = try await TestHTTPServer { _ in .init(text: Self.page) }
        let proxy = try await ForwardProxy(upstreamPort: target.port)
        let dir = try ScratchDirectory("proxy")
        defer { dir.remove() }
        let config = oneJobConfig(targets: ["app.test:9100"], extra: "    proxy_url: 'http://px:px-S3CRET@\(proxy.address)'")
        let (result, _) = try await probe(config, in: dir)
        await proxy.stop()
        await target.stop()
        #expect(result.findings(ProbeChecks.targetDown).isEmpty)
        let series = try #require(result.findings(ProbeChecks.series).first)
        #expect(series.message == "job \"probe\": target http://app.test:9100/metrics: 1 series; most series: proxied_up 1")
        #expect(proxy.requests.map(\.uri) == ["http://app.test:9100/metrics"])
        #expect(proxy.requests.first?.header("Proxy-Authorization") == "Basic cHg6cHgtUzNDUkVU")
        #expect(!result.diagnostics.contains { $0.message.contains("S3CRET") })
    }

    @Test func aServerNameTheCertificateDoesNotNameIsDownWithGosReason() async throws {
        let target = try await TestHTTPServer(tls: try TestTLSFiles.serverConfiguration()) { _ in .init(text: Self.page) }
        let dir = try ScratchDirectory("server-name")
        defer { dir.remove() }
        let extra = "    scheme: https\n    tls_config:\n      ca_file: '\(TestTLSFiles.caCert)'\n      server_name: other.example"
        let (result, _) = try await probe(oneJobConfig(targets: [target.address], extra: extra), in: dir)
        await target.stop()
        let down = try #require(result.findings(ProbeChecks.targetDown).first)
        #expect(down.message.contains("is down: TLS handshake failed"), "\(down.message)")
        #expect(down.message.contains("x509: certificate is valid for localhost, target.test, not other.example"), "\(down.message)")
        #expect(target.requests.isEmpty)
    }
}
