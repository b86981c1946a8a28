import ConfigModel
import Engine
@testable import HTTPTransport
import NIOSSL
import ScrapeHTTP
import TestSupport
import Testing

/// `tls_config.server_name` verified as Go verifies it: against the certificate's SANs only. NIOSSL's
/// own check would also take an IP SAN equal to the dialled address, so the server certificate for
/// `localhost`, `target.test` and 127.0.0.1 would pass for any name when dialled at 127.0.0.1.
@Suite struct ServerNameVerificationTests {
    func tlsServer() async throws -> ScrapeTestServer {
        try await ScrapeTestServer(tls: try TestTLSFiles.serverConfiguration()) { _ in .init(text: "tls_metric 1\n") }
    }

    func scrape(_ server: ScrapeTestServer, _ tls: String...) async throws -> ScrapeReport {
        let job = try job(for: server, "scheme: https\ntls_config:\n" + tls.map { "  " + $0 }.joined(separator: "\n"))
        return try await scrapeOnce(job, head: Head())
    }

    @Test func aCertificateWithTheDialledIPFailsForAnotherServerName() async throws {
        let server = try await tlsServer()
        let report = try await scrape(server, "ca_file: \(TestTLSFiles.caCert)", "server_name: other.example")
        await server.stop()
        #expect(report.errorKind == .tls)
        #expect(report.error == "Get \"https://\(server.address)/metrics\": tls: failed to verify certificate: x509: certificate is valid for localhost, target.test, not other.example")
        // Nothing was sent to a server that is not the one named.
        #expect(server.requests.isEmpty)
    }

    @Test func aServerNameInTheCertificatePasses() async throws {
        let server = try await tlsServer()
        let head = Head()
        let job = try job(for: server, "scheme: https\ntls_config:\n  ca_file: \(TestTLSFiles.caCert)\n  server_name: localhost")
        let report = try await scrapeOnce(job, head: head)
        await server.stop()
        #expect(report.error == nil)
        #expect(metricNames(head).contains("tls_metric"))
        #expect(server.requests.first?.header("Host") == server.address)
    }

    @Test func anIPServerNameIsMatchedAgainstIPSANs() async throws {
        let server = try await tlsServer()
        let ok = try await scrape(server, "ca_file: \(TestTLSFiles.caCert)", "server_name: 127.0.0.1")
        let wrong = try await scrape(server, "ca_file: \(TestTLSFiles.caCert)", "server_name: 10.0.0.1")
        await server.stop()
        #expect(ok.error == nil)
        #expect(wrong.error == "Get \"https://\(server.address)/metrics\": tls: failed to verify certificate: x509: certificate is valid for 127.0.0.1, not 10.0.0.1")
    }

    @Test func theChainIsStillBoringSSLsToRefuse() async throws {
        let server = try await tlsServer()
        let report = try await scrape(server, "ca_file: \(TestTLSFiles.otherCACert)", "server_name: localhost")
        await server.stop()
        #expect(report.errorKind == .tls)
        #expect(report.error == "Get \"https://\(server.address)/metrics\": tls: failed to verify certificate: x509: certificate signed by unknown authority (or expired, or not valid yet)")
    }

    @Test func insecureSkipVerifySkipsTheNameToo() async throws {
        let server = try await tlsServer()
        let report = try await scrape(server, "insecure_skip_verify: true", "server_name: other.example")
        await server.stop()
        #expect(report.error == nil)
    }

    @Test func aRedirectWithServerNameIsVerifiedAgain() async throws {
        let server = try await ScrapeTestServer(tls: try TestTLSFiles.serverConfiguration()) { r in
            r.uri == "/metrics" ? .init(status: 307, headers: [("Location", "/moved")]) : .init(text: "moved_metric 1\n")
        }
        let head = Head()
        let job = try job(for: server, "scheme: https\ntls_config:\n  ca_file: \(TestTLSFiles.caCert)\n  server_name: target.test")
        let report = try await scrapeOnce(job, head: head)
        await server.stop()
        #expect(report.error == nil)
        #expect(metricNames(head).contains("moved_metric"))
        #expect(server.requests.map(\.uri) == ["/metrics", "/moved"])
        #expect(server.requests.last?.header("Referer") == "https://\(server.address)/metrics")
    }

    static func ip4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> [UInt8] { [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, a, b, c, d] }

    /// Go's `VerifyHostname` and `HostnameError` texts, case by case.
    @Test(arguments: [
        (["a.example", "b.example"], [], "A.Example", nil),
        (["a.example"], [], "a.example.", nil),
        (["*.example"], [], "x.example", nil),
        (["*.example"], [], "x.y.example", "x509: certificate is valid for *.example, not x.y.example"),
        (["*.example"], [], "example", "x509: certificate is valid for *.example, not example"),
        (["a.example", "b.example"], [], "c.example", "x509: certificate is valid for a.example, b.example, not c.example"),
        ([], [[127, 0, 0, 1]], "other.example", "x509: certificate is not valid for any names, but wanted to match other.example"),
        (["a.example"], [], "127.0.0.1", "x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs"),
        (["a.example"], [[127, 0, 0, 1], [10, 0, 0, 2]], "10.0.0.3", "x509: certificate is valid for 127.0.0.1, 10.0.0.2, not 10.0.0.3"),
        ([], [[127, 0, 0, 1]], "127.0.0.1", nil),
        ([], [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]], "[::1]", nil),
        ([], [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]], "::2", "x509: certificate is valid for ::1, not ::2"),
        // Not a valid host name: only an exact match counts.
        (["weird_name!"], [], "weird_name!", nil),
        (["*.weird!"], [], "x.weird!", "x509: certificate is valid for *.weird!, not x.weird!"),
    ] as [([String], [[UInt8]], String, String?)])
    func hostnamesAreVerifiedAsGoVerifiesThem(_ dns: [String], _ ips: [[UInt8]], _ host: String, _ expected: String?) {
        let names = CertificateHostname.Names(dnsNames: dns, ipAddresses: ips.map { $0.count == 4 ? Self.ip4($0[0], $0[1], $0[2], $0[3]) : $0 })
        #expect(CertificateHostname.verify(names, host: host) == expected)
    }

    @Test func namesAreReadFromTheCertificate() throws {
        let certificate = try #require(try NIOSSLCertificate.fromPEMFile(TestTLSFiles.serverCert).first)
        let names = CertificateHostname.Names(certificate)
        #expect(names.dnsNames == ["localhost", "target.test"])
        #expect(names.ipAddresses == [Self.ip4(127, 0, 0, 1)])
    }
}
