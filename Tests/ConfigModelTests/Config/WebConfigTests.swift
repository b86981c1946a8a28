import Foundation
import Testing
@testable import ConfigModel

/// `check web-config`: exporter-toolkit's validation order and messages.
@Suite struct WebConfigTests {
    func validate(_ text: String, files: [String: String] = [:]) -> ConfigError? {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("webcfg-\(getpid())-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, content) in files { try? content.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let path = dir.appendingPathComponent("web.yml").path
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
        do { _ = try WebConfig.validate(path: path); return nil } catch { return error }
    }

    static let hash = "$2y$10$abcdefghijklmnopqrstuuO0Z5qYz5qYz5qYz5qYz5qYz5qYz5qYz"

    @Test func validFiles() {
        #expect(validate("") == nil)
        #expect(validate("basic_auth_users:\n  alice: \(Self.hash)\n") == nil)
        #expect(validate("http_server_config:\n  headers:\n    X-Frame-Options: deny\n") == nil)
        let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
        let key = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n"
        #expect(validate("tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n", files: ["a.crt": pem, "a.key": key]) == nil)
    }

    @Test(arguments: [
        ("foo: 1\n", "yaml: unmarshal errors:\n  line 1: field foo not found in type web.Config"),
        ("basic_auth_users:\n  alice: notahash\n", "crypto/bcrypt: hashedSecret too short to be a bcrypted password"),
        ("basic_auth_users:\n  alice: x\(hash.dropFirst())\n", "crypto/bcrypt: bcrypt hashes must start with '$', but hashedSecret started with 'x'"),
        ("tls_server_config:\n  cert_file: a.crt\n", "missing key_file"),
        ("tls_server_config:\n  key_file: a.key\n", "missing cert_file"),
        ("tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n", "failed to load X509KeyPair: open"),
        ("tls_server_config:\n  min_version: TLS9\n", "unknown TLS version: TLS9"),
        ("http_server_config:\n  headers:\n    Foo: bar\n", #"HTTP header "Foo" can not be configured"#),
        ("http_server_config:\n  headers:\n    X-Frame-Options: foo\nbasic_auth_users:\n  alice: notahash\n", #"invalid value for X-Frame-Options. Expected one of: ["deny" "sameorigin"], but got: "foo""#),
        ("tls_server_config:\n  cert_file: a.crt\nbasic_auth_users:\n  alice: notahash\n", "crypto/bcrypt: hashedSecret too short"),
    ] as [(String, String)])
    func failures(_ text: String, _ expected: String) {
        let e = validate(text)
        #expect(e?.message.hasPrefix(expected) == true, "\(e?.message ?? "no error")")
        #expect(e?.mark != nil || e?.message.hasPrefix("failed to load") == true)
    }

    @Test func passwordHashesNeverPrinted() {
        let e = validate("basic_auth_users:\n  alice: s3cr3tplaintext\n")
        #expect(e != nil)
        #expect(!(e?.message.contains("s3cr3tplaintext") ?? true))
    }
}
