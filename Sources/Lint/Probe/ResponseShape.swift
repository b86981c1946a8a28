/// What a scrape response that is not an exposition looks like, told from its first bytes, so the
/// probe can say "this is NGINX's stub_status page" rather than only "parse error at line 1".
public enum ResponseShape: Sendable, Equatable {
    case html
    case json
    case nginxStubStatus

    /// How the finding names it.
    public var description: String {
        switch self {
        case .html: return "an HTML page"
        case .json: return "a JSON document"
        case .nginxStubStatus: return "NGINX's stub_status page"
        }
    }

    /// What to do about it.
    public var advice: String {
        switch self {
        case .html: return "check metrics_path and scheme: this is often a login, error or index page"
        case .json: return "this is an API or health endpoint, not a metrics endpoint; check metrics_path"
        case .nginxStubStatus:
            return "Prometheus cannot read stub_status; run nginx-prometheus-exporter against it and scrape the exporter instead"
        }
    }

    /// Only the first 4 KiB are looked at; nil when the body looks like none of the known shapes.
    public static func classify(_ body: [UInt8], contentType: String) -> ResponseShape? {
        let head = String(decoding: body.prefix(4096), as: UTF8.self)
        let trimmed = head.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\u{FEFF}" }
        let lower = trimmed.lowercased()
        let type = contentType.lowercased()
        if lower.hasPrefix("active connections:") && lower.contains("server accepts handled requests") {
            return .nginxStubStatus
        }
        if type.hasPrefix("text/html") || lower.hasPrefix("<!doctype html") || lower.hasPrefix("<html")
            || (lower.hasPrefix("<") && lower.contains("<body")) {
            return .html
        }
        if type.hasPrefix("application/json") || type.hasSuffix("+json") || lower.hasPrefix("{") || lower.hasPrefix("[") {
            return .json
        }
        return nil
    }
}
