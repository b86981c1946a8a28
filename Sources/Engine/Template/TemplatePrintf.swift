/// Go's `fmt.Sprint`, `fmt.Sprintln` and `fmt.Sprintf` over template values.
enum TemplatePrintf {
    static func isStringKind(_ v: TemplateValue) -> Bool {
        switch v.unboxed {
        case .string, .html: return true
        default: return false
        }
    }

    /// Go's `fmt.Sprint`: spaces between operands when neither side is a string.
    static func sprint(_ args: [TemplateValue]) -> String {
        var out = ""
        var prevString = false
        for (i, a) in args.enumerated() {
            let isString = isStringKind(a)
            if i > 0 && !isString && !prevString { out += " " }
            out += TemplateFormat.printV(a)
            prevString = isString
        }
        return out
    }

    /// Go's `fmt.Sprintln`.
    static func sprintln(_ args: [TemplateValue]) -> String {
        args.map { TemplateFormat.printV($0) }.joined(separator: " ") + "\n"
    }

    struct Spec {
        var plus = false
        var minus = false
        var sharp = false
        var space = false
        var zero = false
        var width: Int? = nil
        var prec: Int? = nil
    }

    /// Go's `fmt.Sprintf`.
    static func sprintf(_ format: String, _ args: [TemplateValue]) -> String {
        let f = Array(format.unicodeScalars)
        var out = ""
        var argNum = 0
        var reordered = false
        var badIndex = false
        var i = 0
        while i < f.count {
            let c = f[i]
            if c != "%" {
                out.unicodeScalars.append(c)
                i += 1
                continue
            }
            i += 1
            var spec = Spec()
            func argIndex() {
                guard i < f.count, f[i] == "[" else { return }
                var j = i + 1
                var n = 0
                var ok = false
                while j < f.count, let d = digit(f[j]) { n = min(n * 10 + d, 1_000_000); ok = true; j += 1 }
                guard ok, j < f.count, f[j] == "]" else { return }
                reordered = true
                if n >= 1 && n <= args.count { argNum = n - 1 } else { badIndex = true }
                i = j + 1
            }
            flags: while i < f.count {
                switch f[i] {
                case "+": spec.plus = true
                case "-": spec.minus = true; spec.zero = false
                case "#": spec.sharp = true
                case " ": spec.space = true
                case "0": spec.zero = !spec.minus
                default: break flags
                }
                i += 1
            }
            argIndex()
            if i < f.count && f[i] == "*" {
                i += 1
                if argNum < args.count, case .int(let w, _) = args[argNum], w.magnitude <= 1_000_000 {
                    spec.width = Int(w)
                    if w < 0 { spec.minus = true; spec.width = Int(-w) }
                } else {
                    out += "%!(BADWIDTH)"
                }
                argNum += 1
            } else {
                var w = 0
                var any = false
                while i < f.count, let d = digit(f[i]) { w = min(w * 10 + d, 1_000_001); any = true; i += 1 }
                if any && w <= 1_000_000 { spec.width = w }
            }
            if i < f.count && f[i] == "." {
                i += 1
                argIndex()
                if i < f.count && f[i] == "*" {
                    i += 1
                    if argNum < args.count, case .int(let p, _) = args[argNum], p.magnitude <= 1_000_000 {
                        spec.prec = p < 0 ? nil : Int(p)
                    } else {
                        out += "%!(BADPREC)"
                    }
                    argNum += 1
                } else {
                    var p = 0
                    while i < f.count, let d = digit(f[i]) { p = min(p * 10 + d, 1_000_000); i += 1 }
                    spec.prec = p
                }
            }
            argIndex()
            guard i < f.count else {
                out += "%!(NOVERB)"
                break
            }
            let verb = f[i]
            if badIndex {
                i += 1
                badIndex = false
                out += "%!" + String(Character(verb)) + "(BADINDEX)"
                continue
            }
            i += 1
            if verb == "%" {
                out += "%"
                continue
            }
            guard argNum < args.count else {
                out += "%!" + String(Character(verb)) + "(MISSING)"
                continue
            }
            let arg = args[argNum]
            argNum += 1
            if verb == "v" {
                // Go turns %+v / %#v into struct-field / Go-syntax modes; plain values print as %v
                // (strings are quoted under %#v).
                let sharpV = spec.sharp
                spec.plus = false
                spec.sharp = false
                if sharpV, case .string(let str) = arg {
                    out += pad(TemplateStrconv.quote(str), spec)
                    continue
                }
            }
            out += formatArg(arg, verb: Character(verb), spec: spec)
        }
        if !reordered && argNum < args.count {
            out += "%!(EXTRA "
            out += args[argNum...].map { a -> String in
                a.isValid ? a.goTypeName + "=" + TemplateFormat.printV(a) : "<nil>"
            }.joined(separator: ", ")
            out += ")"
        }
        return out
    }

