/// Go's `fmt.Sprint`, `fmt.Sprintln` and `fmt.Sprintf` over template values.
enum GoPrintf {
    static func isStringKind(_ v: TemplateValue) -> Bool {
        switch v {
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
            out += GoFormat.printV(a)
            prevString = isString
        }
        return out
    }

    /// Go's `fmt.Sprintln`.
    static func sprintln(_ args: [TemplateValue]) -> String {
        args.map { GoFormat.printV($0) }.joined(separator: " ") + "\n"
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
            guard i < f.count else {
                out += "%!(NOVERB)"
                break
            }
            let verb = f[i]
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
            out += formatArg(arg, verb: Character(verb), spec: spec)
        }
        if argNum < args.count {
            out += "%!(EXTRA "
            out += args[argNum...].map { a -> String in
                a.isValid ? a.goTypeName + "=" + GoFormat.printV(a) : "<nil>"
            }.joined(separator: ", ")
            out += ")"
        }
        return out
    }

    private static func digit(_ c: Unicode.Scalar) -> Int? {
        c.value >= 0x30 && c.value <= 0x39 ? Int(c.value - 0x30) : nil
    }

    static func badVerb(_ verb: Character, _ arg: TemplateValue) -> String {
        if !arg.isValid { return "%!" + String(verb) + "(<nil>)" }
        return "%!" + String(verb) + "(" + arg.goTypeName + "=" + GoFormat.printV(arg) + ")"
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

    static func formatArg(_ arg: TemplateValue, verb: Character, spec: Spec) -> String {
        if verb == "T" { return pad(arg.isValid ? arg.goTypeName : "<nil>", spec) }
        switch arg {
        case .invalid:
            return verb == "v" ? pad("<nil>", spec) : badVerb(verb, arg)
        case .bool(let b):
            if verb == "t" || verb == "v" { return pad(b ? "true" : "false", spec) }
            return badVerb(verb, arg)
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
                return badVerb(verb, arg)
            }
        case .string(let s), .html(let s):
            return formatString(s, verb: verb, spec: spec, arg: arg)
        case .time(let ns):
            switch verb {
            case "v", "s", "x", "X", "q": return formatString(GoFormat.timeString(ns), verb: verb, spec: spec, arg: .string(""))
            default: return badVerb(verb, arg)
            }
        case .duration(let d):
            switch verb {
            case "v", "s", "x", "X", "q": return formatString(GoFormat.durationString(d), verb: verb, spec: spec, arg: .string(""))
            default: return badVerb(verb, arg)
            }
        case .stringMap(let m):
            return "map[" + m.keys.sorted(by: TemplateExecutor.goStringLess).map {
                formatArg(.string($0), verb: verb, spec: spec) + ":" + formatArg(.string(m[$0] ?? ""), verb: verb, spec: spec)
            }.joined(separator: " ") + "]"
        case .anyMap(let m):
            return "map[" + m.keys.sorted(by: TemplateExecutor.goStringLess).map {
                formatArg(.string($0), verb: verb, spec: spec) + ":" + formatArg(m[$0] ?? .invalid, verb: verb, spec: spec)
            }.joined(separator: " ") + "]"
        case .list(let l, _):
            if verb == "s" || verb == "v" || verb == "d" || verb == "f" || verb == "g" || verb == "q" || verb == "x" {
                return "[" + l.map { formatArg($0, verb: verb, spec: spec) }.joined(separator: " ") + "]"
            }
            return "[" + l.map { formatArg($0, verb: verb, spec: spec) }.joined(separator: " ") + "]"
        case .queryResult, .sample, .structure:
            if verb == "v" { return pad(GoFormat.printV(arg), spec) }
            return badVerb(verb, arg)
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
            if spec.sharp && !str.contains("`") { return pad("`" + str + "`", spec) }
            return pad(GoStrconv.quote(str), spec)
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
            return badVerb(verb, arg)
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
            if let s = Unicode.Scalar(UInt32(truncatingIfNeeded: magnitude)), !negative { return pad(GoStrconv.quoteRune(s), spec) }
            return pad("'\u{FFFD}'", spec)
        case "U":
            let h = String(magnitude, radix: 16, uppercase: true)
            return pad("U+" + String(repeating: "0", count: max(0, 4 - h.count)) + h, spec)
        default:
            return badVerb(verb, arg)
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

    static func formatFloatVerb(_ f: Double, verb: Character, spec: Spec, arg: TemplateValue) -> String {
        var s: String
        switch verb {
        case "v": s = GoFormat.formatFloat(f, "g", spec.prec ?? -1)
        case "g", "G", "e", "E": s = GoFormat.formatFloat(f, verb, spec.prec ?? -1)
        case "f", "F": s = GoFormat.formatFloat(f, "f", spec.prec ?? 6)
        default: return badVerb(verb, arg)
        }
        if verb == "e" || verb == "E" {
            if spec.prec == nil { s = GoFormat.formatFloat(f, verb, 6) }
        }
        if spec.sharp && (verb == "g" || verb == "G" || verb == "v") && !s.contains(".") && f.isFinite {
            // Go's %#g keeps a decimal point; approximate by appending one before any exponent.
            if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
                s.insert(".", at: e)
            } else {
                s += "."
            }
        }
        if f.isNaN {
            s = spec.plus ? "+NaN" : (spec.space ? " NaN" : "NaN")
            var s2 = spec
            s2.zero = false
            return pad(s, s2)
        }
        if f.isInfinite {
            if f > 0 { s = spec.plus ? "+Inf" : (spec.space ? " Inf" : "+Inf") }
            var s2 = spec
            s2.zero = false
            return pad(s, s2)
        }
        if !s.hasPrefix("-") {
            if spec.plus { s = "+" + s } else if spec.space { s = " " + s }
        }
        return pad(s, spec, numeric: true)
    }
}
