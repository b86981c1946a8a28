import Foundation

/// Seeded, line-based mutations of valid YAML files: the broken inputs users write (a key dropped, a value
/// of the wrong type, a bad duration, a bad expression, a duplicate group, an unknown field).
enum Mutation: String, CaseIterable, Sendable {
    case dropKey = "drop-key"
    case wrongType = "wrong-type"
    case badDuration = "bad-duration"
    case badExpression = "bad-expression"
    case duplicateGroup = "duplicate-group"
    case unknownField = "unknown-field"

    /// `line` split as `indent`, `key`, `value` when it is `key: value` with an inline scalar value (not a
    /// list item, not a block start).
    private static func keyValue(_ line: String) -> (indent: String, key: String, value: String)? {
        let indent = String(line.prefix { $0 == " " })
        let rest = line.dropFirst(indent.count)
        guard let colon = rest.firstIndex(of: ":"), !rest.hasPrefix("-"), !rest.hasPrefix("#") else { return nil }
        let key = rest[..<colon]
        guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        let value = rest[rest.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty, !value.hasPrefix("|"), !value.hasPrefix(">"), !value.hasPrefix("#") else { return nil }
        return (indent, String(key), value)
    }

    private static func isDuration(_ v: String) -> Bool {
        let units: Set<Character> = ["s", "m", "h", "d", "w", "y"]
        guard let last = v.last, units.contains(last), let first = v.first, first.isNumber else { return false }
        return v.allSatisfy { $0.isNumber || units.contains($0) }
    }

    /// The mutated text, or nil when this mutation has nothing to act on in `text`. `pick` chooses among
    /// candidates (seeded by the caller).
    func apply(to text: String, pick: (Int) -> Int) -> String? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let kv = lines.indices.compactMap { i in Self.keyValue(lines[i]).map { (i, $0) } }
        switch self {
        case .dropKey:
            guard !kv.isEmpty else { return nil }
            lines.remove(at: kv[pick(kv.count)].0)
        case .wrongType:
            guard !kv.isEmpty else { return nil }
            let (i, f) = kv[pick(kv.count)]
            lines[i] = "\(f.indent)\(f.key): {wrong: [type]}"
        case .badDuration:
            let durations = kv.filter { Self.isDuration($0.1.value) }
            guard !durations.isEmpty else { return nil }
            let (i, f) = durations[pick(durations.count)]
            let bad = ["1x", "-5m", "1.5m", "5", "1m1h", "99999999999999999999y"]
            lines[i] = "\(f.indent)\(f.key): \(bad[pick(bad.count)])"
        case .badExpression:
            let exprs = kv.filter { $0.1.key == "expr" }
            guard !exprs.isEmpty else { return nil }
            let (i, f) = exprs[pick(exprs.count)]
            let bad = ["'sum(rate(x[5m])'", "'x +'", "'rate(x)'", "'x{a=~\"(\"}'", "'sum by (a) (x) by (b)'",
                       "'x[5m] offset'", "'histogram_quantile(0.9)'", "'1 == 1'"]
            lines[i] = "\(f.indent)\(f.key): \(bad[pick(bad.count)])"
        case .duplicateGroup:
            guard let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("- name:") })
            else { return nil }
            let indent = lines[start].prefix { $0 == " " }.count
            var end = start + 1
            while end < lines.count {
                let l = lines[end]
                let ind = l.prefix { $0 == " " }.count
                if !l.trimmingCharacters(in: .whitespaces).isEmpty && ind <= indent { break }
                end += 1
            }
            lines.insert(contentsOf: lines[start..<end], at: end)
        case .unknownField:
            guard !kv.isEmpty else { return nil }
            let (i, f) = kv[pick(kv.count)]
            lines.insert("\(f.indent)promtool_swift_unknown_field: 1", at: i + 1)
        }
        return lines.joined(separator: "\n")
    }
}