    private static func digit(_ c: Unicode.Scalar) -> Int? {
        c.value >= 0x30 && c.value <= 0x39 ? Int(c.value - 0x30) : nil
    }

    /// Go's `badVerb`: the value is printed with `%v` under the active width and precision.
    static func badVerb(_ verb: Character, _ arg: TemplateValue, _ spec: Spec = Spec()) -> String {
        if !arg.isValid { return "%!" + String(verb) + "(<nil>)" }
        var s2 = spec
        s2.plus = false
        s2.sharp = false
        let shown: String
        switch arg {
        case .sample(let smp): shown = "&" + formatSampleStruct(smp, verb: "v", spec: s2)
        case .time, .duration, .opaque: shown = TemplateFormat.printV(arg)
        default: shown = formatArg(arg, verb: "v", spec: s2)
        }
        return "%!" + String(verb) + "(" + arg.goTypeName + "=" + shown + ")"
    }

    static func formatSampleStruct(_ s: QueryResultSample, verb: Character, spec: Spec) -> String {
        "{" + formatArg(.stringMap(s.labels), verb: verb, spec: spec) + " " + formatArg(.float(s.value), verb: verb, spec: spec) + "}"
    }

    static func pad(_ s: String, _ spec: Spec, numeric: Bool = false) -> String {
        guard let w = spec.width else { return s }
        let n = s.unicodeScalars.count
        if n >= w { return s }
        let fill = w - n
        if spec.minus { return s + String(repeating: " ", count: fill) }
        if spec.zero && numeric {
            var body = Substring(s)
            var sign = ""
            if let f = body.first, f == "-" || f == "+" || f == " " {
                sign = String(f)
                body = body.dropFirst()
            }
            return sign + String(repeating: "0", count: fill) + body
        }
        return String(repeating: " ", count: fill) + s
    }

