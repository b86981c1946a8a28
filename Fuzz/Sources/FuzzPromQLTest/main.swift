import Engine
import FuzzSupport

/// Sum of the repetition counts (`x<N>` after a digit, `_` or `}`) the series descriptions ask for; legitimate
/// counts up to 1,000,000 are accepted, but expanding hundreds of thousands of (histogram) samples takes
/// seconds in a debug + ASan build (it is fast in release), which libFuzzer would report as a timeout.
func requestedExpansion(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var total = 0
    var i = 1
    while i < bytes.count {
        let prev = bytes[i - 1]
        let afterValue = (prev >= 0x30 && prev <= 0x39) || prev == 0x5F || prev == 0x7D
        if bytes[i] == 0x78, afterValue {
            var n = 0
            var j = i + 1
            while j < bytes.count, bytes[j] >= 0x30, bytes[j] <= 0x39, n <= 1_000_000 {
                n = n * 10 + Int(bytes[j] - 0x30)
                j += 1
            }
            // Counts above the parser's limit are rejected before anything is expanded.
            if n <= 1_000_000 { total &+= n }
            i = j
        } else {
            i += 1
        }
    }
    return total
}

/// Parses arbitrary bytes as a promqltest script (`PromQLTestScript.parse`: load blocks with series
/// descriptions and `@st` lines, eval headers, expectations, expected series and scalars); must never crash.
/// What parses is walked once (labels printed, expectation patterns applied) so lazily built parts run too.
func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = UnsafeBufferPointer(start: data, count: size)
    guard requestedExpansion(buffer) <= 50_000 else { return 0 }
    let text = String(decoding: buffer, as: UTF8.self)
    guard let script = try? PromQLTestScript.parse(text) else { return 0 }
    var sink = 0
    for command in script.commands {
        switch command {
        case .load(let load):
            for s in load.series { sink &+= s.labels.description.utf8.count &+ s.values.count }
            for s in load.startTimestamps { sink &+= s.offsets.count }
        case .clear:
            sink &+= 1
        case .eval(let ev):
            sink &+= ev.expr.utf8.count
            for e in ev.expectations where e.matches(ev.expr) { sink &+= 1 }
            if let re = ev.expectedFailRegexp, re.matches(ev.expr) { sink &+= 1 }
            for s in ev.expectedSeries { sink &+= s.labels.description.utf8.count &+ s.values.count }
        }
    }
    return sink == Int.min ? 1 : 0
}

exit(runLibFuzzer(fuzzOne))
