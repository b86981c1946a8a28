import GoCompat

/// Syntax checks of Kubernetes field and label selectors, as `fields.ParseSelector` and `labels.Parse`
/// (k8s.io/apimachinery) perform them when Prometheus loads a `kubernetes_sd_config`.
public enum KubernetesSelectors {
    /// Checks a field selector (`metadata.name=foo,status.phase!=Running`); returns the error text or nil.
    public static func fieldSelectorError(_ selector: String) -> String? {
        // k8s sorts the terms first, so the first bad term in byte order is the one reported.
        let parts = splitTerms(selector).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for part in parts where !part.isEmpty {
            guard let rhs = splitTerm(part) else {
                return "invalid selector: '\(selector)'; can't understand '\(part)'"
            }
            if let e = unescapeError(rhs) { return e }
        }
        return nil
    }

    /// Splits on commas not escaped by a backslash (the backslashes stay).
    private static func splitTerms(_ s: String) -> [String] {
        if s.isEmpty { return [] }
        var out: [String] = []
        var cur = String.UnicodeScalarView()
        var inSlash = false
        for c in s.unicodeScalars {
            if inSlash {
                inSlash = false
            } else if c == "\\" {
                inSlash = true
            } else if c == "," {
                out.append(String(cur))
                cur = String.UnicodeScalarView()
                continue
            }
            cur.append(c)
        }
        out.append(String(cur))
        return out
    }

    /// The right-hand side after the first `!=`, `==` or `=` (no escaping on the left side), nil when none.
    private static func splitTerm(_ term: String) -> String? {
        let b = Array(term.utf8)
        for i in b.indices {
            for op in [[UInt8(0x21), 0x3D], [0x3D, 0x3D], [0x3D]] where i + op.count <= b.count && Array(b[i..<(i + op.count)]) == op {
                return String(decoding: b[(i + op.count)...], as: UTF8.self)
            }
        }
        return nil
    }

    /// `fields.UnescapeValue`'s errors.
    private static func unescapeError(_ s: String) -> String? {
        var inSlash = false
        for c in s.unicodeScalars {
            if inSlash {
                if c != "\\" && c != "," && c != "=" {
                    return "invalid field selector: invalid escape sequence: \\\(c)"
                }
                inSlash = false
                continue
            }
            switch c {
            case "\\": inSlash = true
            case ",", "=": return "invalid field selector: unescaped character in value: \(c.value)"
            default: break
            }
        }
        if inSlash { return "invalid field selector: invalid escape sequence: \\" }
        return nil
    }

    // MARK: - Label selectors

    private enum Token: Equatable {
        case identifier(String), doesNotExist, equals, doubleEquals, notEquals, greaterThan, lessThan
        case inKeyword, notInKeyword, openPar, closedPar, comma, end, error(String)

        var literal: String {
            switch self {
            case .identifier(let s): return s
            case .doesNotExist: return "!"
            case .equals: return "="
            case .doubleEquals: return "=="
            case .notEquals: return "!="
            case .greaterThan: return ">"
            case .lessThan: return "<"
            case .inKeyword: return "in"
            case .notInKeyword: return "notin"
            case .openPar: return "("
            case .closedPar: return ")"
            case .comma: return ","
            case .end: return ""
            case .error(let s): return s
            }
        }
    }

    private static func isSpecial(_ c: UInt8) -> Bool {
        c == 0x3D || c == 0x21 || c == 0x28 || c == 0x29 || c == 0x2C || c == 0x3E || c == 0x3C
    }

