import Regexp
import GoCompat

/// One relabelling rule (`relabel_configs`, `metric_relabel_configs`, `write_relabel_configs`, …), as
/// prometheus `model/relabel` decodes, validates and applies it.
public struct RelabelConfig: YAMLDecodable, Sendable {
    /// The relabel actions (lower-case in YAML; case-insensitive on input).
    public enum Action: String, Sendable, CaseIterable {
        case replace, keep, drop, keepequal, dropequal, hashmod, labelmap, labeldrop, labelkeep, lowercase, uppercase
    }

    public static let defaultSeparator = ";"
    public static let defaultRegex = "(.*)"
    public static let defaultReplacement = "$1"

    /// Nil when the key is absent or null (Go's nil slice).
    public var sourceLabels: [String]?
    public var separator = RelabelConfig.defaultSeparator
    /// The pattern as written (unanchored); `regex` is its anchored compiled form.
    public var regexPattern = RelabelConfig.defaultRegex
    /// True when the config sets `regex` (Go compares against the default regex object, not its text).
    public var regexIsExplicit = false
    public var regex: Regexp?
    public var modulus: UInt64 = 0
    public var targetLabel = ""
    public var replacement = RelabelConfig.defaultReplacement
    /// Nil when `action: null` was given (an error at validation).
    public var action: Action? = .replace
    public var marks = FieldMarks()
    public var mark = Mark(line: 0, column: 0)

