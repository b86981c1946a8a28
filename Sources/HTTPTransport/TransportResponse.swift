import NIOHTTP1

/// A whole HTTP response: status, headers (as received, in order) and the decompressed body.
public struct TransportResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.0.lowercased() == lower }?.1
    }
}


extension TransportResponse {
    /// `200 OK`, as Go prints `resp.Status`.
    public var statusText: String { "\(status) \(HTTPResponseStatus(statusCode: status).reasonPhrase)" }
}
