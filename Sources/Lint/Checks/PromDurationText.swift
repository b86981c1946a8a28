import ConfigModel

/// Formatting of durations in messages, as Prometheus prints them.
enum PromDurationText {
    static func format(milliseconds: Int64) -> String {
        PromDuration(milliseconds: max(0, milliseconds)).description
    }
}
