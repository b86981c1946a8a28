import ConfigModel
import Engine
import ScrapeHTTP
import TestSupport
import Testing

/// Scrapes over HTTPS against a local server with the committed test CA (Tests/TestSupport/TLS):
/// CA files, a wrong CA, `insecure_skip_verify`, `server_name`, mutual TLS, and settings that cannot
/// be used (secret references, bad key material) failing without showing what they hold.
@Suite struct ScrapeTLSTests {
    static let body = "tls_metric 1\n"

    func tlsServer(clientCA: String? = nil, namedOnly: Bool = false) async throws -> ScrapeTestServer {
        try await ScrapeTestServer(tls: try TestTLSFiles.serverConfiguration(clientCA: clientCA, namedOnly: namedOnly)) { _ in .init(text: Self.body) }
    }

    /// A job scraping `server` over HTTPS with these `tls_config` lines.
    func httpsJob(_ server: ScrapeTestServer, _ tls: String...) throws -> ScrapeConfig {
        try job(for: server, "scheme: https\ntls_config:\n" + tls.map { "  " + $0 }.joined(separator: "\n"))
    }

    @Test func scrapeWithTheCAFile() async throws {
        let server = try await tlsServer()
        let job = try httpsJob(server, "ca_file: \(TestTLSFiles.caCert)")
        let head = Head()
        let report = try await scrapeOnce(job, head: head)
        await server.stop()
        #expect(report.error == nil)
        #expect(metricNames(head).contains("tls_metric"))
    }

    @Test func theCAInlineWorksToo() async throws {
        let server = try await tlsServer()
        let pem = try String(decoding: requireFile(TestTLSFiles.caCert), as: UTF8.self)
        let indented = pem.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n")
        let job = try job(for: server, "scheme: https\ntls_config:\n  ca: |\n\(indented)")
        let report = try await scrapeOnce(job, head: Head())
        await server.stop()
        #expect(report.error == nil)
    }

    @Test func aWrongCAFailsWithAClearMessage() async throws {
        let server = try await tlsServer()
        let job = try httpsJob(server, "ca_file: \(TestTLSFiles.otherCACert)")
        let report = try await scrapeOnce(job, head: Head())
        await server.stop()
        #expect(report.errorKind == .tls)
        #expect(report.error == "Get \"https://\(server.address)/metrics\": tls: failed to verify certificate: x509: certificate signed by unknown authority (or expired, or not valid yet)")
    }

    @Test func noCAFailsAndInsecureSkipVerifyAccepts() async throws {
        let server = try await tlsServer()
        let strict = try await scrapeOnce(try job(for: server, "scheme: https"), head: Head())
        let lax = try await scrapeOnce(try job(for: server, "scheme: https\ntls_config:\n  insecure_skip_verify: true"), head: Head())
        await server.stop()
        #expect(strict.errorKind == .tls)
        #expect(lax.error == nil)
    }

    @Test func serverNameIsPresentedAndVerifiedWhileTheURLHostIsDialled() async throws {
        // A certificate for target.test only: dialling 127.0.0.1 needs server_name to verify.
        let server = try await tlsServer(namedOnly: true)
        let none = try await scrapeOnce(try httpsJob(server, "ca_file: \(TestTLSFiles.caCert)"), head: Head())
        let ok = try await scrapeOnce(try httpsJob(server, "ca_file: \(TestTLSFiles.caCert)", "server_name: target.test"), head: Head())
        let wrong = try await scrapeOnce(try httpsJob(server, "ca_file: \(TestTLSFiles.caCert)", "server_name: wrong.test"), head: Head())
        await server.stop()
        #expect(none.errorKind == .tls)
        #expect(ok.error == nil)
        // The Host header is still the target's address, as Go sends it.
        #expect(server.requests.first?.header("Host") == server.address)
        #expect(wrong.errorKind == .tls)
        #expect(wrong.error == "Get \"https://\(server.address)/metrics\": tls: failed to verify certificate: x509: certificate is valid for target.test, not wrong.test")
    }

