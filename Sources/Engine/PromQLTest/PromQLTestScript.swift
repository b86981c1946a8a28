import ConfigModel
import Regexp
import GoCompat

/// A parsed promqltest script (the `.test` format of Prometheus's `promql/promqltest`).
public struct PromQLTestScript: Sendable {
    public enum Command: Sendable {
        case load(Load)
        case clear(line: Int)
        case eval(Eval)
    }

    public struct Load: Sendable {
        public var line: Int
        /// Milliseconds between consecutive values.
        public var stepMillis: Int64
        /// `load_with_nhcb`: classic histograms are also converted to native histograms with custom buckets.
        public var withNHCB: Bool
        public var series: [(labels: Labels, values: [SeriesValue])]
        /// `metric@st` lines: per value, the start timestamp as an offset from the sample's time (nil: unset).
        public var startTimestamps: [(labels: Labels, offsets: [Int64?])] = []
    }

    /// What an `expect` line asks for.
    public enum ExpectKind: String, Sendable {
        case ordered, fail, warn
        case noWarn = "no_warn"
        case info
        case noInfo = "no_info"
    }

    public struct Expectation: Sendable {
        public var kind: ExpectKind
        /// Exact message (`msg:`), or nil.
        public var message: String?
        /// Pattern (`regex:`), or nil; with neither, anything matches.
        public var regex: Regexp?

        public func matches(_ s: String) -> Bool {
            if let message { return message == s }
            if let regex { return regex.matches(s) }
            return true
        }
    }

    public struct Eval: Sendable {
        public var line: Int
        public var expr: String
        /// Column (1-based) where the expression starts on its line.
        public var exprColumn: Int
        public var isRange: Bool
        /// Milliseconds from the epoch.
        public var start: Int64
        public var end: Int64
        public var stepMillis: Int64
        public var fail = false, warn = false, info = false, ordered = false
        public var expectedFailMessage: String?
        public var expectedFailRegexp: Regexp?
        public var expectations: [Expectation] = []
        /// Expected series in order of appearance (position is 1-based like upstream).
        public var expectedSeries: [(labels: Labels, values: [SeriesValue], position: Int)] = []
        public var expectedScalar: SeriesValue?
        public var expectedString: String?
        /// An instant eval with an `expect range vector` or `expect string` line is not re-run as a range query.
        public var excludeFromRangeQuery = false

        public var isOrdered: Bool { ordered || expectations.contains { $0.kind == .ordered } }
        public var isFail: Bool { fail || expectations.contains { $0.kind == .fail } }
        public func expectations(_ kind: ExpectKind) -> [Expectation] { expectations.filter { $0.kind == kind } }
    }

    public var commands: [Command]

    /// Parses a whole script; errors carry the 1-based line.
    public static func parse(_ text: String) throws(PromQLTestError) -> PromQLTestScript {
        let lines: [String] = text.split(separator: "\n", omittingEmptySubsequences: false).map { raw in
            let t = trimSpaces(Substring(raw))
            return t.hasPrefix("#") ? "" : String(t)
        }
        var commands: [Command] = []
        var i = 0
        while i < lines.count {
            let l = lines[i]
            if l.isEmpty { i += 1; continue }
            let word = l.prefix { $0 != " " && $0 != "\t" }.lowercased()
            if word == "clear" {
                commands.append(.clear(line: i + 1))
                i += 1
            } else if word.hasPrefix("load") {
                let (next, load) = try parseLoad(lines, i)
                commands.append(.load(load))
                i = next + 1
            } else if word.hasPrefix("eval") {
                let (next, eval) = try parseEval(lines, i)
                commands.append(.eval(eval))
                i = next + 1
            } else {
                throw PromQLTestError(line: i + 1, "invalid command \(quoteLabelValue(l))")
            }
        }
        return PromQLTestScript(commands: commands)
    }

    static func trimSpaces(_ s: Substring) -> Substring {
        var s = s
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return s
    }

