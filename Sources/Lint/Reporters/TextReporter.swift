/// `file:line:col: severity: message [id]`, one finding per line, ANSI-coloured on request.
public struct TextReporter: Sendable {
    public var colour: Bool

    public init(colour: Bool) { self.colour = colour }

    public func render(_ diagnostics: [Diagnostic]) -> String {
        var out = ""
        for d in diagnostics {
            let loc = "\(d.file):\(d.range.start.line):\(d.range.start.column)"
            let sev = d.severity.rawValue
            if colour {
                let c: String
                switch d.severity {
                case .error: c = "\u{1B}[1;31m"
                case .warning: c = "\u{1B}[1;33m"
                case .info: c = "\u{1B}[1;36m"
                }
                out += "\u{1B}[1m\(loc):\u{1B}[0m \(c)\(sev):\u{1B}[0m \(d.message) \u{1B}[2m[\(d.check)]\u{1B}[0m\n"
            } else {
                out += "\(loc): \(sev): \(d.message) [\(d.check)]\n"
            }
        }
        return out
    }

    /// Whether to colour: only on a terminal, and never when `NO_COLOR` is set to a non-empty value.
    public static func shouldColour(isTerminal: Bool, environment: [String: String]) -> Bool {
        guard isTerminal else { return false }
        if let nc = environment["NO_COLOR"], !nc.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return true
    }
}
