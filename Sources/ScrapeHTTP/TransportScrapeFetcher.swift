import ConfigModel
import Engine
import HTTPTransport

/// The scraper's HTTP: one `HTTPTransport` (AsyncHTTPClient) per job, carrying the job's auth, TLS,
/// proxy, headers and redirect settings, with `body_size_limit` as the transport's body cap.
public final class TransportScrapeFetcher: ScrapeFetcher {
    private let transport: HTTPTransport

    /// Fails when the job's HTTP client settings cannot be used (unreadable files, unsupported options).
    public init(job: ScrapeConfig) throws(ScrapeFetchError) {
        let limit = job.bodySizeLimit.bytes
        // Prometheus fails a body of exactly the limit too, so a body of `limit` bytes must already be refused.
        let maxBody = limit > 0 ? Int(clamping: limit - 1) : 1 << 30
        do {
            transport = try HTTPTransport(config: job.httpClientConfig, maxBodyBytes: maxBody)
        } catch {
            throw ScrapeFetchError(.other, "error creating HTTP client: \(error.message)")
        }
    }

    deinit { transport.shutdown() }

    public func fetch(_ request: ScrapeRequest) async -> Result<FetchedResponse, ScrapeFetchError> {
        let url: GoURL
        switch GoURL.parse(request.url) {
        case .success(let u): url = u
        case .failure(let e): return .failure(ScrapeFetchError(.other, e.message))
        }
        let timeout = Duration.milliseconds(request.timeout.milliseconds)
        do {
            let r = try await transport.send(TransportRequest(method: .get, url: url, headers: request.headers), timeout: timeout)
            return .success(FetchedResponse(status: r.status, statusText: r.statusText,
                                            contentType: r.header("Content-Type") ?? "", body: r.body))
        } catch {
            return .failure(Self.classify(error))
        }
    }

    static func classify(_ e: TransportError) -> ScrapeFetchError {
        switch e.kind {
        case .timeout: return ScrapeFetchError(.timeout, e.message)
        case .tls: return ScrapeFetchError(.tls, e.message)
        case .bodyTooLarge: return ScrapeFetchError(.bodySizeLimit, "body size limit exceeded")
        case .connection:
            if e.message.contains("no such host") { return ScrapeFetchError(.dns, e.message) }
            if e.message.contains("connection refused") { return ScrapeFetchError(.refused, e.message) }
            return ScrapeFetchError(.other, e.message)
        case .configuration, .other: return ScrapeFetchError(.other, e.message)
        }
    }
}