    public static var goTypeName: String { "relabel.plain" }

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        mark = node.mark
        var m = decoder.mapping(node, goType: Self.goTypeName)
        marks = FieldMarks(m, keys: ["source_labels", "separator", "regex", "modulus", "target_label", "replacement", "action"])
        if let n = m.node("source_labels") {
            if n.isNull {
                sourceLabels = nil
            } else {
                var items: [Node] = []
                if case .sequence(let seq) = n.content { items = seq } else { decoder.cannotUnmarshal(n, into: "model.LabelNames") }
                var names: [String] = []
                for item in items {
                    guard item.scalarValue != nil else {
                        // LabelName.UnmarshalYAML unmarshals into a plain string.
                        decoder.cannotUnmarshal(item, into: "string")
                        continue
                    }
                    let name = try String(yaml: item, decoder: decoder)
                    // go-yaml never calls an unmarshaller for a null item: it stays "" unvalidated.
                    if !item.isNull, !NameValidationScheme.utf8.isValidLabelName(name) {
                        throw ConfigError("\(goQuote(name)) is not a valid label name", at: item.mark)
                    }
                    names.append(name)
                }
                sourceLabels = names
            }
        }
        separator = try m.decode("separator", default: RelabelConfig.defaultSeparator)
        if let n = m.node("regex") {
            regexIsExplicit = true
            regexPattern = n.isNull ? "" : try String(yaml: n, decoder: decoder)
            if n.isNull || n.scalarValue != nil {
                do {
                    regex = try Regexp.anchored(regexPattern)
                } catch {
                    throw ConfigError(error.description, at: n.mark)
                }
            }
        } else {
            regex = try? Regexp.anchored(RelabelConfig.defaultRegex)
        }
        modulus = try m.decode("modulus", default: UInt64(0))
        targetLabel = try m.decode("target_label", default: "")
        replacement = try m.decode("replacement", default: RelabelConfig.defaultReplacement)
        if let n = m.node("action") {
            if n.isNull {
                action = nil
            } else {
                let s = try String(yaml: n, decoder: decoder)
                if n.scalarValue != nil {
                    guard let a = Action(rawValue: s.lowercased()) else {
                        throw ConfigError("unknown relabel action \(goQuote(s))", at: n.mark)
                    }
                    action = a
                }
            }
        }
        m.finish()
    }

    /// Matches Prometheus's `relabelTargetLegacy`: legacy names with `$1`/`${name}` references.
    private static func isValidLegacyNameWithVars(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard !b.isEmpty else { return false }
        func isWord(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F }
        // (?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+ : a sequence of letters/underscores or $-references,
        // each group optionally followed by word characters; overall it must start with a letter,
        // underscore or $-reference.
        var i = 0
        var first = true
        while i < b.count {
            let c = b[i]
            if c == 0x24 {
                i += 1
                if i < b.count, b[i] == 0x7B {
                    i += 1
                    let start = i
                    while i < b.count, isWord(b[i]) { i += 1 }
                    guard i > start, i < b.count, b[i] == 0x7D else { return false }
                    i += 1
                } else {
                    let start = i
                    while i < b.count, isWord(b[i]) { i += 1 }
                    guard i > start else { return false }
                }
            } else if isWord(c) {
                if first && c >= 0x30 && c <= 0x39 { return false }
                i += 1
            } else {
                return false
            }
            first = false
        }
        return true
    }

    /// `relabel.Config.Validate(scheme)`, run after the whole file decoded.
    public func validate(scheme: NameValidationScheme) throws(ConfigError) {
        guard let action else { throw ConfigError("relabel action cannot be empty", at: marks["action"]) }
        let a = action.rawValue
        if modulus == 0 && action == .hashmod {
            throw ConfigError("relabel configuration for hashmod requires non-zero modulus", at: marks.first(of: "modulus", "action"))
        }
        let needsTarget: Set<Action> = [.replace, .hashmod, .lowercase, .uppercase, .keepequal, .dropequal]
        if needsTarget.contains(action) && targetLabel.isEmpty {
            throw ConfigError("relabel configuration for \(a) action requires 'target_label' value", at: marks.first(of: "target_label", "action"))
        }
        let targetMark = marks["target_label"]
        let hasVar = targetLabel.contains("$")
        func validWithVars(_ s: String) -> Bool {
            scheme == .utf8 ? scheme.isValidLabelName(s) : RelabelConfig.isValidLegacyNameWithVars(s)
        }
        let invalidTarget = ConfigError("\(goQuote(targetLabel)) is invalid 'target_label' for \(a) action", at: targetMark)
        if action == .replace && !hasVar && !scheme.isValidLabelName(targetLabel) { throw invalidTarget }
        if action == .replace && hasVar && !validWithVars(targetLabel) { throw invalidTarget }
        let equalOrCase: Set<Action> = [.lowercase, .uppercase, .keepequal, .dropequal]
        if equalOrCase.contains(action) && !scheme.isValidLabelName(targetLabel) { throw invalidTarget }
        if equalOrCase.contains(action) && replacement != RelabelConfig.defaultReplacement {
            throw ConfigError("'replacement' can not be set for \(a) action", at: marks["replacement"])
        }
        if action == .labelmap && !validWithVars(replacement) {
            throw ConfigError("\(goQuote(replacement)) is invalid 'replacement' for \(a) action", at: marks["replacement"])
        }
        if action == .hashmod && !scheme.isValidLabelName(targetLabel) { throw invalidTarget }
        if action == .dropequal || action == .keepequal {
            if regexIsExplicit || modulus != 0 || separator != RelabelConfig.defaultSeparator || replacement != RelabelConfig.defaultReplacement {
                throw ConfigError("\(a) action requires only 'source_labels' and `target_label`, and no other fields", at: mark)
            }
        }
        if action == .labeldrop || action == .labelkeep {
            if sourceLabels != nil || !targetLabel.isEmpty || modulus != 0 || separator != RelabelConfig.defaultSeparator
                || replacement != RelabelConfig.defaultReplacement {
                throw ConfigError("\(a) action requires only 'regex', and no other fields", at: mark)
            }
        }
    }

    /// Applies this rule to `labels` (name → value); false when the rule drops the label set.
    public func apply(to labels: inout [String: String]) -> Bool {
        guard let action, let regex else { return true }
        let val = (sourceLabels ?? []).map { labels[$0] ?? "" }.joined(separator: separator)
        func set(_ name: String, _ value: String) {
            if value.isEmpty { labels[name] = nil } else { labels[name] = value }
        }
        switch action {
        case .drop:
            if regex.matches(val) { return false }
        case .keep:
            if !regex.matches(val) { return false }
        case .dropequal:
            if (labels[targetLabel] ?? "") == val { return false }
        case .keepequal:
            if (labels[targetLabel] ?? "") != val { return false }
        case .replace:
            if val.isEmpty && !regexIsExplicit && !targetLabel.contains("$") && !replacement.contains("$") {
                set(targetLabel, replacement)
                break
            }
            let src = Array(val.utf8)
            guard let match = regex.match(src) else { break }
            let target = regex.expand(targetLabel, source: src, match: match)
            guard NameValidationScheme.utf8.isValidLabelName(target) else { break }
            let res = regex.expand(replacement, source: src, match: match)
            set(target, res)
        case .lowercase:
            set(targetLabel, val.lowercased())
        case .uppercase:
            set(targetLabel, val.uppercased())
        case .hashmod:
            let digest = MD5.digest(Array(val.utf8))
            var h: UInt64 = 0
            for b in digest[8..<16] { h = h << 8 | UInt64(b) }
            set(targetLabel, String(modulus == 0 ? 0 : h % modulus))
        case .labelmap:
            for (name, value) in labels.sorted(by: { $0.key < $1.key }) where regex.matches(name) {
                set(regex.replaceAll(in: name, with: replacement), value)
            }
        case .labeldrop:
            // Each name is kept or dropped on its own, so any order gives the same labels (no sort per target).
            for name in labels.keys where regex.matches(name) { labels[name] = nil }
        case .labelkeep:
            for name in labels.keys where !regex.matches(name) { labels[name] = nil }
        }
        return true
    }
}

