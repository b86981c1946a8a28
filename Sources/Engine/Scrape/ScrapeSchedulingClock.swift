/// The time the scrape loop schedules by: the wall clock in production, a virtual one in tests (so a test
/// runs many 15 s intervals in milliseconds without waiting for them).
public protocol ScrapeSchedulingClock: Sendable {
    /// Milliseconds since the Unix epoch.
    func now() -> Int64
    /// Returns once `now()` has reached `time` (at once when it already has, or when the task is cancelled).
    func sleep(until time: Int64) async
}
