/// Text for `lint --list-checks` and `lint --explain ID`.
public enum CheckDocs {
    /// One line per check: id, default severity, whether on by default, summary.
    public static func list(_ catalogue: CheckCatalogue) -> String {
        let infos = catalogue.infos
        let width = infos.map(\.id.rawValue.count).max() ?? 0
        var out = ""
        for i in infos {
            let pad = String(repeating: " ", count: max(0, width - i.id.rawValue.count))
            let sev = i.defaultSeverity.rawValue.padding(7)
            let flag = i.enabledByDefault ? "" : " (off by default)"
            out += "\(i.id)\(pad)  \(sev)  \(i.summary)\(flag)\n"
        }
        return out
    }

    /// The documentation of one check, or nil for an unknown id.
    public static func explain(_ id: String, _ catalogue: CheckCatalogue) -> String? {
        guard let i = catalogue.info(CheckID(id)) else { return nil }
        var out = "\(i.id) (default severity: \(i.defaultSeverity)\(i.enabledByDefault ? "" : ", off by default"))\n"
        out += "\n\(i.summary)\n\n\(i.doc)\n"
        if !i.isInputError {
            out += "\nSilence it for one rule with `# promtool-swift: disable=\(i.id)`, for a file with "
            out += "`# promtool-swift: disable-file=\(i.id)`, or everywhere with `disable: [\(i.id)]` in .promtool-swift.yml.\n"
        }
        return out
    }
}

extension String {
    func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}