    private static func isWhitespace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }

    /// k8s's lexer works on bytes: identifiers run to white space or an operator character.
    private static func lex(_ s: String) -> [Token] {
        let b = Array(s.utf8)
        var out: [Token] = []
        var i = 0
        while i < b.count {
            let c = b[i]
            if isWhitespace(c) { i += 1; continue }
            if c == 0 { break }
            if isSpecial(c) {
                let next: UInt8 = i + 1 < b.count ? b[i + 1] : 0
                switch (c, next) {
                case (0x21, 0x3D): out.append(.notEquals); i += 2
                case (0x3D, 0x3D): out.append(.doubleEquals); i += 2
                case (0x21, _): out.append(.doesNotExist); i += 1
                case (0x3D, _): out.append(.equals); i += 1
                case (0x28, _): out.append(.openPar); i += 1
                case (0x29, _): out.append(.closedPar); i += 1
                case (0x2C, _): out.append(.comma); i += 1
                case (0x3E, _): out.append(.greaterThan); i += 1
                default: out.append(.lessThan); i += 1
                }
                continue
            }
            var j = i
            while j < b.count, b[j] != 0, !isSpecial(b[j]), !isWhitespace(b[j]) { j += 1 }
            let word = String(decoding: b[i..<j], as: UTF8.self)
            switch word {
            case "in": out.append(.inKeyword)
            case "notin": out.append(.notInKeyword)
            default: out.append(.identifier(word))
            }
            i = j
        }
        out.append(.end)
        return out
    }

    private struct Parser {
        var tokens: [Token]
        var pos = 0

        /// In a value context the keywords `in` and `notin` are plain identifiers.
        func lookahead(values: Bool) -> Token {
            let t = pos < tokens.count ? tokens[pos] : .end
            if values {
                if t == .inKeyword { return .identifier("in") }
                if t == .notInKeyword { return .identifier("notin") }
            }
            return t
        }

        mutating func consume(values: Bool) -> Token {
            let t = lookahead(values: values)
            if pos < tokens.count { pos += 1 }
            return t
        }
    }

    /// Checks a label selector (`app=foo,tier in (a,b),!canary`); returns the error text or nil.
    public static func labelSelectorError(_ selector: String) -> String? {
        var p = Parser(tokens: lex(selector))
        while true {
            let t = p.lookahead(values: true)
            switch t {
            case .identifier, .doesNotExist:
                if let e = parseRequirement(&p) { return "unable to parse requirement: \(e)" }
                let next = p.consume(values: true)
                switch next {
                case .end: return nil
                case .comma:
                    let t2 = p.lookahead(values: true)
                    switch t2 {
                    case .identifier, .doesNotExist: continue
                    default: return "found '\(t2.literal)', expected: identifier after ','"
                    }
                default:
                    return "found '\(next.literal)', expected: ',' or 'end of string'"
                }
            case .end:
                return nil
            default:
                return "found '\(t.literal)', expected: !, identifier, or 'end of string'"
            }
        }
    }

    /// One requirement; nil when it parses and validates (k8s `parseRequirement` + `NewRequirement`).
    private static func parseRequirement(_ p: inout Parser) -> String? {
        var tok = p.consume(values: true)
        var doesNotExist = false
        if tok == .doesNotExist {
            doesNotExist = true
            tok = p.consume(values: true)
        }
        guard case .identifier(let key) = tok else { return "found '\(tok.literal)', expected: identifier" }
        if let e = qualifiedNameError(key) { return "<nil>: Invalid value: \(goQuote(key)): \(e)" }
        let after = p.lookahead(values: true)
        // `!key` is complete whatever follows; the caller then rejects a stray operator.
        if doesNotExist || after == .end || after == .comma { return nil }
        let op = p.consume(values: false)
        var values: [String] = []
        switch op {
        case .inKeyword, .notInKeyword:
            let open = p.consume(values: true)
            guard open == .openPar else { return "found '\(open.literal)' expected: '('" }
            let first = p.lookahead(values: true)
            switch first {
            case .identifier, .comma:
                var set: [String] = []
                loop: while true {
                    let t = p.consume(values: true)
                    switch t {
                    case .identifier(let v):
                        set.append(v)
                        let t2 = p.lookahead(values: true)
                        if t2 == .comma { continue loop }
                        if t2 == .closedPar { break loop }
                        return "found '\(t2.literal)', expected: ',' or ')'"
                    case .comma:
                        if set.isEmpty { set.append("") }
                        let t2 = p.lookahead(values: true)
                        if t2 == .closedPar { set.append(""); break loop }
                        if t2 == .comma { _ = p.consume(values: true); set.append("") }
                    default:
                        return "found '\(t.literal)', expected: ',', or identifier"
                    }
                }
                let close = p.consume(values: true)
                if close != .closedPar { return "found '\(first.literal)', expected: ')'" }
                values = set
            case .closedPar:
                _ = p.consume(values: true)
                values = [""]
            default:
                return "found '\(first.literal)', expected: ',', ')' or identifier"
            }
        case .equals, .doubleEquals, .notEquals, .greaterThan, .lessThan:
            let t = p.lookahead(values: true)
            if t == .end || t == .comma {
                values = [""]
            } else {
                let v = p.consume(values: true)
                guard case .identifier(let s) = v else { return "found '\(v.literal)', expected: identifier" }
                values = [s]
            }
        default:
            return "found '\(op.literal)', expected: '=', '!=', '==', 'in', notin'"
        }
        // NewRequirement: values are a sorted set; every problem is reported, aggregated.
        values = Array(Set(values)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var errs: [String] = []
        if op == .greaterThan || op == .lessThan {
            for (i, v) in values.enumerated() where Int64(v) == nil {
                errs.append("values[\(i)]: Invalid value: \(goQuote(v)): for 'Gt', 'Lt' operators, the value must be an integer")
            }
        }
        for (i, v) in values.enumerated() {
            if let e = labelValueError(v) { errs.append("values[\(i)][\(key)]: Invalid value: \(goQuote(v)): \(e)") }
        }
        var unique: [String] = []
        for e in errs where !unique.contains(e) { unique.append(e) }
        switch unique.count {
        case 0: return nil
        case 1: return unique[0]
        default: return "[" + unique.joined(separator: ", ") + "]"
        }
    }

    private static let nameMessage = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"

    private static func isAlnum(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]` on the whole string.
    private static func isQualifiedNamePart(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard let first = b.first, let last = b.last, isAlnum(first), isAlnum(last) else { return false }
        return b.allSatisfy { isAlnum($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }
    }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*` on the whole string.
    private static func matchesDNS1123Subdomain(_ s: String) -> Bool {
        for label in s.split(separator: ".", omittingEmptySubsequences: false) {
            let b = Array(label.utf8)
            guard let f = b.first, let l = b.last else { return false }
            func ok(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A) }
            if !ok(f) || !ok(l) { return false }
            if !b.allSatisfy({ ok($0) || $0 == 0x2D }) { return false }
        }
        return true
    }

    /// `validation.IsQualifiedName` messages joined by "; ", nil when valid.
    private static func qualifiedNameError(_ key: String) -> String? {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var errs: [String] = []
        let name: String
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            let prefix = parts[0]
            name = parts[1]
            if prefix.isEmpty {
                errs.append("prefix part must be non-empty")
            } else {
                if prefix.utf8.count > 253 { errs.append("prefix part must be no more than 253 characters") }
                if !matchesDNS1123Subdomain(prefix) {
                    errs.append("prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
                }
            }
        default:
            return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        }
        if name.isEmpty {
            errs.append("name part must be non-empty")
        } else if name.utf8.count > 63 {
            errs.append("name part must be no more than 63 characters")
        }
        if !isQualifiedNamePart(name) { errs.append(nameMessage) }
        return errs.isEmpty ? nil : errs.joined(separator: "; ")
    }

    /// `validation.IsValidLabelValue` messages, nil when valid (the empty value is valid).
    private static func labelValueError(_ v: String) -> String? {
        if v.isEmpty { return nil }
        var errs: [String] = []
        if v.utf8.count > 63 { errs.append("must be no more than 63 characters") }
        if !isQualifiedNamePart(v) {
            errs.append("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")
        }
        return errs.isEmpty ? nil : errs.joined(separator: "; ")
    }
}
