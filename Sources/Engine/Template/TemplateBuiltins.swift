import ConfigModel
import Regexp
import GoCompat

/// Implementations of Go's builtin template functions and Prometheus's template functions.
extension TemplateExecutor {
    /// Go signature of each known function.
    static func signature(_ name: String) -> TemplateSignature? {
        switch name {
        case "and", "or": return TemplateSignature([.reflectValue], variadic: .reflectValue)
        case "call": return TemplateSignature([.reflectValue], variadic: .reflectValue)
        case "html", "js", "urlquery", "print", "println": return TemplateSignature([], variadic: .any)
        case "printf": return TemplateSignature([.string], variadic: .any)
        case "index", "slice": return TemplateSignature([.reflectValue], variadic: .reflectValue)
        case "len", "not": return TemplateSignature([.reflectValue])
        case "eq": return TemplateSignature([.reflectValue], variadic: .reflectValue)
        case "ne", "lt", "le", "gt", "ge": return TemplateSignature([.reflectValue, .reflectValue])
        case "query": return TemplateSignature([.string])
        case "first": return TemplateSignature([.queryResult])
        case "label": return TemplateSignature([.string, .samplePtr])
        case "value", "strvalue": return TemplateSignature([.samplePtr])
        case "args": return TemplateSignature([], variadic: .any)
        case "reReplaceAll": return TemplateSignature([.string, .string, .string])
        case "match": return TemplateSignature([.string, .string])
        case "safeHtml", "title", "toUpper", "toLower", "graphLink", "tableLink", "stripPort", "stripDomain",
             "parseDuration", "urlQueryEscape":
            return TemplateSignature([.string])
        case "sortByLabel": return TemplateSignature([.string, .queryResult])
        case "humanize", "humanize1024", "humanizeDuration", "humanizePercentage", "humanizeTimestamp", "toTime",
             "toDuration":
            return TemplateSignature([.any])
        case "now", "pathPrefix", "externalURL": return TemplateSignature([])
        default: return nil
        }
    }

    typealias FnError = TemplateFunctionError

