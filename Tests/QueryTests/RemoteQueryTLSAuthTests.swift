import Foundation
import Query
import Synchronization
import TestSupport
import Testing

/// Remote `query` with `--http.config.file` over TLS (the committed test CA) and with OAuth 2.0 client
/// credentials from a local token endpoint; settings promtool cannot use fail as promtool 3.14 fails.
@Suite struct RemoteQueryTLSAuthTests {
    func instant(_ url: String, config: String, timeout: Duration = .seconds(5)) -> (Int32, RemoteQueryServerTests.Captured) {
        let captured = RemoteQueryServerTests.Captured()
        let c = RemoteQuery.Connection(server: url, httpConfigFile: config, headers: [], timeout: timeout)
        return (RemoteQuery.instant(c, expr: "up", time: "1700000000", format: .promql, output: captured.output), captured)
    }

    func writeConfig(_ yaml: String) throws -> (dir: String, file: String) {
        let dir = try Processes.temporaryDirectory("httpcfg")
        try yaml.write(toFile: dir + "/http.yml", atomically: true, encoding: .utf8)
        return (dir, dir + "/http.yml")
    }

    @Test func queryOverMutualTLS() async throws {
        let server = try await TestHTTPServer(tls: try TestTLSFiles.serverConfiguration(clientCA: TestTLSFiles.caCert)) { _ in
            .init(body: RemoteQueryServerTests.vectorBody)
        }
        let (dir, config) = try writeConfig("""
            tls_config:
              ca_file: \(TestTLSFiles.caCert)
              cert_file: \(TestTLSFiles.clientCert)
              key_file: \(TestTLSFiles.clientKey)
            """)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (code, out) = instant(server.url, config: config)
        await server.stop()
        #expect(code == 0, "\(out.err)")
        #expect(out.out == "up{job=\"x\"} => 1 @[1700000000]\n")
    }

    @Test func aWrongCAIsAClearError() async throws {
        let server = try await TestHTTPServer(tls: try TestTLSFiles.serverConfiguration()) { _ in .init(body: RemoteQueryServerTests.vectorBody) }
        let (dir, config) = try writeConfig("tls_config:\n  ca_file: \(TestTLSFiles.otherCACert)\n")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (code, out) = instant(server.url, config: config)
        await server.stop()
        #expect(code == 1)
        #expect(out.err == "query error: Post \"\(server.url)/api/v1/query\": tls: failed to verify certificate: x509: certificate signed by unknown authority (or expired, or not valid yet)\n")
    }

    @Test func queryWithOAuth2ClientCredentials() async throws {
        let tokenServer = try await TestHTTPServer { _ in
            .init(body: #"{"access_token":"q-token","token_type":"Bearer","expires_in":3600}"#)
        }
        let server = try await TestHTTPServer { r in
            r.header("Authorization") == "Bearer q-token" ? .init(body: RemoteQueryServerTests.vectorBody) : .init(status: 401, body: "no")
        }
        let (dir, config) = try writeConfig("""
            oauth2:
              client_id: cli
              client_secret_file: secret.txt
              token_url: \(tokenServer.url)/token
            """)
        try "q-s3cret\n".write(toFile: dir + "/secret.txt", atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (code, out) = instant(server.url, config: config)
        await server.stop()
        await tokenServer.stop()
        #expect(code == 0, "\(out.err)")
        #expect(out.out == "up{job=\"x\"} => 1 @[1700000000]\n")
        #expect(tokenServer.requests.first?.bodyText == "grant_type=client_credentials")
        // base64("cli:q-s3cret"), the secret file's content trimmed.
        #expect(tokenServer.requests.first?.header("Authorization") == "Basic Y2xpOnEtczNjcmV0")
        #expect(!out.err.contains("q-s3cret") && !out.out.contains("q-s3cret"))
    }

    @Test func aSecretReferenceCannotBeUsed() throws {
        let (dir, config) = try writeConfig("authorization:\n  credentials_ref: vault-token\n")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (code, out) = instant("http://127.0.0.1:9", config: config)
        #expect(code == 1)
        #expect(out.err == "promtool: error: Failed to create a new HTTP round tripper: unable to use credentials: cannot use secret ref without manager\n")
    }
}
