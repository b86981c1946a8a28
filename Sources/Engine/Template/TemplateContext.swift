/// Runs a PromQL instant query for the `query` template function.
public typealias TemplateQueryFunction = @Sendable (String) throws -> [QueryResultSample]

/// What a map lookup of a missing key yields (Go's `missingkey` option).
public enum TemplateMissingKey: Sendable {
    /// `missingkey=default`/`invalid`: the invalid value, printed `<no value>`.
    case invalid
    /// `missingkey=zero`: the zero value of the map's element type (Prometheus's setting).
    case zero
    /// `missingkey=error`: execution stops with an error.
    case error
}

/// Execution environment for a template: Prometheus function inputs and limits.
public struct TemplateContext: Sendable {
    /// Implementation of `query`; nil makes `query` fail.
    public var query: TemplateQueryFunction?
    /// The external URL (`externalURL`); its path is `pathPrefix`.
    public var externalURL: String
    /// Evaluation timestamp in milliseconds (`now`, and the time queries run at).
    public var timestampMillis: Int64
    /// Missing map key behaviour (Prometheus uses `.zero`).
    public var missingKey: TemplateMissingKey
    /// Upper bound on evaluated nodes and commands; execution fails beyond it (guards `range` over huge data).
    public var maxSteps: Int
    /// Upper bound on the size of the output in bytes.
    public var maxOutputBytes: Int

    /// Creates a context.
    public init(query: TemplateQueryFunction? = nil, externalURL: String = "", timestampMillis: Int64 = 0,
                missingKey: TemplateMissingKey = .zero, maxSteps: Int = 20_000_000,
                maxOutputBytes: Int = 64 << 20) {
        self.query = query
        self.externalURL = externalURL
        self.timestampMillis = timestampMillis
        self.missingKey = missingKey
        self.maxSteps = maxSteps
        self.maxOutputBytes = maxOutputBytes
    }

    /// Go's `url.URL.Path` of the external URL.
    var externalURLPath: String {
        var s = Substring(externalURL)
        let b = Array(externalURL.utf8)
        var schemeEnd: Int? = nil
        if b.count >= 3 {
            for i in 0..<(b.count - 2) where b[i] == UInt8(ascii: ":") && b[i + 1] == UInt8(ascii: "/") && b[i + 2] == UInt8(ascii: "/") {
                schemeEnd = i + 3
                break
            }
        }
        if let e = schemeEnd {
            let rest = String(decoding: b[e...], as: UTF8.self)
            guard let slash = rest.firstIndex(of: "/") else { return "" }
            s = rest[slash...]
        }
        if let q = s.firstIndex(where: { $0 == "?" || $0 == "#" }) { s = s[..<q] }
        return TemplateURL.pathUnescape(String(s)) ?? String(s)
    }
}
