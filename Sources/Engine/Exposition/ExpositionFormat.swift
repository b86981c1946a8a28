/// The text exposition formats this package parses, with content-type negotiation and file detection.
public enum ExpositionFormat: String, Sendable, CaseIterable {
    /// Prometheus text format 0.0.4 (`text/plain; version=0.0.4`).
    case prometheusText
    /// OpenMetrics 1.0 text format (`application/openmetrics-text; version=1.0.0`).
    case openMetrics

    /// The canonical `Content-Type` of the format.
    public var contentType: String {
        switch self {
        case .prometheusText: return "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: return "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }

    /// An `Accept` header preferring OpenMetrics over the Prometheus text format (as Prometheus's scraper
    /// does for its text protocols).
    public static let acceptHeader =
        "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2"

    /// The format for a response `Content-Type` (media type compared case-insensitively, parameters
    /// ignored); `nil` for media types that are not one of the two text formats (e.g. protobuf, HTML, empty).
    public static func format(forContentType contentType: String) -> ExpositionFormat? {
        let mediaType = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first
            .map { $0.trimmingASCIIBlanks().lowercased() } ?? ""
        switch mediaType {
        case "application/openmetrics-text": return .openMetrics
        case "text/plain": return .prometheusText
        default: return nil
        }
    }

    /// Guesses the format of a file's bytes: OpenMetrics when the last non-blank line is `# EOF` or a
    /// `# UNIT ` line appears, the Prometheus text format otherwise.
    public static func detect(_ bytes: [UInt8]) -> ExpositionFormat {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x20 || bytes[end - 1] == 0x0D || bytes[end - 1] == 0x09 {
            end -= 1
        }
        var start = end
        while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
        if end - start == 5, Array(bytes[start..<end]) == Array("# EOF".utf8) { return .openMetrics }
        let unit = Array("# UNIT ".utf8)
        var lineStart = 0
        while lineStart < bytes.count {
            if lineStart + unit.count <= bytes.count, Array(bytes[lineStart..<(lineStart + unit.count)]) == unit {
                return .openMetrics
            }
            var j = lineStart
            while j < bytes.count, bytes[j] != 0x0A { j += 1 }
            lineStart = j + 1
        }
        return .prometheusText
    }

    /// Parses `bytes` in this format into `sink`.
    public func parse<S: ExpositionSink>(_ bytes: [UInt8], into sink: inout S) throws(ExpositionError) {
        switch self {
        case .prometheusText: try PrometheusTextParser().parse(bytes, into: &sink)
        case .openMetrics: try OpenMetricsParser().parse(bytes, into: &sink)
        }
    }
}

extension StringProtocol {
    func trimmingASCIIBlanks() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