    static func formatArg(_ arg0: TemplateValue, verb: Character, spec: Spec) -> String {
        let arg = arg0.unboxed
        if verb == "T" { return pad(arg.isValid ? arg.goTypeName : "<nil>", spec) }
        switch arg {
        case .invalid:
            return verb == "v" ? pad("<nil>", spec) : badVerb(verb, arg)
        case .bool(let b):
            if verb == "t" || verb == "v" { return pad(b ? "true" : "false", spec) }
            return badVerb(verb, arg, spec)
        case .int(let i, _):
            return formatInteger(negative: i < 0, magnitude: i.magnitude, verb: verb, spec: spec, arg: arg)
        case .uint(let u, _):
            return formatInteger(negative: false, magnitude: u, verb: verb, spec: spec, arg: arg)
        case .float(let f):
            return formatFloatVerb(f, verb: verb, spec: spec, arg: arg)
        case .complex(let r, let im):
            switch verb {
            case "v", "b", "g", "G", "x", "X", "f", "F", "e", "E":
                var s2 = spec
                s2.width = nil
                let re = formatFloatVerb(r, verb: verb, spec: s2, arg: arg)
                var s3 = s2
                s3.plus = true
                let ims = formatFloatVerb(im, verb: verb, spec: s3, arg: arg)
                return pad("(" + re + ims + "i)", spec)
            default:
                return badVerb(verb, arg, spec)
            }
        case .string(let s), .html(let s):
            return formatString(s, verb: verb, spec: spec, arg: arg)
        case .time(let ns):
            switch verb {
            case "v", "s", "x", "X", "q": return formatString(TemplateFormat.timeString(ns), verb: verb, spec: spec, arg: .string(""))
            default: return badVerb(verb, arg, spec)
            }
        case .opaque(_, let text):
            switch verb {
            case "v", "s", "x", "X", "q": return formatString(text, verb: verb, spec: spec, arg: .string(""))
            default: return badVerb(verb, arg, spec)
            }
        case .duration(let d):
            switch verb {
            case "v", "s", "x", "X", "q": return formatString(TemplateFormat.durationString(d), verb: verb, spec: spec, arg: .string(""))
            default: return badVerb(verb, arg, spec)
            }
        case .stringMap(let m):
            return "map[" + m.keys.sorted(by: TemplateExecutor.goStringLess).map {
                formatArg(.string($0), verb: verb, spec: spec) + ":" + formatArg(.string(m[$0] ?? ""), verb: verb, spec: spec)
            }.joined(separator: " ") + "]"
        case .anyMap(let map):
            let m = map.entries
            return "map[" + m.keys.sorted(by: TemplateExecutor.goStringLess).map {
                formatArg(.string($0), verb: verb, spec: spec) + ":" + formatArg(m[$0] ?? .invalid, verb: verb, spec: spec)
            }.joined(separator: " ") + "]"
        case .list(let l, _):
            if verb == "s" || verb == "v" || verb == "d" || verb == "f" || verb == "g" || verb == "q" || verb == "x" {
                return "[" + l.map { formatArg($0, verb: verb, spec: spec) }.joined(separator: " ") + "]"
            }
            return "[" + l.map { formatArg($0, verb: verb, spec: spec) }.joined(separator: " ") + "]"
        case .queryResult(let q):
            // Elements are *template.sample pointers: Go prints their addresses for %v; we print the pointee.
            return "[" + q.map { smp -> String in
                verb == "v" ? "&" + formatSampleStruct(smp, verb: verb, spec: spec) : badVerb(verb, .sample(smp), spec)
            }.joined(separator: " ") + "]"
        case .sample(let smp):
            return "&" + formatSampleStruct(smp, verb: verb, spec: spec)
        case .structure(let st):
            if let text = st.stringForm, "vsxXq".contains(verb) {
                return formatString(text, verb: verb, spec: spec, arg: .string(text))
            }
            return "{" + st.fieldNames.map { formatArg(st.fields[$0] ?? .invalid, verb: verb, spec: spec) }.joined(separator: " ") + "}"
        case .boxed(let inner):
            return formatArg(inner, verb: verb, spec: spec)
        }
    }

    static func formatString(_ s: String, verb: Character, spec: Spec, arg: TemplateValue) -> String {
        var str = s
        if let p = spec.prec, verb != "x" && verb != "X" {
            str = String(String.UnicodeScalarView(s.unicodeScalars.prefix(p)))
        }
        switch verb {
        case "v", "s": return pad(str, spec)
        case "q":
            if spec.sharp && TemplateStrconv.canBackquote(str) { return pad("`" + str + "`", spec) }
            if spec.plus { return pad(TemplateStrconv.quoteToASCII(str), spec) }
            return pad(TemplateStrconv.quote(str), spec)
        case "x", "X":
            var bytes = Array(s.utf8)
            if let p = spec.prec { bytes = Array(bytes.prefix(p)) }
            let digits = Array(verb == "x" ? "0123456789abcdef" : "0123456789ABCDEF")
            var o = ""
            for (k, b) in bytes.enumerated() {
                if spec.space && k > 0 { o += " " }
                if spec.sharp && (spec.space || k == 0) { o += verb == "x" ? "0x" : "0X" }
                o.append(digits[Int(b >> 4)])
                o.append(digits[Int(b & 15)])
            }
            return pad(o, spec)
        default:
            return badVerb(verb, arg, spec)
        }
    }