extension Array where Element == RelabelConfig {
    /// Applies the rules in order; false when one drops the label set.
    public func apply(to labels: inout [String: String]) -> Bool {
        for rule in self where !rule.apply(to: &labels) { return false }
        return true
    }
}

/// MD5 (RFC 1321), for the `hashmod` action.
enum MD5 {
    private static let s: [UInt32] = [7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                      5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
                                      4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                      6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21]
    private static let k: [UInt32] = [
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
        0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
        0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
        0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
        0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
        0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
        0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
    ]

    static func digest(_ message: [UInt8]) -> [UInt8] {
        var msg = message
        let bitLength = UInt64(message.count) &* 8
        msg.append(0x80)
        while msg.count % 64 != 56 { msg.append(0) }
        for i in 0..<8 { msg.append(UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(i)))) }
        var a0: UInt32 = 0x67452301, b0: UInt32 = 0xefcdab89, c0: UInt32 = 0x98badcfe, d0: UInt32 = 0x10325476
        var chunk = [UInt32](repeating: 0, count: 16)
        var offset = 0
        while offset < msg.count {
            for i in 0..<16 {
                let j = offset + i * 4
                chunk[i] = UInt32(msg[j]) | UInt32(msg[j + 1]) << 8 | UInt32(msg[j + 2]) << 16 | UInt32(msg[j + 3]) << 24
            }
            var a = a0, b = b0, c = c0, d = d0
            for i in 0..<64 {
                var f: UInt32
                let g: Int
                switch i {
                case 0..<16: f = (b & c) | (~b & d); g = i
                case 16..<32: f = (d & b) | (~d & c); g = (5 * i + 1) % 16
                case 32..<48: f = b ^ c ^ d; g = (3 * i + 5) % 16
                default: f = c ^ (b | ~d); g = (7 * i) % 16
                }
                f = f &+ a &+ k[i] &+ chunk[g]
                a = d
                d = c
                c = b
                b = b &+ (f << s[i] | f >> (32 - s[i]))
            }
            a0 = a0 &+ a; b0 = b0 &+ b; c0 = c0 &+ c; d0 = d0 &+ d
            offset += 64
        }
        var out: [UInt8] = []
        for v in [a0, b0, c0, d0] { for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) } }
        return out
    }
}
