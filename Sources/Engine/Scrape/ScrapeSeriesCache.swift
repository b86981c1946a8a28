/// What each series a target exposes became in its last scrape (Prometheus's `scrapeCache`): the labels
/// after `honor_labels` and `metric_relabel_configs` (or that relabelling dropped it) and its ref in the
/// head. A series seen again skips relabelling, the limit checks and the head's label lookup — the bulk of
/// a scrape's cost when a target exposes the same series every time, as targets do.
///
/// Only series of the last scrape are kept, so the cache is as large as the target's exposition.
struct ScrapeSeriesCache: Sendable {
    /// The series as exposed: name and labels in exposition order, unescaped.
    struct Key: Hashable, Sendable {
        var labels: [ExpositionLabel]

        init(_ labels: [ExpositionLabel]) { self.labels = labels }

        static func == (a: Key, b: Key) -> Bool {
            guard a.labels.count == b.labels.count else { return false }
            for (x, y) in zip(a.labels, b.labels) where x.name != y.name || x.value != y.value { return false }
            return true
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(labels.count)
            for l in labels {
                hasher.combine(l.name)
                hasher.combine(l.value)
            }
        }
    }

    enum Entry: Sendable {
        /// Kept, with its final labels and (once appended) its head ref.
        case kept(Labels, ref: SeriesRef?)
        /// Dropped by `metric_relabel_configs`.
        case dropped
    }

    var entries: [Key: Entry] = [:]
}
