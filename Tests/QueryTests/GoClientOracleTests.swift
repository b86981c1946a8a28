import ConfigModel
import Foundation
import HTTPTransport
import Testing
import TestSupport

/// Prometheus (Go's `net/http` and `crypto/x509`) as the oracle for `HTTPTransport`'s own NIO path: the
/// same plain target behind the same forwarding proxy, and the same `server_name` mismatch, through
/// /usr/bin/prometheus and through the transport, must look the same on the wire and in the error.
@Suite(.serialized, .needsPrometheus) struct GoClientOracleTests {
    /// What the proxy saw of one request, in the parts Go's client decides.
    struct Seen: Equatable, CustomStringConvertible {
        var method: String
        var uri: String
        var host: String?
        var proxyAuthorization: String?
        var referer: String?
        var description: String { "\(method) \(uri) Host=\(host ?? "-") Proxy-Authorization=\(proxyAuthorization ?? "-") Referer=\(referer ?? "-")" }

        init(_ r: TestHTTPServer.Request) {
            method = r.method
            uri = r.uri
            host = r.header("Host")
            proxyAuthorization = r.header("Proxy-Authorization")
            referer = r.header("Referer")
        }
    }

    @Test func aProxiedPlainScrapeAndAServerNameMismatchLookAsPrometheusMakesThem() async throws {
        let target = try await TestHTTPServer { r in
            r.uri == "/metrics" ? .init(status: 302, headers: [("Location", "/real")]) : .init(text: "oracle_up 1\n")
        }
        let proxy = try await ForwardProxy(upstreamPort: target.port)
        let tlsTarget = try await TestHTTPServer(tls: try TestTLSFiles.serverConfiguration()) { _ in .init(text: "tls_up 1\n") }
        let proxyURL = "http://pxuser:px-S3CRET@\(proxy.address)"
        let prometheus: PrometheusFixture
        do {
            prometheus = try PrometheusFixture.start(config: """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: proxied
                proxy_url: \(proxyURL)
                static_configs: [{targets: ['metrics.test:9100']}]
              - job_name: named
                scheme: https
                tls_config:
                  ca_file: \(TestTLSFiles.caCert)
                  server_name: other.example
                static_configs: [{targets: ['\(tlsTarget.address)']}]
            """)
        } catch {
            await proxy.stop()
            await target.stop()
            await tlsTarget.stop()
            throw error
        }
        defer { prometheus.stop() }
        for _ in 0..<120 where proxy.requests.count < 2 { try await Task.sleep(for: .milliseconds(500)) }
        let byPrometheus = proxy.requests.prefix(2).map(Seen.init)

        // The same scrape through the transport (the scraper's headers do not matter here).
        let proxied = try HTTPTransport(config: try HTTPClientConfigFile.parse(bytes: Array("proxy_url: \(proxyURL)\n".utf8), directory: "/"), environment: [:])
        defer { proxied.shutdown() }
        let before = proxy.requests.count
        _ = try await proxied.send(TransportRequest(method: .get, url: try url("http://metrics.test:9100/metrics")), timeout: .seconds(10))
        let byUs = proxy.requests.dropFirst(before).prefix(2).map(Seen.init)
        #expect(byPrometheus.count == 2)
        #expect(byUs == byPrometheus)

        // Prometheus's last error for the TLS target, and ours for the same settings.
        let api = try HTTPTransport(config: HTTPClientConfig(), environment: [:])
        defer { api.shutdown() }
        var theirs: String?
        for _ in 0..<60 where theirs == nil {
            let r = try await api.send(TransportRequest(method: .get, url: try url(prometheus.url + "/api/v1/targets")), timeout: .seconds(10))
            theirs = Self.lastError(job: "named", in: r.body)
            if theirs == nil { try await Task.sleep(for: .milliseconds(500)) }
        }
        let named = try HTTPTransport(config: try HTTPClientConfigFile.parse(
            bytes: Array("tls_config:\n  ca_file: \(TestTLSFiles.caCert)\n  server_name: other.example\n".utf8), directory: "/"), environment: [:])
        defer { named.shutdown() }
        var ours = ""
        let tlsURL = try url(tlsTarget.url + "/metrics")
        do {
            _ = try await named.send(TransportRequest(method: .get, url: tlsURL), timeout: .seconds(10))
        } catch {
            ours = error.message
        }
        await proxy.stop()
        await target.stop()
        await tlsTarget.stop()
        // Go before 1.20 (Prometheus 2.42) has no `tls: failed to verify certificate: ` before x509's text.
        let x509 = { (s: String) in s.range(of: "x509: ").map { String(s[$0.lowerBound...]) } }
        #expect(x509(ours) == "x509: certificate is valid for localhost, target.test, not other.example")
        #expect(x509(theirs ?? "") == x509(ours), "Prometheus: \(theirs ?? "no error"); ours: \(ours)")
    }

    func url(_ s: String) throws -> GoURL {
        guard case .success(let u) = GoURL.parse(s) else { throw TestFailure("bad URL \(s)") }
        return u
    }

    /// `lastError` of `job`'s active target in a `/api/v1/targets` answer, when not empty.
    static func lastError(job: String, in body: [UInt8]) -> String? {
        guard let json = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let data = json["data"] as? [String: Any], let active = data["activeTargets"] as? [[String: Any]] else { return nil }
        for t in active where (t["labels"] as? [String: String])?["job"] == job {
            if let e = t["lastError"] as? String, !e.isEmpty { return e }
        }
        return nil
    }
}
