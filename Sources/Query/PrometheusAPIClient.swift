import GoCompat
import ConfigModel
import Engine
import HTTPTransport

/// client_golang's `v1.API` as promtool uses it: form-encoded POSTs with a GET fallback, the API's error
/// envelope, and Go's error texts (`server_error: server error: 502`, `bad_data: …`).
public struct PrometheusAPIClient: Sendable {
    /// What the server answered besides the value.
    public struct Answer<Value: Sendable>: Sendable {
        public var value: Value
        public var warnings: [String]
    }

    /// An API error (client_golang's `*v1.Error`): type, message, and the body when it was no API answer.
    public struct APIError: Error, Sendable {
        public var type: String
        public var message: String
        public var detail: String
    }

    /// A failed call: the API's own error, or one from the transport or the decoder.
    public enum Failure: Error, Sendable {
        case api(APIError)
        case other(String)

        /// promtool's `handleAPIError` line.
        public var promtoolMessage: String {
            switch self {
            case .api(let e) where !e.detail.isEmpty:
                return "query error: \(e.type): \(e.message) (detail: \(e.detail.trimmingGoSpace()))"
            case .api(let e):
                return "query error: \(e.type): \(e.message)"
            case .other(let m):
                return "query error: \(m)"
            }
        }

        /// The error alone (`query analyze` prints it without the `query error: ` prefix).
        public var plainMessage: String {
            switch self {
            case .api(let e): return "\(e.type): \(e.message)"
            case .other(let m): return m
            }
        }
    }

    public let server: GoURL
    public let transport: HTTPTransport
    public let headers: [(String, String)]
    public let timeout: Duration

    /// - Parameters:
    ///   - server: the base URL (`http://host:9090`, or a path prefix behind a proxy); `http` when no scheme.
    ///   - headers: `--header` values, added to every request.
    ///   - timeout: per request (promtool: 2 minutes).
    public init(server: GoURL, transport: HTTPTransport, headers: [(String, String)] = [], timeout: Duration = .seconds(120)) {
        var s = server
        if s.scheme.isEmpty { s.scheme = "http" }
        self.server = s
        self.transport = transport
        self.headers = headers
        self.timeout = timeout
    }

    public func query(_ expr: String, at time: QueryTime) throws(Failure) -> Answer<APIValue> {
        let data = try postWithFallback("/api/v1/query", [("query", expr), ("time", time.apiParameter)])
        do { return Answer(value: try APIResponseDecoder.queryResult(data.value), warnings: data.warnings) }
        catch { throw .other(error.message) }
    }

    public func queryRange(_ expr: String, start: QueryTime, end: QueryTime, step: GoDuration) throws(Failure) -> Answer<APIValue> {
        let data = try postWithFallback("/api/v1/query_range", [
            ("query", expr), ("start", start.apiParameter), ("end", end.apiParameter), ("step", GoFloat.formatF(step.seconds)),
        ])
        do { return Answer(value: try APIResponseDecoder.queryResult(data.value), warnings: data.warnings) }
        catch { throw .other(error.message) }
    }

    public func series(matching matchers: [String], start: QueryTime, end: QueryTime) throws(Failure) -> Answer<[APIMetric]?> {
        let data = try postWithFallback("/api/v1/series", matchers.map { ("match[]", $0) } + [("start", start.apiParameter), ("end", end.apiParameter)])
        do { return Answer(value: try APIResponseDecoder.labelSets(data.value), warnings: data.warnings) }
        catch { throw .other(error.message) }
    }

    public func labelValues(_ name: String, matching matchers: [String], start: QueryTime, end: QueryTime) throws(Failure) -> Answer<[String]?> {
        let args = [("start", start.apiParameter), ("end", end.apiParameter)] + matchers.map { ("match[]", $0) }
        let url = try endpoint("/api/v1/label/" + Self.pathEscape(name) + "/values", query: Self.formEncode(args))
        let data = try call(TransportRequest(method: .get, url: url, headers: headers))
        do { return Answer(value: try APIResponseDecoder.labelValues(data.value), warnings: data.warnings) }
        catch { throw .other(error.message) }
    }

    /// `GET` of a plain endpoint (`/-/healthy`): status and body, or the transport's error text.
    public func get(path: String) throws(Failure) -> TransportResponse {
        let url = try endpoint(path, query: nil)
        do { return try transport.perform(TransportRequest(method: .get, url: url, headers: headers), timeout: timeout) }
        catch { throw .other(error.message) }
    }

    // MARK: - Requests

