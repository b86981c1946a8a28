import Engine
import Locking

/// Wraps the real HTTP fetcher and records how many fetches ran at the same time, at most.
final class CountingFetcher: ScrapeFetcher {
    private let inner: any ScrapeFetcher
    private let counts = SanitizedMutex((now: 0, max: 0, total: 0))

    init(_ inner: any ScrapeFetcher) { self.inner = inner }

    var maxInFlight: Int { counts.withLock { $0.max } }
    var total: Int { counts.withLock { $0.total } }

    func fetch(_ request: ScrapeRequest) async -> Result<FetchedResponse, ScrapeFetchError> {
        counts.withLock { c in
            c.now += 1
            c.total += 1
            c.max = max(c.max, c.now)
        }
        let result = await inner.fetch(request)
        counts.withLock { $0.now -= 1 }
        return result
    }
}
