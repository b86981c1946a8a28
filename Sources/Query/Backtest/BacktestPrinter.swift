import GoCompat
import Engine

/// Prints `query backtest` results: a readable timeline per alert instance, or JSON for scripts.
public enum BacktestPrinter {
    public enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    public static func render(_ alerts: [AlertHistory], format: Format, start: Int64, end: Int64) -> String {
        switch format {
        case .text: return text(alerts, start: start, end: end)
        case .json: return json(alerts) + "\n"
        }
    }

    /// One block per alert instance: `Name{labels}` then one `  state  RFC 3339 time (Unix seconds)` line
    /// per transition.
    public static func text(_ alerts: [AlertHistory], start: Int64, end: Int64) -> String {
        guard !alerts.isEmpty else {
            return "No alert went pending or firing between \(rfc3339(start)) and \(rfc3339(end)).\n"
        }
        var out = ""
        for a in alerts {
            let others = Labels(sorted: a.labels.labels.filter { $0.name != "alertname" })
            out += a.alertname + (others.isEmpty ? "" : others.description) + "\n"
            for t in a.transitions {
                let name = t.state.rawValue
                out += "  " + name + String(repeating: " ", count: max(1, 10 - name.count)) + rfc3339(t.time) + " (" + seconds(t.time) + ")\n"
            }
        }
        return out
    }

    /// `[{"alertname":…,"labels":{…},"transitions":[{"state":"firing","time":1700001400},…]},…]`.
    public static func json(_ alerts: [AlertHistory]) -> String {
        var out = "["
        for (i, a) in alerts.enumerated() {
            if i > 0 { out += "," }
            out += "{\"alertname\":" + goJSONString(a.alertname) + ",\"labels\":{"
            out += a.labels.labels.map { goJSONString($0.name) + ":" + goJSONString($0.value) }.joined(separator: ",")
            out += "},\"transitions\":["
            out += a.transitions.map { "{\"state\":\"\($0.state.rawValue)\",\"time\":\(seconds($0.time))}" }.joined(separator: ",")
            out += "]}"
        }
        return out + "]"
    }

    /// Milliseconds as Unix seconds, the fraction only when there is one (`1700000000`, `1700000000.5`).
    static func seconds(_ millis: Int64) -> String {
        millis % 1000 == 0 ? String(millis / 1000) : GoFloat.formatF(Double(millis) / 1000)
    }

    static func rfc3339(_ millis: Int64) -> String {
        TemplateFormat.goTimeFormat(millis.multipliedReportingOverflow(by: 1_000_000).partialValue, layout: "2006-01-02T15:04:05.999Z07:00")
    }
}
