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
    /// The exact bytes of the value when they are not valid UTF-8 (PromQL's `\xNN` escapes can write such
    /// values; `value` then has U+FFFD in their place); nil otherwise.
    public let invalidUTF8Bytes: [UInt8]?
    /// Compiled fully anchored (`^(?s:value)$`) for the regex types.
    public let regexp: Regexp?

    /// Builds a matcher; regex types compile `value` fully anchored and throw Go's regexp error text.
    /// `invalidUTF8Bytes` keeps the exact bytes of a value that is not valid UTF-8 (see the property).
    public init(_ type: MatchType, _ name: String, _ value: String, invalidUTF8Bytes: [UInt8]? = nil) throws(RegexpError) {
        self.type = type
        self.name = name
        self.value = value
        self.invalidUTF8Bytes = invalidUTF8Bytes
        switch type {
        case .equal, .notEqual: regexp = nil
        case .regexMatch, .regexNoMatch: regexp = try Regexp.anchored(value)
        }
    }

    /// Whether a label value (empty when the label is absent) satisfies the matcher.
    public func matches(_ v: String) -> Bool {
        switch type {
        // A String is valid UTF-8, so it never equals a value that is not (as Go compares bytes).
        case .equal: return invalidUTF8Bytes == nil && v == value
        case .notEqual: return invalidUTF8Bytes != nil || v != value
        case .regexMatch: return regexp?.matches(v) ?? false
        case .regexNoMatch: return !(regexp?.matches(v) ?? false)
        }
    }

    /// True when the matcher accepts the empty string (and so series lacking the label).
    public var matchesEmpty: Bool { matches("") }

    public static func == (a: LabelMatcher, b: LabelMatcher) -> Bool {
        a.type == b.type && a.name == b.name && a.value == b.value && a.invalidUTF8Bytes == b.invalidUTF8Bytes
    }

    public func hash(into h: inout Hasher) {
        h.combine(type)
        h.combine(name)
        h.combine(value)
        h.combine(invalidUTF8Bytes)
    }

    public var description: String { "\(name)\(type.rawValue)\(quoteLabelValue(value))" }
}
