import ConfigModel
import NIOSSL

/// `tls_config` → NIOSSL's client configuration, with prometheus/common's checks and error texts
/// (`unable to use specified CA cert file F`, `unable to use client key: …`). Errors name where a
/// certificate or key came from (`inline` or `file F`), never its contents.
///
/// `server_name` is not part of NIOSSL's configuration: `HTTPTransport` connects to the URL's host
/// while presenting and verifying `server_name` (see `HTTPTransport.serverName`).
enum TransportTLS {
    static func configuration(_ t: TLSConfig) throws(TransportError) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let lo = t.minVersion, let hi = t.maxVersion, hi < lo {
            throw TransportError("tls_config.max_version must be greater than or equal to tls_config.min_version if both are specified")
        }
        if t.insecureSkipVerify { tls.certificateVerification = .none }
        if let v = t.minVersion { tls.minimumTLSVersion = try version(v) }
        if let v = t.maxVersion { tls.maximumTLSVersion = try version(v) }

        let ca: SecretSource?
        do { ca = try SecretSource.make(t.ca, file: t.caFile, ref: t.caRef) } catch { throw error.prefixed("unable to use CA cert") }
        if let ca {
            let pem: [UInt8]
            do { pem = try ca.readBytes() } catch { throw error.prefixed("unable to read CA cert") }
            guard let roots = try? NIOSSLCertificate.fromPEMBytes(pem), !roots.isEmpty else {
                throw TransportError("unable to use specified CA cert \(ca)")
            }
            tls.trustRoots = .certificates(roots)
        }

        if t.usingClientCert && t.usingClientKey {
            let cert: SecretSource?
            let key: SecretSource?
            do { cert = try SecretSource.make(t.cert, file: t.certFile, ref: t.certRef) } catch { throw error.prefixed("unable to use client cert") }
            let certPEM: [UInt8]
            do { certPEM = try cert?.readBytes() ?? [] } catch { throw error.prefixed("unable to read specified client cert") }
            do { key = try SecretSource.make(t.key.exposedValue, file: t.keyFile, ref: t.keyRef) } catch { throw error.prefixed("unable to use client key") }
            let keyPEM: [UInt8]
            do { keyPEM = try key?.readBytes() ?? [] } catch { throw error.prefixed("unable to read specified client key") }
            let pair = "unable to use specified client cert (\(cert?.description ?? "")) & key (\(key?.description ?? ""))"
            guard let chain = try? NIOSSLCertificate.fromPEMBytes(certPEM), !chain.isEmpty else {
                throw TransportError(pair + ": tls: failed to find any PEM data in certificate input")
            }
            // NIOSSL's error names no key material; still, say only what Go says.
            guard let privateKey = try? NIOSSLPrivateKey(bytes: keyPEM, format: .pem) else {
                throw TransportError(pair + ": tls: failed to find any PEM data in key input")
            }
            tls.certificateChain = chain.map { .certificate($0) }
            tls.privateKey = .privateKey(privateKey)
        }
        return tls
    }

    private static func version(_ v: ConfigModel.TLSVersion) throws(TransportError) -> NIOSSL.TLSVersion {
        switch v.name {
        case "TLS10": return .tlsv1
        case "TLS11": return .tlsv11
        case "TLS12": return .tlsv12
        case "TLS13": return .tlsv13
        default: throw TransportError("unknown TLS version: \(v.name)")
        }
    }
}
