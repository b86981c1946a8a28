import BenchSupport
import Engine
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `body`, returning (wall seconds, thread CPU seconds).
func measure(_ body: () -> Void) -> (wall: Double, cpu: Double) {
    let c0 = threadCPUSeconds()
    let d = ContinuousClock().measure(body)
    return (seconds(d), threadCPUSeconds() - c0)
}

let metrics = 10, jobs = 10, instances = 100
let seriesCount = metrics * jobs * instances
let step: Int64 = 15_000
let samplesPerSeries = 2 * 3600 * 1000 / Int(step)  // 2 h of 15 s scrapes = 480
let t0: Int64 = 1_700_000_000_000

var labelSets: [Labels] = []
labelSets.reserveCapacity(seriesCount)
for m in 0..<metrics {
    for j in 0..<jobs {
        for i in 0..<instances {
            labelSets.append(Labels([
                ("__name__", "http_requests_\(m)_total"), ("job", "job_\(j)"), ("instance", "host-\(i).example.org:9100"),
            ]))
        }
    }
}

// Regular 15 s counters: each series has a request rate; each scrape adds a random integer in 0...2*rate
// (a quarter of the series are idle and never move, as many real counters).
var rng = SplitMix64(state: 42)
let rates: [Int] = (0..<seriesCount).map { i in i % 4 == 0 ? 0 : Int.random(in: 1...50, using: &rng) }
var values = [Double](repeating: 0, count: seriesCount)
for i in 0..<seriesCount { values[i] = Double(Int.random(in: 0...100_000, using: &rng)) }

print("TSDBBench: \(seriesCount) series × \(samplesPerSeries) samples (15 s counters over 2 h)")

// Ingestion, scrape by scrape: the first scrape appends by labels, later ones by cached ref (as a scrape loop does).
let head = Head()
var refs = [SeriesRef](repeating: 0, count: seriesCount)
var appendError: TSDBError?
let ingest = measure {
    for k in 0..<samplesPerSeries {
        var app = head.appender()
        let t = t0 + Int64(k) * step
        for i in 0..<seriesCount {
            let r = rates[i]
            if r > 0 { values[i] += Double(Int.random(in: 0...(2 * r), using: &rng)) }
            do throws(TSDBError) {
                if k == 0 {
                    refs[i] = try app.append(labelSets[i], t: t, v: values[i])
                } else {
                    try app.append(ref: refs[i], t: t, v: values[i])
                }
            } catch {
                appendError = error
            }
        }
        app.commit()
    }
}
if let appendError { print("append error: \(appendError)") }
let stats = head.stats
let total = Double(stats.numSamples)
print("ingest (appender, by ref after first scrape): \(fmt(total / ingest.cpu / 1e6, 3)) M samples/s per CPU second (wall \(fmt(total / ingest.wall / 1e6, 3)) M/s, \(fmt(ingest.wall, 3)) s)")
print("samples: \(stats.numSamples), chunks: \(stats.numChunks), chunk bytes: \(stats.chunkBytes)")
print("bytes/sample: \(fmt(Double(stats.chunkBytes) / total, 3))")

// Ingestion through the label path (hash lookup per sample), immediate-commit API, into a fresh head.
let head2 = Head()
let n2 = 40
let ingest2 = measure {
    for k in 0..<n2 {
        let t = t0 + Int64(k) * step
        for i in 0..<seriesCount {
            _ = try? head2.append(labelSets[i], t: t, v: Double(k))
        }
    }
}
print("ingest (Head.append by labels, \(n2) scrapes): \(fmt(Double(n2 * seriesCount) / ingest2.cpu / 1e6, 3)) M samples/s per CPU second (wall \(fmt(Double(n2 * seriesCount) / ingest2.wall / 1e6, 3)) M/s)")

// Compression on other shapes (1,000 series each, same 2 h at 15 s), for context.
func bytesPerSample(_ name: String, _ next: (inout SplitMix64, Int, Int, Double) -> Double) {
    let h = Head()
    var r = SplitMix64(state: 7)
    var vals = [Double](repeating: 0, count: 1000)
    for k in 0..<samplesPerSeries {
        var app = h.appender()
        for i in 0..<1000 {
            vals[i] = next(&r, i, k, vals[i])
            _ = try? app.append(Labels([("__name__", name), ("i", "\(i)")]), t: t0 + Int64(k) * step, v: vals[i])
        }
        app.commit()
    }
    let st = h.stats
    print("bytes/sample, \(name): \(fmt(Double(st.chunkBytes) / Double(st.numSamples), 3))")
}
bytesPerSample("fractional_counter_seconds_total") { r, i, _, v in v + Double.random(in: 0..<Double(i % 10 + 1), using: &r) }
bytesPerSample("constant_gauge") { _, i, _, _ in Double(i) }
bytesPerSample("random_gauge") { r, _, _, _ in Double.random(in: 0..<100, using: &r) }

// Select latency.
func matchers(_ spec: [(LabelMatcher.MatchType, String, String)]) -> [LabelMatcher] {
    spec.compactMap { try? LabelMatcher($0.0, $0.1, $0.2) }
}
let shapes: [(String, [LabelMatcher])] = [
    ("{__name__=\"http_requests_3_total\"}", matchers([(.equal, "__name__", "http_requests_3_total")])),
    ("{__name__=\"http_requests_3_total\",job=~\"job_1|job_2\"}",
     matchers([(.equal, "__name__", "http_requests_3_total"), (.regexMatch, "job", "job_1|job_2")])),
    ("{__name__=\"http_requests_3_total\",instance=\"host-7.example.org:9100\",job=\"job_4\"}",
     matchers([(.equal, "__name__", "http_requests_3_total"), (.equal, "instance", "host-7.example.org:9100"), (.equal, "job", "job_4")])),
    ("{instance=~\"host-1.*\"}", matchers([(.regexMatch, "instance", "host-1.*")])),
    ("{job=~\"j.b_[0-4]\",__name__!=\"http_requests_0_total\"}",
     matchers([(.regexMatch, "job", "j.b_[0-4]"), (.notEqual, "__name__", "http_requests_0_total")])),
    ("{__name__=~\".+\"} (all series)", matchers([(.regexMatch, "__name__", ".+")])),
]
let maxT = t0 + Int64(samplesPerSeries - 1) * step
let ranges: [(String, Int64, Int64)] = [("last 5m", maxT - 300_000, maxT), ("full 2h", t0, maxT)]
print("select latency (select + iterate every sample; median thread CPU time of 7 runs):")
for (name, ms) in shapes {
    for (rname, mint, maxt) in ranges {
        var times: [Double] = []
        var nSeries = 0, nSamples = 0
        for _ in 0..<7 {
            var count = 0
            let d = measure {
                let res = head.select(ms, mint: mint, maxt: maxt)
                nSeries = res.count
                for s in res {
                    var it = s.makeIterator()
                    while it.next() { count += 1 }
                }
            }
            nSamples = count
            times.append(d.cpu)
        }
        times.sort()
        let med = times[times.count / 2]
        print("  \(name) [\(rname)]: \(nSeries) series, \(nSamples) samples, \(fmt(med * 1000, 3)) ms")
    }
}