    private func postWithFallback(_ path: String, _ args: [(String, String)]) throws(Failure) -> Answer<Node?> {
        let encoded = Self.formEncode(args)
        let postURL = try endpoint(path, query: server.rawQuery.isEmpty ? nil : server.rawQuery)
        let post = TransportRequest(method: .post, url: postURL, headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers, body: Array(encoded.utf8))
        let response: TransportResponse
        do { response = try transport.perform(post, timeout: timeout) } catch { throw .other(error.message) }
        if [403, 405, 501].contains(response.status) {
            return try call(TransportRequest(method: .get, url: try endpoint(path, query: encoded), headers: headers))
        }
        return try interpret(response)
    }

    private func call(_ request: TransportRequest) throws(Failure) -> Answer<Node?> {
        let response: TransportResponse
        do { response = try transport.perform(request, timeout: timeout) } catch { throw .other(error.message) }
        return try interpret(response)
    }

    /// `apiClientImpl.Do`: status codes, the envelope, and its error.
    private func interpret(_ r: TransportResponse) throws(Failure) -> Answer<Node?> {
        let code = r.status
        let isAPIError = code == 400 || code == 422
        if code / 100 != 2 && !isAPIError {
            let (type, msg): (String, String) = switch code / 100 {
            case 4: ("client_error", "client error: \(code)")
            case 5: ("server_error", "server error: \(code)")
            default: ("bad_response", "bad response code \(code)")
            }
            throw .api(APIError(type: type, message: msg, detail: String(decoding: r.body, as: UTF8.self)))
        }
        var env = APIResponseDecoder.Envelope()
        if code != 204 {
            do { env = try APIResponseDecoder.envelope(r.body) } catch {
                throw .api(APIError(type: "bad_response", message: error.message, detail: ""))
            }
        }
        if env.status == "error" {
            throw .api(APIError(type: env.errorType, message: env.error, detail: ""))
        }
        if isAPIError && env.status == "success" {
            throw .api(APIError(type: "bad_response", message: "inconsistent body for response code", detail: ""))
        }
        return Answer(value: env.data, warnings: env.warnings)
    }

    /// `server` with `path` joined onto its path (Go's `path.Join`) and the given query string.
    private func endpoint(_ path: String, query: String?) throws(Failure) -> GoURL {
        let joined = Self.joinPath(server.path, path)
        var raw = server.scheme + "://"
        if let user = server.username {
            raw += user + (server.password.map { ":" + $0.exposedValue } ?? "") + "@"
        }
        raw += server.host + Self.escapePath(joined)
        if let query, !query.isEmpty { raw += "?" + query }
        switch GoURL.parse(raw) {
        case .success(let u): return u
        case .failure(let e): throw .other(e.message)
        }
    }

    // MARK: - Encoding (Go's net/url)

    /// `url.Values.Encode`: keys sorted (stable for repeated keys), `QueryEscape`d.
    static func formEncode(_ args: [(String, String)]) -> String {
        let sorted = args.enumerated().sorted { a, b in a.element.0 != b.element.0 ? a.element.0 < b.element.0 : a.offset < b.offset }
        return sorted.map { queryEscape($0.element.0) + "=" + queryEscape($0.element.1) }.joined(separator: "&")
    }

    static func queryEscape(_ s: String) -> String { escape(s, keep: { isUnreserved($0) }, spaceAsPlus: true) }

    /// `url.PathEscape`: one path segment.
    static func pathEscape(_ s: String) -> String {
        escape(s, keep: { isUnreserved($0) || "$&+,:;=@".utf8.contains($0) }, spaceAsPlus: false)
    }

    /// A path as Go's `URL.EscapedPath` writes it.
    static func escapePath(_ s: String) -> String {
        escape(s, keep: { isUnreserved($0) || "$&+,/:;=@%".utf8.contains($0) }, spaceAsPlus: false)
    }

    private static func isUnreserved(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2E || c == 0x5F || c == 0x7E
    }

    private static func escape(_ s: String, keep: (UInt8) -> Bool, spaceAsPlus: Bool) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for c in s.utf8 {
            if keep(c) { out.append(c) }
            else if c == 0x20 && spaceAsPlus { out.append(0x2B) }
            else { out += [0x25, hex[Int(c >> 4)], hex[Int(c & 15)]] }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Go's `path.Join(base, p)` for an absolute `p`: cleaned, no doubled or trailing slashes.
    static func joinPath(_ base: String, _ p: String) -> String {
        var parts: [Substring] = []
        for seg in (base + "/" + p).split(separator: "/", omittingEmptySubsequences: true) {
            if seg == "." { continue }
            if seg == ".." { _ = parts.popLast(); continue }
            parts.append(seg)
        }
        return "/" + parts.joined(separator: "/")
    }
}


extension PrometheusAPIClient {
    /// The server URL as given (scheme added), password redacted.
    public var serverDescription: String {
        server.raw.hasPrefix(server.scheme + ":") ? server.description : server.scheme + "://" + server.description
    }
}
