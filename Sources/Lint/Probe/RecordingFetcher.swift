import Engine
import Locking

/// Passes a scrape through to the real fetcher and keeps the response, so the probe can look at a body
/// the scraper rejected (what does it look like?) and lint the names in one it accepted.
final class RecordingFetcher: ScrapeFetcher {
    private let inner: any ScrapeFetcher
    private let last = SanitizedMutex<FetchedResponse?>(nil)

    init(_ inner: any ScrapeFetcher) { self.inner = inner }

    func fetch(_ request: ScrapeRequest) async -> Result<FetchedResponse, ScrapeFetchError> {
        let result = await inner.fetch(request)
        if case .success(let response) = result { last.withLock { $0 = response } }
        return result
    }

    /// The last response received, if any.
    var response: FetchedResponse? { last.withLock { $0 } }
}
