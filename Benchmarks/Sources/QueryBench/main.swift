// PromQL range-query latency of our engine over the TSDB head, on data that can be replayed into Prometheus.
//
// Generates 10,000 counter series `x{job,instance}` (10 jobs × 1,000 instances) and a classic histogram
// family `h_bucket{job,instance,le}` (10 jobs × 10 instances × 12 buckets), 2 h of 15 s samples each, loads
// them into a `Head`, and times two range queries (1 m step over the 2 h). With `--openmetrics FILE` it also
// writes the same samples as OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`
// (scripts/bench/query_vs_prometheus.sh does that and times Prometheus on the same queries).
//
// Usage: QueryBench [--openmetrics FILE] [--runs N] [--start-ms T0] [--dump DIR] [--query NAME=EXPR]...
// `--dump DIR` writes each query's result as DIR/NAME.tsv (`k=v,k=v<TAB>t_ms<TAB>value`, for comparison).
// Output lines starting with `QUERY` are machine-readable: name, median ms, result checksum.
import BenchSupport
import Engine
import Foundation


// MARK: arguments

var omPath: String?
var dumpDir: String?
var runs = 5
var extraQueries: [(String, String)] = []
var t0: Int64 = {
    // Two hours ending a little before now, on a whole hour, so Prometheus's retention keeps it.
    let now = Int64(Date().timeIntervalSince1970)
    return (now / 3600 - 3) * 3_600_000
}()
var argv = CommandLine.arguments.dropFirst()
while let a = argv.popFirst() {
    switch a {
    case "--openmetrics": omPath = argv.popFirst()
    case "--runs": runs = max(1, Int(argv.popFirst() ?? "") ?? 5)
    case "--start-ms": t0 = Int64(argv.popFirst() ?? "") ?? t0
    case "--dump": dumpDir = argv.popFirst()
    case "--query":
        // NAME=EXPR, repeatable: times these instead of the two standard queries.
        let spec = argv.popFirst() ?? ""
        if let eq = spec.firstIndex(of: "=") { extraQueries.append((String(spec[..<eq]), String(spec[spec.index(after: eq)...]))) }
    default:
        print("usage: QueryBench [--openmetrics FILE] [--runs N] [--start-ms T0] [--dump DIR] [--query NAME=EXPR]...")
        exit(2)
    }
}

let clock = ContinuousClock()
let step: Int64 = 15_000
let scrapes = 2 * 3600 * 1000 / Int(step)  // 480
let jobs = 10, instancesPerJob = 1000
let histJobs = 10, histInstances = 10
let bounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, .infinity]
let leText = bounds.map { $0.isInfinite ? "+Inf" : "\($0)" }

struct SeriesDef {
    var labels: Labels
    var text: String  // `name{labels}` for OpenMetrics
}

var counters: [SeriesDef] = []
for j in 0..<jobs {
    for i in 0..<instancesPerJob {
        let job = "job-\(j)", inst = "10.0.\(i / 250).\(i % 250):9100"
        counters.append(SeriesDef(labels: Labels([("__name__", "x"), ("job", job), ("instance", inst)]),
                                  text: "x{job=\"\(job)\",instance=\"\(inst)\"}"))
    }
}
var buckets: [SeriesDef] = []  // [histogram k * bounds.count + b]
for j in 0..<histJobs {
    for i in 0..<histInstances {
        let job = "job-\(j)", inst = "10.1.0.\(i):9100"
        for le in leText {
            buckets.append(SeriesDef(labels: Labels([("__name__", "h_bucket"), ("job", job), ("instance", inst), ("le", le)]),
                                     text: "h_bucket{job=\"\(job)\",instance=\"\(inst)\",le=\"\(le)\"}"))
        }
    }
}
let nHist = histJobs * histInstances
let seriesCount = counters.count + buckets.count

// Values, scrape-major: counters[s][k], buckets[s][k].
var rng = SplitMix64(state: 42)
var counterValues = [[Double]](repeating: [], count: counters.count)
for s in 0..<counters.count {
    let rate = s % 5 == 0 ? 0 : Int.random(in: 1...40, using: &rng)
    var v = Double(Int.random(in: 0...100_000, using: &rng))
    var col = [Double]()
    col.reserveCapacity(scrapes)
    for k in 0..<scrapes {
        // A few counters restart mid-way, as processes do.
        if s % 97 == 1 && k == scrapes / 2 { v = 0 }
        if rate > 0 { v += Double(Int.random(in: 0...(2 * rate), using: &rng)) }
        col.append(v)
    }
    counterValues[s] = col
}
var bucketValues = [[Double]](repeating: [Double](repeating: 0, count: scrapes), count: buckets.count)
for h in 0..<nHist {
    var cum = [Double](repeating: 0, count: bounds.count)
    let perScrape = 20 + h % 30
    for k in 0..<scrapes {
        for _ in 0..<perScrape {
            // Log-uniform latency between 1 ms and 8 s (so the 0.99 quantile falls in a finite bucket).
            let lat = Foundation.exp(Double.random(in: Foundation.log(0.001)..<Foundation.log(8.0), using: &rng))
            for b in 0..<bounds.count where lat <= bounds[b] { cum[b] += 1 }
        }
        for b in 0..<bounds.count { bucketValues[h * bounds.count + b][k] = cum[b] }
    }
}
let totalSamples = seriesCount * scrapes
print("QueryBench: \(counters.count) counter series + \(buckets.count) bucket series × \(scrapes) samples "
    + "= \(totalSamples) samples; t0 = \(t0) ms")

