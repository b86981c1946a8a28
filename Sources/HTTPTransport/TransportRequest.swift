import AsyncHTTPClient
import NIOHTTP1
import ConfigModel

/// One HTTP request as callers of `HTTPTransport` describe it, independent of the HTTP library.
public struct TransportRequest: Sendable {
    public enum Method: Sendable {
        case get, post

        var nio: HTTPMethod { self == .get ? .GET : .POST }
        /// Go's spelling in `*url.Error` texts.
        var goName: String { self == .get ? "Get" : "Post" }
    }

    public var method: Method
    /// The full URL (credentials in it become a basic-auth header; they are redacted in errors).
    public var url: GoURL
    /// Extra headers, sent after (and overriding same-named) headers of the transport's config.
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(method: Method, url: GoURL, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}
