import Regexp

/// A label matcher (`name="v"`, `!=`, `=~`, `!~`) as storage and PromQL share it.
public struct LabelMatcher: Sendable, Hashable, CustomStringConvertible {
    public enum MatchType: String, Sendable, Hashable {
        case equal = "="
        case notEqual = "!="
        case regexMatch = "=~"
        case regexNoMatch = "!~"
    }

    public let type: MatchType
    public let name: String
    public let value: String
    /// Compiled fully anchored (`^(?s:value)$`) for the regex types.
    public let regexp: Regexp?

    /// Builds a matcher; regex types compile `value` fully anchored and throw Go's regexp error text.
    public init(_ type: MatchType, _ name: String, _ value: String) throws(RegexpError) {
        self.type = type
        self.name = name
        self.value = value
        switch type {
        case .equal, .notEqual: regexp = nil
        case .regexMatch, .regexNoMatch: regexp = try Regexp.anchored(value)
        }
    }

    /// Whether a label value (empty when the label is absent) satisfies the matcher.
    public func matches(_ v: String) -> Bool {
        switch type {
        case .equal: return v == value
        case .notEqual: return v != value
        case .regexMatch: return regexp?.matches(v) ?? false
        case .regexNoMatch: return !(regexp?.matches(v) ?? false)
        }
    }

    /// True when the matcher accepts the empty string (and so series lacking the label).
    public var matchesEmpty: Bool { matches("") }

    public static func == (a: LabelMatcher, b: LabelMatcher) -> Bool {
        a.type == b.type && a.name == b.name && a.value == b.value
    }

    public func hash(into h: inout Hasher) {
        h.combine(type)
        h.combine(name)
        h.combine(value)
    }

    public var description: String { "\(name)\(type.rawValue)\(quoteLabelValue(value))" }
}
