/// GitHub Actions workflow commands:
/// `::warning file=F,line=L,col=C,endLine=…,endColumn=…,title=ID::message`.
public struct GitHubReporter: Sendable {
    public init() {}

    public func render(_ diagnostics: [Diagnostic]) -> String {
        var out = ""
        for d in diagnostics {
            var props = [
                "file=\(Self.escapeProperty(d.file))",
                "line=\(d.range.start.line)",
                "col=\(d.range.start.column)",
            ]
            if d.range.end != d.range.start {
                props.append("endLine=\(d.range.end.line)")
                props.append("endColumn=\(d.range.end.column)")
            }
            props.append("title=\(Self.escapeProperty(d.check.rawValue))")
            out += "::\(d.severity.githubCommand) \(props.joined(separator: ","))::\(Self.escapeData(d.message))\n"
        }
        return out
    }

    /// Escapes a command's message: `%`, CR and LF.
    public static func escapeData(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Escapes a property value: as data, plus `:` and `,`.
    public static func escapeProperty(_ s: String) -> String {
        var out = ""
        for c in escapeData(s).unicodeScalars {
            switch c {
            case ":": out += "%3A"
            case ",": out += "%2C"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