    static func words(_ s: String) -> [String] {
        s.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    static func duration(_ s: String, line: Int, what: String) throws(PromQLTestError) -> Int64 {
        switch PromDuration.parse(s) {
        case .success(let d): return d.milliseconds
        case .failure(let e): throw PromQLTestError(line: line, "invalid \(what) definition \(quoteLabelValue(s)): \(e.message)")
        }
    }

    /// `metric{…}@st <offsets>`: start timestamps relative to each sample's time, written like series values but as
    /// signed durations (`-30s-1mx2`, `-1msx15`, `0`, `_`). Returns nil for other lines.
    static func parseStartTimestampLine(_ def: String, lineNumber: Int) throws(PromQLTestError) -> (labels: Labels, offsets: [Int64?])? {
        let bytes = Array(def.utf8)
        var depth = 0
        var inQuote: UInt8? = nil
        var marker: Int? = nil
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if let q = inQuote {
                if c == UInt8(ascii: "\\") { i += 2; continue }
                if c == q { inQuote = nil }
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: "`") {
                inQuote = c
            } else if c == UInt8(ascii: "{") {
                depth += 1
            } else if c == UInt8(ascii: "}") {
                depth -= 1
            } else if depth == 0 && c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") {
                break
            } else if depth == 0 && c == UInt8(ascii: "@") {
                marker = i
                break
            }
            i += 1
        }
        guard let m = marker, m + 3 <= bytes.count, bytes[m + 1] == UInt8(ascii: "s"), bytes[m + 2] == UInt8(ascii: "t"),
              m + 3 == bytes.count || bytes[m + 3] == UInt8(ascii: " ") || bytes[m + 3] == UInt8(ascii: "\t") else {
            return nil
        }
        let metric = String(decoding: bytes[..<m], as: UTF8.self)
        let (labels, _) = try SeriesDescriptionParser.parse(metric, lineNumber: lineNumber)
        var offsets: [Int64?] = []
        for token in words(String(decoding: bytes[(m + 3)...], as: UTF8.self)) {
            try expandDurations(token, into: &offsets, lineNumber: lineNumber)
        }
        return (labels, offsets)
    }

    /// `_`, `_xN`, `D`, `DxN`, `D+DxN`, `D-DxN` with signed durations `D`.
    static func expandDurations(_ token: String, into out: inout [Int64?], lineNumber: Int) throws(PromQLTestError) {
        var body = Substring(token)
        var count: Int? = nil
        if let xi = body.lastIndex(of: "x") {
            let digits = body[body.index(after: xi)...]
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits),
                  n <= SeriesDescriptionParser.maxExpansion else {
                throw PromQLTestError(line: lineNumber, "invalid repetition in \(token)")
            }
            count = n
            body = body[..<xi]
        }
        if body == "_" {
            for _ in 0...(count ?? 0) { out.append(nil) }
            return
        }
        func signed(_ s: Substring) throws(PromQLTestError) -> Int64 {
            var s = s
            var negative = false
            if let f = s.first, f == "-" || f == "+" {
                negative = f == "-"
                s = s.dropFirst()
            }
            let ms = try duration(String(s), line: lineNumber, what: "start timestamp")
            return negative ? -ms : ms
        }
        var split: Substring.Index? = nil
        var idx = body.startIndex
        if idx < body.endIndex { idx = body.index(after: idx) }
        while idx < body.endIndex {
            if body[idx] == "+" || body[idx] == "-" { split = idx; break }
            idx = body.index(after: idx)
        }
        if let split {
            guard let n = count else { throw PromQLTestError(line: lineNumber, "missing repetition count in \(token)") }
            let startValue = try signed(body[..<split]), step = try signed(body[split...])
            var cur = startValue
            for _ in 0...n {
                out.append(cur)
                cur = cur &+ step
            }
        } else {
            let v = try signed(body)
            for _ in 0...(count ?? 0) { out.append(v) }
        }
    }

    static func parseLoad(_ lines: [String], _ start: Int) throws(PromQLTestError) -> (Int, Load) {
        let w = words(lines[start])
        guard w.count == 2, w[0] == "load" || w[0] == "load_with_nhcb" else {
            throw PromQLTestError(line: start + 1, "invalid load command. (load[_with_nhcb] <step:duration>)")
        }
        let step = try duration(w[1], line: start + 1, what: "step")
        var load = Load(line: start + 1, stepMillis: step, withNHCB: w[0] == "load_with_nhcb", series: [])
        var seriesIndex: [Labels: Int] = [:]
        var stIndex: [Labels: Int] = [:]
        var i = start
        while i + 1 < lines.count {
            i += 1
            let def = lines[i]
            if def.isEmpty { i -= 1; break }
            if let st = try parseStartTimestampLine(def, lineNumber: i + 1) {
                if let existing = stIndex[st.labels] {
                    load.startTimestamps[existing] = st
                } else {
                    stIndex[st.labels] = load.startTimestamps.count
                    load.startTimestamps.append(st)
                }
                continue
            }
            let (labels, values) = try SeriesDescriptionParser.parse(def, lineNumber: i + 1)
            // As upstream: a series defined twice in one load keeps its last definition.
            if let existing = seriesIndex[labels] {
                load.series[existing] = (labels, values)
            } else {
                seriesIndex[labels] = load.series.count
                load.series.append((labels, values))
            }
        }
        return (i, load)
    }

    static func parseEval(_ lines: [String], _ start: Int) throws(PromQLTestError) -> (Int, Eval) {
        let line = lines[start]
        let lineNo = start + 1
        var w = words(line)
        guard let head = w.first else { throw PromQLTestError(line: lineNo, "empty eval") }
        var modifier = ""
        if head.hasPrefix("eval_") { modifier = String(head.dropFirst(5)) } else if head != "eval" {
            throw PromQLTestError(line: lineNo, "invalid evaluation command")
        }
        w.removeFirst()
        var ev = Eval(line: lineNo, expr: "", exprColumn: 1, isRange: false, start: 0, end: 0, stepMillis: 0)
        // Find the expression as the rest of the line after the header words.
        func exprAfter(_ n: Int) -> (String, Int) {
            // Skip `n` words from the start of the line (including the eval word).
            var idx = line.startIndex
            var count = 0
            while count < n && idx < line.endIndex {
                while idx < line.endIndex && (line[idx] == " " || line[idx] == "\t") { idx = line.index(after: idx) }
                while idx < line.endIndex && line[idx] != " " && line[idx] != "\t" { idx = line.index(after: idx) }
                count += 1
            }
            while idx < line.endIndex && (line[idx] == " " || line[idx] == "\t") { idx = line.index(after: idx) }
            let col = line.distance(from: line.startIndex, to: idx) + 1
            return (String(line[idx...]), col)
        }
        if w.first == "instant" {
            if w.count >= 3 && w[1] == "at" {
                ev.start = try duration(w[2], line: lineNo, what: "timestamp")
                (ev.expr, ev.exprColumn) = exprAfter(4)
            } else {
                (ev.expr, ev.exprColumn) = exprAfter(2)
            }
            ev.end = ev.start
            guard ["", "fail", "warn", "ordered", "info"].contains(modifier) else {
                throw PromQLTestError(line: lineNo, "invalid evaluation command modifier \(modifier)")
            }
        } else if w.first == "range", w.count >= 8, w[1] == "from", w[3] == "to", w[5] == "step" {
            ev.isRange = true
            ev.start = try duration(w[2], line: lineNo, what: "start timestamp")
            ev.end = try duration(w[4], line: lineNo, what: "end timestamp")
            ev.stepMillis = try duration(w[6], line: lineNo, what: "step")
            if ev.end < ev.start {
                throw PromQLTestError(line: lineNo, "invalid test definition, end timestamp (\(w[4])) is before start timestamp (\(w[2]))")
            }
            (ev.expr, ev.exprColumn) = exprAfter(8)
            guard ["", "fail", "warn", "info"].contains(modifier) else {
                throw PromQLTestError(line: lineNo, "invalid evaluation command modifier \(modifier)")
            }
        } else {
            throw PromQLTestError(line: lineNo, "invalid evaluation command. Must be either 'eval[_fail|_warn|_ordered] instant [at <offset:duration>] <query>' or 'eval[_fail|_warn] range from <from> to <to> step <step> <query>'")
        }
        guard !ev.expr.isEmpty else { throw PromQLTestError(line: lineNo, "missing expression") }
        switch modifier {
        case "fail": ev.fail = true
        case "warn": ev.warn = true
        case "info": ev.info = true
        case "ordered": ev.ordered = true
        default: break
        }

        var i = start
        var position = 0
        var expectRangeVector = false
        while i + 1 < lines.count {
            i += 1
            let def = lines[i]
            if def.isEmpty { i -= 1; break }
            position += 1
            if ev.isFail && def.hasPrefix("expected_fail_message") {
                ev.expectedFailMessage = String(trimSpaces(def.dropFirst("expected_fail_message".count)))
                break
            }
            if ev.isFail && def.hasPrefix("expected_fail_regexp") {
                let pattern = String(trimSpaces(def.dropFirst("expected_fail_regexp".count)))
                do { ev.expectedFailRegexp = try Regexp(pattern) } catch {
                    throw PromQLTestError(line: i + 1, "invalid regexp '\(pattern)' for expected_fail_regexp: \(error)")
                }
                break
            }
            if def.hasPrefix("expect range vector") {
                let rw = words(def)
                guard rw.count == 9, rw[3] == "from", rw[5] == "to", rw[7] == "step" else {
                    throw PromQLTestError(line: i + 1, "invalid range vector definition \(quoteLabelValue(def))")
                }
                ev.start = try duration(rw[4], line: i + 1, what: "start timestamp")
                ev.end = try duration(rw[6], line: i + 1, what: "end timestamp")
                ev.stepMillis = try duration(rw[8], line: i + 1, what: "step")
                expectRangeVector = true
                ev.excludeFromRangeQuery = true
                position -= 1
                continue
            }
            if def.hasPrefix("expect string") {
                let rest = String(trimSpaces(def.dropFirst("expect string".count)))
                guard !rest.isEmpty, let v = GoQuote.unquote(Array(rest.utf8)[...]) else {
                    throw PromQLTestError(line: i + 1, "expected string literal not valid - check that the string is correctly quoted")
                }
                ev.expectedString = v
                ev.excludeFromRangeQuery = true
                position -= 1
                continue
            }
            if words(def).first == "expect" {
                ev.expectations.append(try parseExpect(def, line: i + 1))
                position -= 1
                continue
            }
            if let f = parseBareNumber(def) {
                ev.expectedScalar = .float(f)
                break
            }
            let (labels, values) = try SeriesDescriptionParser.parse(def, lineNumber: i + 1)
            if values.count > 1 && !ev.isRange && !expectRangeVector {
                throw PromQLTestError(line: i + 1, "expecting multiple values in instant evaluation not allowed. consider using 'expect range vector' directive to enable a range vector result for an instant query")
            }
            ev.expectedSeries.append((labels, values, position))
        }
        if expectRangeVector { ev.isRange = false }
        return (i, ev)
    }

    static func parseExpect(_ def: String, line: Int) throws(PromQLTestError) -> Expectation {
        let body = trimSpaces(Substring(def).dropFirst("expect".count))
        let kindWord = body.prefix { $0 != " " && $0 != "\t" }
        guard let kind = ExpectKind(rawValue: String(kindWord)) else {
            throw PromQLTestError(line: line, "invalid expected error/annotation type \(kindWord)")
        }
        let rest = trimSpaces(body.dropFirst(kindWord.count))
        if rest.isEmpty { return Expectation(kind: kind, message: nil, regex: nil) }
        if rest.hasPrefix("msg:") {
            return Expectation(kind: kind, message: String(trimSpaces(rest.dropFirst(4))), regex: nil)
        }
        if rest.hasPrefix("regex:") {
            let pattern = String(trimSpaces(rest.dropFirst(6)))
            do { return Expectation(kind: kind, message: nil, regex: try Regexp(pattern)) } catch {
                throw PromQLTestError(line: line, "invalid regex \(pattern) for \(kind.rawValue)")
            }
        }
        throw PromQLTestError(line: line, "invalid expect statement, must match `expect <type> <match_type>: <string>` format")
    }

    /// A bare scalar line (`409`, `-Inf`, `0x10`, `1_000`) as upstream's `parseNumber` accepts it: Go's
    /// `strconv.ParseInt(s, 0, 64)`, else `strconv.ParseFloat(s, 64)` (out of range is not a number).
    static func parseBareNumber(_ s: String) -> Double? {
        let b = Array(s.utf8)
        if let i = GoStrconv.parseInt(b) { return Double(i) }
        if case .value(let d) = GoStrconv.parseFloat(b) { return d }
        return nil
    }
}
