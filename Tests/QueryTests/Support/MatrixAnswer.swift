import Foundation

/// A range-selection answer of `query instant -o json`: each series' samples (float pairs and native histogram
/// pairs) as canonical JSON texts, in time order.
struct MatrixAnswer {
    var series: [String: [String]] = [:]

    init(_ json: String) throws {
        guard let result = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] else {
            throw TestFailure("unexpected answer: \(json.prefix(300))")
        }
        for s in result {
            let metric = try Self.canonical(s["metric"] ?? [:])
            var points: [(Double, String)] = []
            for key in ["values", "histograms"] {
                for pair in s[key] as? [[Any]] ?? [] {
                    guard let t = pair.first as? Double else { throw TestFailure("unexpected sample in \(metric)") }
                    points.append((t, try Self.canonical(pair)))
                }
            }
            series[metric] = points.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    static func canonical(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
    }

    /// Series whose samples differ from `other`'s, each with its first differing sample on both sides.
    func differences(from other: MatrixAnswer) -> [String] {
        Set(series.keys).union(other.series.keys).sorted().compactMap { metric in
            let mine = series[metric] ?? [], theirs = other.series[metric] ?? []
            guard mine != theirs else { return nil }
            let at = zip(mine, theirs).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(mine.count, theirs.count)
            let a = at < mine.count ? mine[at] : "none", b = at < theirs.count ? theirs[at] : "none"
            return "\(metric): \(mine.count) vs \(theirs.count) samples; at \(at): \(a) vs \(b)"
        }
    }

    /// Series of this answer whose samples are not the first samples of the same series in `complete`.
    func notPrefix(of complete: MatrixAnswer) -> [String] {
        series.compactMap { metric, points in
            guard let all = complete.series[metric] else { return "\(metric): not in the final answer" }
            guard points.count <= all.count, Array(all.prefix(points.count)) == points else {
                let at = zip(points, all).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(points.count, all.count)
                return "\(metric): \(points.count) samples, final \(all.count), first difference at \(at)"
            }
            return nil
        }
    }
}
