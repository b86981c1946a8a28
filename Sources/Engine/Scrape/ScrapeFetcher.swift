/// Performs the HTTP part of a scrape. The engine knows no HTTP library; the CLI passes the
/// AsyncHTTPClient-based fetcher (`ScrapeHTTP`), which tests also use against real local servers.
public protocol ScrapeFetcher: Sendable {
    /// Sends `request` and returns the whole (decompressed) response, or why there is none.
    func fetch(_ request: ScrapeRequest) async -> Result<FetchedResponse, ScrapeFetchError>
}

/// A response as the scraper needs it.
public struct FetchedResponse: Sendable {
    public var status: Int
    /// `200 OK` as Go prints `resp.Status`.
    public var statusText: String
    public var contentType: String
    public var body: [UInt8]

    public init(status: Int, statusText: String, contentType: String, body: [UInt8]) {
        self.status = status
        self.statusText = statusText
        self.contentType = contentType
        self.body = body
    }
}

/// Why a scrape got no usable response; `message` never contains a credential.
public struct ScrapeFetchError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case refused, dns, tls, timeout, bodySizeLimit, other
    }
    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
