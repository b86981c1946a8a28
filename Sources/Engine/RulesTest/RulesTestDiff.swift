import GoCompat

/// `--diff` output for alert mismatches, as promtool 3.14 prints it: the expected and received alerts
/// are encoded as JSON (`[{"Labels": {...}, "Annotations": {...}}]`) and compared with the console
/// options of the JSON diff library promtool uses (github.com/nsf/jsondiff). The rendering is that
/// library's: pretty-printed with 4-space indentation, object keys sorted, strings Go-quoted, values only in
/// the expected list red (`ESC[0;31m`), only in the received one green (`ESC[0;32m`), changed values yellow
/// (`ESC[0;33m`, `"exp" => "got"`), each coloured stretch closed (`ESC[0m`) before every line break and
/// reopened after the next line's indentation.
enum RulesTestDiff {
    /// The JSON values an alert list encodes to (no numbers, booleans or nulls occur).
    indirect enum Node {
        case string(String)
        /// Members sorted by key bytes (the library sorts keys; Go maps have no order).
        case object([(key: String, value: Node)])
        case array([Node])
    }

    /// The diff, or nil when the two lists encode to the same JSON (promtool then reports nothing).
    static func render(expected: [ComparableAlert], got: [ComparableAlert]) -> String? {
        var printer = Printer()
        let text = printer.diff(node(expected), node(got))
        return printer.mismatch ? text : nil
    }

    /// `json.Marshal` of promtool's `labelsAndAnnotations` (a label set marshals as a JSON object).
    static func node(_ alerts: [ComparableAlert]) -> Node {
        func object(_ ls: Labels) -> Node {
            .object(ls.labels.sorted { byteOrder($0.name, $1.name) }.map { (key: $0.name, value: .string($0.value)) })
        }
        return .array(alerts.map { .object([(key: "Annotations", value: object($0.annotations)),
                                            (key: "Labels", value: object($0.labels))]) })
    }

    /// Go's string order (`sort.Strings`): by UTF-8 bytes.
    static func byteOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    /// The library's colour tags (its "normal" tag writes nothing).
    enum Tag {
        case normal, added, removed, changed

        var begin: String {
            switch self {
            case .normal: return ""
            case .added: return "\u{1B}[0;32m"
            case .removed: return "\u{1B}[0;31m"
            case .changed: return "\u{1B}[0;33m"
            }
        }

        var end: String { self == .normal ? "" : "\u{1B}[0m" }
    }

    /// The library's printing state: the nesting level and the tag currently open.
    struct Printer {
        var level = 0
        var open: Tag? = nil
        /// Whether anything differed (the library's result is then not a full match).
        var mismatch = false

        mutating func tag(_ t: Tag, _ out: inout String) {
            if open == t { return }
            if let o = open { out += o.end }
            out += t.begin
            open = t
        }

        /// Writes `s`, ends the line (closing the open tag), indents the next and reopens the tag there.
        mutating func newline(_ s: String, _ out: inout String) {
            out += s
            if let o = open { out += o.end }
            out += "\n" + String(repeating: "    ", count: level)
            if let o = open { out += o.begin }
        }

        mutating func finish(_ out: inout String) -> String {
            if let o = open { out += o.end }
            open = nil
            return out
        }

        /// A whole value (`full`), or a collection shown as `[]`/`{}` (in a `a => b` mismatch).
        mutating func write(_ v: Node, full: Bool, _ out: inout String) {
            switch v {
            case .string(let s):
                out += goQuote(s)
            case .array(let items):
                guard full else { out += "[]"; return }
                writeItems(items.map { (key: nil, value: $0) }, "[", "]", &out)
            case .object(let members):
                guard full else { out += "{}"; return }
                writeItems(members.map { (key: Optional($0.key), value: $0.value) }, "{", "}", &out)
            }
        }

        private mutating func writeItems(_ items: [(key: String?, value: Node)], _ openText: String, _ close: String, _ out: inout String) {
            if items.isEmpty {
                out += openText
            } else {
                level += 1
                newline(openText, &out)
            }
            for (i, item) in items.enumerated() {
                if let k = item.key { out += goQuote(k) + ": " }
                write(item.value, full: true, &out)
                if i != items.count - 1 {
                    newline(",", &out)
                } else {
                    level -= 1
                    newline("", &out)
                }
            }
            out += close
        }

        mutating func diff(_ a: Node, _ b: Node) -> String {
            var out = ""
            switch (a, b) {
            case let (.array(x), .array(y)):
                let n = max(x.count, y.count)
                return collection((0..<n).map { i in (key: nil, a: i < x.count ? x[i] : nil, b: i < y.count ? y[i] : nil) }, "[", "]")
            case let (.object(x), .object(y)):
                let keys = Set(x.map(\.key)).union(y.map(\.key)).sorted(by: byteOrder)
                let ax = Dictionary(x.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
                let by = Dictionary(y.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
                return collection(keys.map { (key: Optional($0), a: ax[$0], b: by[$0]) }, "{", "}")
            case let (.string(x), .string(y)) where x == y:
                tag(.normal, &out)
                write(a, full: true, &out)
            default:
                tag(.changed, &out)
                write(a, full: false, &out)
                out += " => "
                write(b, full: false, &out)
                mismatch = true
            }
            return finish(&out)
        }

        /// Members or elements present on either side: those on both are diffed first (one level deeper),
        /// then everything is written in order, with what only one side has in its colour.
        private mutating func collection(_ items: [(key: String?, a: Node?, b: Node?)], _ openText: String, _ close: String) -> String {
            level += 1
            let diffs: [String] = items.map { item in
                if let a = item.a, let b = item.b { return diff(a, b) }
                return ""
            }
            level -= 1
            var out = ""
            tag(.normal, &out)
            if items.isEmpty {
                out += openText + close
                return finish(&out)
            }
            level += 1
            newline(openText, &out)
            for (i, item) in items.enumerated() {
                let key = item.key.map { goQuote($0) + ": " } ?? ""
                switch (item.a, item.b) {
                case (.some, .some):
                    out += key + diffs[i]
                case (.some(let a), nil):
                    tag(.removed, &out)
                    out += key
                    write(a, full: true, &out)
                    mismatch = true
                case (nil, .some(let b)):
                    tag(.added, &out)
                    out += key
                    write(b, full: true, &out)
                    mismatch = true
                case (nil, nil):
                    break
                }
                if i < items.count - 1 {
                    tag(.normal, &out)
                    newline(",", &out)
                } else {
                    level -= 1
                    tag(.normal, &out)
                    newline("", &out)
                }
            }
            out += close
            return finish(&out)
        }
    }
}