    @Test func mutualTLSNeedsTheClientCertificate() async throws {
        let server = try await tlsServer(clientCA: TestTLSFiles.caCert)
        let without = try await scrapeOnce(try httpsJob(server, "ca_file: \(TestTLSFiles.caCert)"), head: Head())
        let with = try await scrapeOnce(try httpsJob(server, "ca_file: \(TestTLSFiles.caCert)", "cert_file: \(TestTLSFiles.clientCert)", "key_file: \(TestTLSFiles.clientKey)"), head: Head())
        await server.stop()
        #expect(without.error != nil)
        #expect(with.error == nil)
    }

    @Test func unusableKeyMaterialNamesItsSourceNotItsContents() throws {
        let secretKeyText = "NOT-A-KEY-but-secret-material-7f3a"
        let job = try loadJob("""
        scrape_configs:
          - job_name: t
            tls_config:
              cert_file: \(TestTLSFiles.clientCert)
              key: \(secretKeyText)
            static_configs: [{targets: ["127.0.0.1:9"]}]
        """)
        let error = try #require(throws: ScrapeFetchError.self) { try TransportScrapeFetcher(job: job) }
        #expect(error.message == "error creating HTTP client: unable to use specified client cert (file \(TestTLSFiles.clientCert)) & key (inline): tls: failed to find any PEM data in key input")
        #expect(!error.message.contains(secretKeyText))
    }

    @Test func missingFilesAreReportedAsGoReportsThem() throws {
        let job = try loadJob("""
        scrape_configs:
          - job_name: t
            tls_config:
              ca_file: /nonexistent/ca.pem
            static_configs: [{targets: ["127.0.0.1:9"]}]
        """)
        let error = try #require(throws: ScrapeFetchError.self) { try TransportScrapeFetcher(job: job) }
        #expect(error.message == "error creating HTTP client: unable to read CA cert: unable to read file /nonexistent/ca.pem: open /nonexistent/ca.pem: no such file or directory")
    }

    /// Prometheus 3.14 runs its HTTP clients without a secret manager: every `*_ref` fails when the client
    /// is made, with prometheus/common's words; so do version bounds in the wrong order.
    @Test(arguments: [
        ("tls_config:\n  ca_ref: my-ca", "unable to use CA cert: cannot use secret ref without manager"),
        ("tls_config:\n  cert_ref: c\n  key_ref: k", "unable to use client cert: cannot use secret ref without manager"),
        ("basic_auth:\n  username: u\n  password_ref: pw", "unable to use password: cannot use secret ref without manager"),
        ("basic_auth:\n  username_ref: u", "unable to use username: cannot use secret ref without manager"),
        ("authorization:\n  credentials_ref: tok", "unable to use credentials: cannot use secret ref without manager"),
        ("oauth2:\n  client_id: id\n  client_secret_ref: s\n  token_url: http://127.0.0.1:9/token",
         "unable to use client secret: cannot use secret ref without manager"),
        // Go checks the version order when it makes the TLS config, not when it loads the file.
        ("tls_config:\n  min_version: TLS13\n  max_version: TLS12",
         "tls_config.max_version must be greater than or equal to tls_config.min_version if both are specified"),
        // Ours: the JWT bearer grant (a signed assertion) is not implemented.
        ("oauth2:\n  client_id: id\n  grant_type: urn:ietf:params:oauth:grant-type:jwt-bearer\n  token_url: http://127.0.0.1:9/token",
         "oauth2: grant_type urn:ietf:params:oauth:grant-type:jwt-bearer is not supported by promtool-swift's HTTP transport"),
    ])
    func settingsThatCannotBeUsedFailWhenTheClientIsMade(_ yaml: String, _ expected: String) throws {
        let lines = yaml.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
        let job = try loadJob("""
        scrape_configs:
          - job_name: t
            static_configs: [{targets: ["127.0.0.1:9"]}]
        \(lines)
        """)
        let error = try #require(throws: ScrapeFetchError.self) { try TransportScrapeFetcher(job: job) }
        #expect(error.message == "error creating HTTP client: " + expected)
    }
}

/// The bytes of a file the test needs (a failure, not a skip, when it is missing).
func requireFile(_ path: String) throws -> [UInt8] {
    switch FileSystem.readFile(path) {
    case .success(let b): return b
    case .failure(let e): throw e
    }
}