// MARK: load the head (scrape by scrape, as a scrape loop appends)

let head = Head()
var refs = [SeriesRef](repeating: 0, count: seriesCount)
var appendErrors = 0
let ingest = clock.measure {
    for k in 0..<scrapes {
        var app = head.appender()
        let t = t0 + Int64(k) * step
        for s in 0..<seriesCount {
            let v = s < counters.count ? counterValues[s][k] : bucketValues[s - counters.count][k]
            do throws(TSDBError) {
                if k == 0 {
                    refs[s] = try app.append(s < counters.count ? counters[s].labels : buckets[s - counters.count].labels, t: t, v: v)
                } else {
                    try app.append(ref: refs[s], t: t, v: v)
                }
            } catch {
                appendErrors += 1
            }
        }
        app.commit()
    }
}
let st = head.stats
print("ingest: \(fmt(Double(st.numSamples) / seconds(ingest) / 1e6, 3)) M samples/s (\(fmt(seconds(ingest), 2)) s), "
    + "\(st.numSeries) series, \(st.numSamples) samples, \(fmt(Double(st.chunkBytes) / Double(max(st.numSamples, 1)), 3)) bytes/sample"
    + (appendErrors > 0 ? ", \(appendErrors) append errors" : ""))

// MARK: OpenMetrics copy

if let omPath {
    FileManager.default.createFile(atPath: omPath, contents: nil)
    guard let fh = FileHandle(forWritingAtPath: omPath) else {
        print("cannot write \(omPath)")
        exit(1)
    }
    var buf: [UInt8] = []
    buf.reserveCapacity(1 << 22)
    func flush(_ force: Bool) {
        if force || buf.count > (1 << 22) - 4096 {
            fh.write(Data(buf))
            buf.removeAll(keepingCapacity: true)
        }
    }
    // Integral values and whole-second timestamps print exactly.
    func number(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)" }
    let tsText = (0..<scrapes).map { String((t0 + Int64($0) * step) / 1000) }
    buf.append(contentsOf: Array("# TYPE x unknown\n".utf8))
    for (s, def) in counters.enumerated() {
        for k in 0..<scrapes {
            buf.append(contentsOf: Array("\(def.text) \(number(counterValues[s][k])) \(tsText[k])\n".utf8))
        }
        flush(false)
    }
    buf.append(contentsOf: Array("# TYPE h_bucket unknown\n".utf8))
    for (s, def) in buckets.enumerated() {
        for k in 0..<scrapes {
            buf.append(contentsOf: Array("\(def.text) \(number(bucketValues[s][k])) \(tsText[k])\n".utf8))
        }
        flush(false)
    }
    buf.append(contentsOf: Array("# EOF\n".utf8))
    flush(true)
    try? fh.close()
    print("openmetrics: wrote \(omPath)")
}

// MARK: queries

let queries: [(String, String)] = extraQueries.isEmpty ? [
    ("rate_sum", "sum by (job) (rate(x[5m]))"),
    ("hist_quantile", "histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))"),
] : extraQueries
// Steps fall 1 s after a scrape, so no sample sits on a window's left edge: Prometheus 2.42 closes range windows
// on the left ([t-5m, t]) and 3.x opens them ((t-5m, t]); off the edge both select the same samples.
let qStart = t0 + 1000, qEnd = t0 + Int64(scrapes) * step + 1000, qStep: Int64 = 60_000
print("range queries: start \(qStart / 1000) end \(qEnd / 1000) step 60s; \(runs) timed runs after one warm-up (median)")
let engine = PromQLEngine(options: EngineOptions())
for (name, q) in queries {
    var times: [Double] = []
    var checksum = 0.0, nSeries = 0, nPoints = 0
    for r in 0...runs {
        var result: QueryResult?
        var failure: String?
        let d = clock.measure {
            do { result = try engine.rangeQuery(q, start: qStart, end: qEnd, step: qStep, source: head) } catch {
                failure = "\(error)"
            }
        }
        if let failure {
            print("\(name): error: \(failure)")
            exit(1)
        }
        if r > 0 { times.append(seconds(d)) }
        if r == 0, let result {
            if case .matrix(let m) = result.value {
                nSeries = m.count
                if let dumpDir {
                    var out = ""
                    for s in m {
                        let key = s.labels.labels.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
                        for p in s.floats { out += "\(key)\t\(p.t)\t\(p.f)\n" }
                    }
                    FileManager.default.createFile(atPath: dumpDir + "/" + name + ".tsv", contents: Data(out.utf8))
                }
                for s in m {
                    nPoints += s.floats.count
                    for p in s.floats where p.f.isFinite { checksum += p.f }
                }
            }
        }
    }
    times.sort()
    let med = times[times.count / 2]
    print("QUERY \(name) median_ms=\(fmt(med * 1000, 2)) min_ms=\(fmt(times[0] * 1000, 2)) max_ms=\(fmt(times[times.count - 1] * 1000, 2)) "
        + "series=\(nSeries) points=\(nPoints) checksum=\(fmt(checksum, 4)) query=\(q)")
}
