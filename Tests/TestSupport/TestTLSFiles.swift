/// The committed test-only TLS files (`Tests/TestSupport/TLS`, see its README): a CA, a server
/// certificate for `localhost` / `target.test` / 127.0.0.1, a client certificate, and an unrelated CA.
public enum TestTLSFiles {
    public static let directory = SharedFiles.packageRoot + "/Tests/TestSupport/TLS"
    public static let caCert = directory + "/ca.pem"
    public static let otherCACert = directory + "/other-ca.pem"
    public static let serverCert = directory + "/server.pem"
    public static let serverKey = directory + "/server.key"
    /// For `target.test` only, no IP address (NIOSSL accepts an IP SAN matching the dialled address
    /// whatever name was asked for, so `server_name` is tested with this one).
    public static let namedServerCert = directory + "/named-server.pem"
    public static let namedServerKey = directory + "/named-server.key"
    public static let clientCert = directory + "/client.pem"
    public static let clientKey = directory + "/client.key"
}

import NIOSSL

extension TestTLSFiles {
    /// A server TLS configuration with the test server certificate; with `clientCA`, clients must present
    /// a certificate signed by it (mutual TLS). `namedOnly` serves the `target.test`-only certificate.
    public static func serverConfiguration(clientCA: String? = nil, namedOnly: Bool = false) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(namedOnly ? namedServerCert : serverCert).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: namedOnly ? namedServerKey : serverKey, format: .pem)))
        if let clientCA {
            tls.certificateVerification = .noHostnameVerification
            tls.trustRoots = .file(clientCA)
        }
        return tls
    }
}