    /// Calls function `name` with already type-checked arguments.
    mutating func callFunction(_ name: String, _ a: [TemplateValue]) throws(FnError) -> TemplateValue {
        func arg(_ i: Int) -> TemplateValue { i < a.count ? a[i] : .invalid }
        func str(_ i: Int) -> String {
            if case .string(let s) = arg(i) { return s }
            return ""
        }
        switch name {
        // Go builtins.
        case "not": return .bool(!arg(0).truth)
        case "len": return try Self.length(arg(0))
        case "index": return try Self.index(arg(0), Array(a.dropFirst()))
        case "slice": return try Self.slice(arg(0), Array(a.dropFirst()))
        case "print": return .string(TemplatePrintf.sprint(a))
        case "println": return .string(TemplatePrintf.sprintln(a))
        case "printf": return .string(TemplatePrintf.sprintf(str(0), Array(a.dropFirst())))
        case "html": return .string(Self.htmlEscape(Self.evalArgs(a)))
        case "js": return .string(Self.jsEscape(Self.evalArgs(a)))
        case "urlquery": return .string(TemplateURL.queryEscape(Self.evalArgs(a)))
        case "eq": return .bool(try TemplateCompare.eq(arg(0), Array(a.dropFirst())))
        case "ne": return .bool(!(try TemplateCompare.eq(arg(0), [arg(1)])))
        case "lt": return .bool(try TemplateCompare.lt(arg(0), arg(1)))
        case "le": return .bool(try TemplateCompare.le(arg(0), arg(1)))
        case "gt": return .bool(!(try TemplateCompare.le(arg(0), arg(1))))
        case "ge": return .bool(!(try TemplateCompare.lt(arg(0), arg(1))))
        // Prometheus.
        case "query":
            guard let q = context.query else { throw FnError(message: "query is not available in this context") }
            do {
                return .queryResult(try q(str(0)))
            } catch {
                throw FnError(message: String(describing: error))
            }
        case "first":
            if case .queryResult(let q) = arg(0), let f = q.first { return .sample(f) }
            throw FnError(message: "first() called on vector with no elements")
        case "label":
            guard case .sample(let s) = arg(1) else { throw Self.nilDeref }
            return .string(s.labels[str(0)] ?? "")
        case "value":
            guard case .sample(let s) = arg(0) else { throw Self.nilDeref }
            return .float(s.value)
        case "strvalue":
            guard case .sample(let s) = arg(0) else { throw Self.nilDeref }
            return .string(s.labels["__value__"] ?? "")
        case "args":
            var m: [String: TemplateValue] = [:]
            for (i, v) in a.enumerated() { m["arg\(i)"] = v }
            let map = TemplateMap(m)
            if map.depth > Self.maxValueDepth {
                throw FnError(message: "value nesting exceeds \(Self.maxValueDepth) levels")
            }
            return .anyMap(map)
        case "reReplaceAll":
            do {
                let re = try Regexp(str(0))
                return .string(re.replaceAll(in: str(2), with: str(1)))
            } catch {
                throw FnError(message: "regexp: Compile(\(TemplateStrconv.regexpQuote(str(0)))): \(error.description)")
            }
        case "match":
            do {
                return .bool(try Regexp(str(0)).matches(str(1)))
            } catch {
                throw FnError(message: error.description)
            }
        case "safeHtml": return .html(str(0))
        case "title": return .string(Self.title(str(0)))
        case "toUpper": return .string(Self.mapCase(str(0), upper: true))
        case "toLower": return .string(Self.mapCase(str(0), upper: false))
        case "graphLink": return .string("/graph?g0.expr=" + TemplateURL.queryEscape(str(0)) + "&g0.tab=0")
        case "tableLink": return .string("/graph?g0.expr=" + TemplateURL.queryEscape(str(0)) + "&g0.tab=1")
        case "sortByLabel":
            guard case .queryResult(let q) = arg(1) else { return .queryResult([]) }
            let label = str(0)
            let sorted = q.enumerated().sorted { x, y in
                let lx = x.element.labels[label] ?? ""
                let ly = y.element.labels[label] ?? ""
                if lx != ly { return Self.goStringLess(lx, ly) }
                return x.offset < y.offset
            }.map { $0.element }
            return .queryResult(sorted)
        case "stripPort":
            return .string(TemplateURL.splitHostPort(str(0))?.host ?? str(0))
        case "stripDomain":
            let hp = str(0)
            let split = TemplateURL.splitHostPort(hp)
            let host = split?.host ?? hp
            let port = split?.port ?? ""
            if TemplateURL.isIP(host) { return .string(hp) }
            let first = String(host.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            return .string(port.isEmpty ? first : TemplateURL.joinHostPort(first, port))
        case "humanize": return .string(PrometheusHumanize.humanize(try Self.convertToFloat(arg(0))))
        case "humanize1024": return .string(PrometheusHumanize.humanize1024(try Self.convertToFloat(arg(0))))
        case "humanizeDuration": return .string(PrometheusHumanize.humanizeDuration(try Self.convertToFloat(arg(0))))
        case "humanizePercentage":
            return .string(TemplatePrintf.sprintf("%.4g%%", [.float(try Self.convertToFloat(arg(0)) * 100)]))
        case "humanizeTimestamp":
            let v = try Self.convertToFloat(arg(0))
            if v.isNaN || v.isInfinite { return .string(TemplatePrintf.sprintf("%.4g", [.float(v)])) }
            return .string(TemplateFormat.timeString(try Self.floatToTime(v)))
        case "toTime":
            let v = try Self.convertToFloat(arg(0))
            if v.isNaN || v.isInfinite { throw FnError(message: "value is NaN or Inf") }
            return .time(nanos: try Self.floatToTime(v))
        case "toDuration":
            let v = try Self.convertToFloat(arg(0))
            return .duration(PrometheusHumanize.goInt64(v * 1e9))
        case "now": return .float(Double(context.timestampMillis) / 1000)
        case "pathPrefix": return .string(context.externalURLPath)
        case "externalURL": return .string(context.externalURL)
        case "parseDuration":
            // model.ParseDurationAllowNegative, with its error texts (prometheus/common v0.70).
            switch PromDuration.parseAllowingNegative(str(0)) {
            case .success(let d): return .float(Double(d.milliseconds) / 1000)
            case .failure(let e): throw FnError(message: e.message)
            }
        case "urlQueryEscape": return .string(TemplateURL.queryEscape(str(0)))
        default:
            throw FnError(message: "function \(TemplateStrconv.quote(name)) not implemented")
        }
    }

    /// Bound on how deeply `args` may nest maps (Go has none; deep values would exhaust the stack when printed).
    static let maxValueDepth = 10_000

    static let nilDeref = FnError(message: "runtime error: invalid memory address or nil pointer dereference")

    // MARK: - Methods on *time.Time and *time.Duration

    mutating func callMethod(_ dot: TemplateValue, _ receiver: TemplateValue, _ name: String, _ node: TemplateArg,
                             _ args: [TemplateArg], _ final: TemplateValue?) throws(Failure) -> TemplateValue? {
        let sig: TemplateSignature
        switch (receiver, name) {
        case (.time, "Format"): sig = TemplateSignature([.string])
        case (.time, "Unix"), (.time, "UnixMilli"), (.time, "UnixNano"), (.time, "Year"), (.time, "Day"),
             (.time, "Hour"), (.time, "Minute"), (.time, "Second"), (.time, "Nanosecond"), (.time, "YearDay"),
             (.time, "String"), (.time, "UTC"), (.time, "Month"), (.time, "Weekday"):
            sig = TemplateSignature([])
        case (.duration, "Seconds"), (.duration, "Minutes"), (.duration, "Hours"), (.duration, "Milliseconds"),
             (.duration, "Microseconds"), (.duration, "Nanoseconds"), (.duration, "String"):
            sig = TemplateSignature([])
        default:
            return nil
        }
        return try evalCall(dot, sig, isBuiltin: false, .arg(node), name, args, final) { (_, argv) throws(TemplateFunctionError) in
            switch receiver {
            case .time(let ns):
                let p = TemplateFormat.timeParts(ns)
                switch name {
                case "Format":
                    if case .string(let layout) = argv.first ?? .invalid { return .string(TemplateFormat.goTimeFormat(ns, layout: layout)) }
                    return .string("")
                case "Unix": return .int(Self.floorDiv(ns, 1_000_000_000), .int64)
                case "UnixMilli": return .int(Self.floorDiv(ns, 1_000_000), .int64)
                case "UnixNano": return .int(ns, .int64)
                case "Year": return .int(p.year, .int)
                case "Day": return .int(Int64(p.day), .int)
                case "Hour": return .int(Int64(p.hour), .int)
                case "Minute": return .int(Int64(p.minute), .int)
                case "Second": return .int(Int64(p.second), .int)
                case "Nanosecond": return .int(Int64(p.nanos), .int)
                case "YearDay": return .int(Int64(p.yday), .int)
                case "Month": return .string(TemplateFormat.monthNames[p.month - 1])
                case "Weekday": return .string(TemplateFormat.dayNames[p.weekday])
                case "UTC": return .time(nanos: ns)
                default: return .string(TemplateFormat.timeString(ns))
                }
            case .duration(let d):
                switch name {
                case "Seconds": return .float(Double(d / 1_000_000_000) + Double(d % 1_000_000_000) / 1e9)
                case "Minutes": return .float(Double(d / 60_000_000_000) + Double(d % 60_000_000_000) / 6e10)
                case "Hours": return .float(Double(d / 3_600_000_000_000) + Double(d % 3_600_000_000_000) / 3.6e12)
                case "Milliseconds": return .int(d / 1_000_000, .int64)
                case "Microseconds": return .int(d / 1000, .int64)
                case "Nanoseconds": return .int(d, .int64)
                default: return .string(TemplateFormat.durationString(d))
                }
            default:
                return .invalid
            }
        }
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    // MARK: - Builtin helpers

    static func length(_ item: TemplateValue) throws(FnError) -> TemplateValue {
        switch item {
        case .string(let s), .html(let s): return .int(Int64(s.utf8.count), .int)
        case .list(let l, _): return .int(Int64(l.count), .int)
        case .queryResult(let q): return .int(Int64(q.count), .int)
        case .stringMap(let m): return .int(Int64(m.count), .int)
        case .anyMap(let m): return .int(Int64(m.entries.count), .int)
        case .invalid: throw FnError(message: "reflect: call of reflect.Value.Type on zero Value")
        case .sample: throw FnError(message: "len of type template.sample")
        case .time: throw FnError(message: "len of type time.Time")
        case .duration: throw FnError(message: "len of type time.Duration")
        default: throw FnError(message: "len of type \(item.goTypeName)")
        }
    }

    static func indexArg(_ index: TemplateValue, cap: Int) throws(FnError) -> Int {
        let x: Int64
        switch index {
        case .int(let i, _): x = i
        case .uint(let u, _): x = Int64(truncatingIfNeeded: u)
        case .invalid: throw FnError(message: "cannot index slice/array with nil")
        default: throw FnError(message: "cannot index slice/array with type \(index.goTypeName)")
        }
        if x < 0 || x > Int64(cap) { throw FnError(message: "index out of range: \(x)") }
        return Int(x)
    }

    static func index(_ item0: TemplateValue, _ indexes: [TemplateValue]) throws(FnError) -> TemplateValue {
        var item = item0
        if !item.isValid { throw FnError(message: "index of untyped nil") }
        for idx in indexes {
            switch item {
            case .list(let l, let elemType):
                let x = try indexArg(idx, cap: l.count)
                guard x < l.count else { throw FnError(message: "reflect: slice index out of range") }
                item = l[x]
                if !item.isValid && elemType != "interface {}" { item = .invalid }
            case .queryResult(let q):
                let x = try indexArg(idx, cap: q.count)
                guard x < q.count else { throw FnError(message: "reflect: slice index out of range") }
                item = .sample(q[x])
            case .string(let s), .html(let s):
                let b = Array(s.utf8)
                let x = try indexArg(idx, cap: b.count)
                guard x < b.count else { throw FnError(message: "reflect: string index out of range") }
                item = .uint(UInt64(b[x]), .uint8)
            case .stringMap(let m):
                let key = try mapKey(idx)
                item = .string(m[key] ?? "")
            case .anyMap(let m):
                let key = try mapKey(idx)
                item = m.entries[key] ?? .invalid
            case .invalid:
                throw FnError(message: "index of nil pointer")
            case .sample:
                throw FnError(message: "can't index item of type template.sample")
            default:
                throw FnError(message: "can't index item of type \(item.goTypeName)")
            }
        }
        return item
    }

    static func mapKey(_ idx: TemplateValue) throws(FnError) -> String {
        switch idx {
        case .string(let s): return s
        case .invalid: return ""
        default: throw FnError(message: "value has type \(idx.goTypeName); should be string")
        }
    }

    static func slice(_ item: TemplateValue, _ indexes: [TemplateValue]) throws(FnError) -> TemplateValue {
        if !item.isValid { throw FnError(message: "slice of untyped nil") }
        if indexes.count > 3 { throw FnError(message: "too many slice indexes: \(indexes.count)") }
        let count: Int
        switch item {
        case .string(let s), .html(let s):
            if indexes.count == 3 { throw FnError(message: "cannot 3-index slice a string") }
            count = s.utf8.count
        case .list(let l, _): count = l.count
        case .queryResult(let q): count = q.count
        default: throw FnError(message: "can't slice item of type \(item.goTypeName)")
        }
        var idx = [0, count, count]
        for (i, v) in indexes.enumerated() { idx[i] = try indexArg(v, cap: count) }
        if idx[0] > idx[1] { throw FnError(message: "invalid slice index: \(idx[0]) > \(idx[1])") }
        if indexes.count == 3 && idx[1] > idx[2] { throw FnError(message: "invalid slice index: \(idx[1]) > \(idx[2])") }
        switch item {
        case .string(let s): return .string(String(decoding: Array(s.utf8)[idx[0]..<idx[1]], as: UTF8.self))
        case .html(let s): return .html(String(decoding: Array(s.utf8)[idx[0]..<idx[1]], as: UTF8.self))
        case .list(let l, let t): return .list(Array(l[idx[0]..<idx[1]]), elementType: t)
        case .queryResult(let q): return .queryResult(Array(q[idx[0]..<idx[1]]))
        default: return .invalid
        }
    }

    /// Go's `evalArgs`: `fmt.Sprint` with `<no value>` for missing values.
    static func evalArgs(_ a: [TemplateValue]) -> String {
        if a.count == 1, case .string(let s) = a[0] { return s }
        let printable = a.map { v -> TemplateValue in
            switch v {
            case .invalid: return .string("<no value>")
            case .sample(let s): return .string(TemplateFormat.sampleStruct(s))
            default: return v
            }
        }
        return TemplatePrintf.sprint(printable)
    }

    static func htmlEscape(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "\0": out += "\u{FFFD}"
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    static func jsEscape(_ s: String) -> String {
        var out = ""
        let hex = Array("0123456789ABCDEF")
        for ch in s.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case "\"": out += "\\\""
            case "<": out += "\\u003C"
            case ">": out += "\\u003E"
            case "&": out += "\\u0026"
            case "=": out += "\\u003D"
            default:
                if ch.value < 0x20 {
                    out += "\\u00" + String(hex[Int(ch.value >> 4)]) + String(hex[Int(ch.value & 15)])
                } else if ch.value >= 0x80 && !TemplateStrconv.isPrint(ch) {
                    let h = String(ch.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - h.count)) + h
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out
    }

    /// `cases.Title(language.AmericanEnglish, cases.NoLower)`: x/text's approximation of Unicode word breaking —
    /// the first cased rune of each word is title-cased (full mapping), the rest is left as is.
    static func title(_ s: String) -> String {
        var out = ""
        var isMidWord = false
        var prevWasMid = false
        var first = true
        for r in s.unicodeScalars {
            let mid = isWordMid(r)
            if !first && prevWasMid && mid { isMidWord = false }
            first = false
            if r.properties.isCased {
                if !isMidWord {
                    out += r.properties.titlecaseMapping
                    isMidWord = true
                } else {
                    out.unicodeScalars.append(r)
                }
            } else {
                out.unicodeScalars.append(r)
                if !mid && !isWordLetter(r) { isMidWord = false }
            }
            prevWasMid = mid
        }
        return out
    }

    /// Word_Break Format, MidLetter, MidNumLet or Single_Quote.
    static func isWordMid(_ r: Unicode.Scalar) -> Bool {
        switch r.value {
        case 0x27, 0x2E, 0x3A, 0xB7, 0x387, 0x55F, 0x5F4, 0x2018, 0x2019, 0x2024, 0x2027, 0xFE13, 0xFE52, 0xFE55,
             0xFF07, 0xFF0E, 0xFF1A:
            return true
        case 0x200B...0x200D:
            return false
        default:
            return r.properties.generalCategory == .format
        }
    }

    /// Word_Break ALetter, Hebrew_Letter, Numeric, ExtendNumLet or Extend (approximation).
    static func isWordLetter(_ r: Unicode.Scalar) -> Bool {
        let p = r.properties
        switch p.generalCategory {
        case .decimalNumber, .connectorPunctuation, .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default:
            break
        }
        if !p.isAlphabetic || p.isIdeographic { return false }
        switch r.value {
        // Katakana and Hiragana (Word_Break Katakana / Other).
        case 0x3031...0x3035, 0x3040...0x30FF, 0x31F0...0x31FF, 0x32D0...0x32FE, 0x3300...0x3357, 0xFF66...0xFF9F:
            return false
        // Complex-context scripts (Line_Break SA) are not ALetter: Thai, Lao, Myanmar, Khmer, Tai scripts.
        case 0x0E00...0x0EFF, 0x1000...0x109F, 0x1780...0x17FF, 0x1950...0x19FF, 0x1A20...0x1AAF, 0xAA60...0xAADF:
            return false
        default:
            return true
        }
    }

    /// Go's `unicode.ToUpper`/`ToLower` (simple, one-rune case mapping).
    static func mapScalar(_ r: Unicode.Scalar, upper: Bool) -> Unicode.Scalar {
        let full = upper ? r.properties.uppercaseMapping : r.properties.lowercaseMapping
        let scalars = Array(full.unicodeScalars)
        if scalars.count == 1, let only = scalars.first { return only }
        if upper {
            let t = Array(r.properties.titlecaseMapping.unicodeScalars)
            if t.count == 1, let only = t.first, only != r { return only }
            return r
        }
        return scalars.first ?? r
    }

    /// Go's `strings.ToUpper`/`ToLower` (simple per-rune case mapping).
    static func mapCase(_ s: String, upper: Bool) -> String {
        var out = String.UnicodeScalarView()
        for r in s.unicodeScalars { out.append(mapScalar(r, upper: upper)) }
        return String(out)
    }

    /// Prometheus's `convertToFloat`.
    static func convertToFloat(_ v: TemplateValue) throws(FnError) -> Double {
        switch v {
        case .float(let f): return f
        case .string(let s):
            if let f = GoStrconv.parseFloat(s) { return f }
            if TemplateStrconv.isFloatRangeError(s) {
                throw FnError(message: "strconv.ParseFloat: parsing \(TemplateStrconv.quote(s)): value out of range")
            }
            throw FnError(message: "strconv.ParseFloat: parsing \(TemplateStrconv.quote(s)): invalid syntax")
        case .int(let i, .int), .int(let i, .int64): return Double(i)
        case .uint(let u, .uint), .uint(let u, .uint64): return Double(u)
        default:
            // Note: `toDuration` yields *time.Duration, which Prometheus's type switch does not accept.
            throw FnError(message: "can't convert \(v.goTypeName) to float")
        }
    }

    /// Prometheus's `floatToTime` (millisecond precision, as `model.TimeFromUnixNano`).
    static func floatToTime(_ v: Double) throws(FnError) -> Int64 {
        let ts = v * 1e9
        if ts > 9.223372036854775807e18 || ts < -9.223372036854775808e18 {
            throw FnError(message: "\(TemplateFormat.formatFloatV(v)) cannot be represented as a nanoseconds timestamp since it overflows int64")
        }
        let ns = PrometheusHumanize.goInt64(ts)
        let ms = ns / 1_000_000
        return ms * 1_000_000
    }
}