    static func formatInteger(negative: Bool, magnitude: UInt64, verb: Character, spec: Spec, arg: TemplateValue) -> String {
        var body: String
        switch verb {
        case "v", "d": body = String(magnitude)
        case "b": body = String(magnitude, radix: 2)
        case "o", "O": body = String(magnitude, radix: 8)
        case "x": body = String(magnitude, radix: 16)
        case "X": body = String(magnitude, radix: 16, uppercase: true)
        case "c":
            if let s = Unicode.Scalar(UInt32(truncatingIfNeeded: magnitude)), !negative { return pad(String(Character(s)), spec) }
            return pad("\u{FFFD}", spec)
        case "q":
            if let s = Unicode.Scalar(UInt32(truncatingIfNeeded: magnitude)), !negative { return pad(TemplateStrconv.quoteRune(s), spec) }
            return pad("'\u{FFFD}'", spec)
        case "U":
            let h = String(magnitude, radix: 16, uppercase: true)
            var u = "U+" + String(repeating: "0", count: max(0, 4 - h.count)) + h
            if spec.sharp, !negative, magnitude <= 0x10FFFF, let sc = Unicode.Scalar(UInt32(magnitude)), TemplateStrconv.isPrint(sc) {
                u += " '" + String(Character(sc)) + "'"
            }
            return pad(u, spec)
        default:
            return badVerb(verb, arg, spec)
        }
        if let p = spec.prec {
            if p == 0 && magnitude == 0 { body = "" }
            else if body.count < p { body = String(repeating: "0", count: p - body.count) + body }
        }
        if spec.sharp {
            switch verb {
            case "x": body = "0x" + body
            case "X": body = "0X" + body
            case "o": if !body.hasPrefix("0") { body = "0" + body }
            case "b": body = "0b" + body
            default: break
            }
        }
        if verb == "O" { body = "0o" + body }
        let sign = negative ? "-" : (spec.plus ? "+" : (spec.space ? " " : ""))
        var s2 = spec
        if spec.prec != nil { s2.zero = false }
        return pad(sign + body, s2, numeric: true)
    }

    /// Go's `fmt` float formatting (`pp.fmtFloat` + `fmt.fmtFloat`), including sign, `#` and zero padding rules.
    static func formatFloatVerb(_ f: Double, verb: Character, spec: Spec, arg: TemplateValue) -> String {
        let conv: Character
        var prec: Int
        switch verb {
        case "v": conv = "g"; prec = -1
        case "b", "g", "G", "x", "X": conv = verb; prec = -1
        case "f", "F", "e", "E": conv = verb == "F" ? "f" : verb; prec = 6
        default: return badVerb(verb, arg, spec)
        }
        if let p = spec.prec { prec = p }
        var body: String
        switch conv {
        case "x", "X": body = TemplateFormat.formatHexFloat(f, upper: conv == "X", prec: prec)
        case "b": body = TemplateFormat.formatBinaryFloat(f)
        default: body = TemplateFormat.formatFloat(f, conv, prec)
        }
        // num[0] is the sign slot, as in Go.
        var num = Array(body.unicodeScalars)
        if num.first == "-" || num.first == "+" {
            // keep
        } else {
            num.insert("+", at: 0)
        }
        if spec.space && num[0] == "+" && !spec.plus { num[0] = " " }
        if num.count > 1 && (num[1] == "I" || num[1] == "N") {
            if num[1] == "N" && !spec.space && !spec.plus { num.removeFirst() }
            var s2 = spec
            s2.zero = false
            return pad(String(String.UnicodeScalarView(num)), s2)
        }
        if spec.sharp && conv != "b" {
            var digits = 0
            if verb == "v" || conv == "g" || conv == "G" || conv == "x" {
                digits = prec
                if digits == -1 { digits = 6 }
            }
            var tail: [Unicode.Scalar] = []
            var hasDecimalPoint = false
            var sawNonzeroDigit = false
            var i = 1
            scan: while i < num.count {
                let c = num[i]
                switch c {
                case ".":
                    hasDecimalPoint = true
                case "p", "P":
                    tail = Array(num[i...])
                    num = Array(num[..<i])
                    break scan
                case "e" where conv != "x" && conv != "X", "E" where conv != "x" && conv != "X":
                    tail = Array(num[i...])
                    num = Array(num[..<i])
                    break scan
                default:
                    if c != "0" { sawNonzeroDigit = true }
                    if sawNonzeroDigit { digits -= 1 }
                }
                i += 1
            }
            if !hasDecimalPoint {
                if num.count == 2 && num[1] == "0" { digits -= 1 }
                num.append(".")
            }
            while digits > 0 {
                num.append("0")
                digits -= 1
            }
            num.append(contentsOf: tail)
        }
        if spec.plus || num[0] != "+" {
            if spec.zero && !spec.minus, let w = spec.width, w > num.count {
                return String(num[0]) + String(repeating: "0", count: w - num.count)
                    + String(String.UnicodeScalarView(num[1...]))
            }
            return pad(String(String.UnicodeScalarView(num)), spec)
        }
        let unsigned = String(String.UnicodeScalarView(num[1...]))
        if spec.zero && !spec.minus, let w = spec.width, w > unsigned.unicodeScalars.count {
            return String(repeating: "0", count: w - unsigned.unicodeScalars.count) + unsigned
        }
        return pad(unsigned, spec)
    }
}
