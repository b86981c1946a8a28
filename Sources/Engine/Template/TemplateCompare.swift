/// Go text/template comparison builtins (`eq`, `lt`, `le`) with Go's type rules and messages.
enum TemplateCompare {
    enum Kind { case invalid, bool, complex, int, float, string, uint }

    static func kind(_ v: TemplateValue) -> Kind {
        switch v {
        case .bool: return .bool
        case .int: return .int
        case .uint: return .uint
        case .float: return .float
        case .complex: return .complex
        case .string, .html: return .string
        default: return .invalid
        }
    }

    static func intVal(_ v: TemplateValue) -> Int64 {
        if case .int(let i, _) = v { return i }
        return 0
    }

    static func uintVal(_ v: TemplateValue) -> UInt64 {
        if case .uint(let u, _) = v { return u }
        return 0
    }

    static func floatVal(_ v: TemplateValue) -> Double {
        if case .float(let f) = v { return f }
        return 0
    }

    static func stringVal(_ v: TemplateValue) -> String {
        switch v {
        case .string(let s), .html(let s): return s
        default: return ""
        }
    }

    static func isNil(_ v: TemplateValue) -> Bool { !v.isValid }

    /// Go's `eq`: arg1 == any of arg2.
    static func eq(_ arg1: TemplateValue, _ arg2: [TemplateValue]) throws(TemplateFunctionError) -> Bool {
        if arg2.isEmpty { throw TemplateFunctionError(message: "missing argument for comparison") }
        let k1 = kind(arg1)
        for arg in arg2 {
            let k2 = kind(arg)
            var truth = false
            if k1 != k2 {
                switch (k1, k2) {
                case (.int, .uint):
                    truth = intVal(arg1) >= 0 && UInt64(intVal(arg1)) == uintVal(arg)
                case (.uint, .int):
                    truth = intVal(arg) >= 0 && uintVal(arg1) == UInt64(intVal(arg))
                default:
                    if arg1.isValid && arg.isValid {
                        throw TemplateFunctionError(message: "incompatible types for comparison: \(arg1.goTypeName) and \(arg.goTypeName)")
                    }
                }
            } else {
                switch k1 {
                case .bool:
                    if case .bool(let a) = arg1, case .bool(let b) = arg { truth = a == b }
                case .complex:
                    if case .complex(let ar, let ai) = arg1, case .complex(let br, let bi) = arg { truth = ar == br && ai == bi }
                case .float: truth = floatVal(arg1) == floatVal(arg)
                case .int: truth = intVal(arg1) == intVal(arg)
                case .string: truth = stringVal(arg1) == stringVal(arg)
                case .uint: truth = uintVal(arg1) == uintVal(arg)
                case .invalid:
                    if isNil(arg1) || isNil(arg) {
                        truth = isNil(arg) == isNil(arg1)
                    } else {
                        if arg1.goTypeName != arg.goTypeName {
                            throw TemplateFunctionError(message: "non-comparable types \(TemplatePrintf.formatArg(arg1, verb: "s", spec: .init())): \(arg1.goTypeName), \(arg.goTypeName): \(TemplateFormat.printV(arg))")
                        }
                        switch arg {
                        case .stringMap, .anyMap, .list, .queryResult:
                            throw TemplateFunctionError(message: "non-comparable type \(TemplatePrintf.formatArg(arg, verb: "s", spec: .init())): \(arg.goTypeName)")
                        case .sample(let a):
                            if case .sample(let b) = arg1 { truth = a == b }
                        case .time(let a):
                            if case .time(let b) = arg1 { truth = a == b }
                        case .duration(let a):
                            if case .duration(let b) = arg1 { truth = a == b }
                        case .opaque(_, let a):
                            if case .opaque(_, let b) = arg1 { truth = a == b }
                        default:
                            truth = false
                        }
                    }
                }
            }
            if truth { return true }
        }
        return false
    }

    /// Go's `lt`.
    static func lt(_ arg1: TemplateValue, _ arg2: TemplateValue) throws(TemplateFunctionError) -> Bool {
        let k1 = kind(arg1)
        if k1 == .invalid { throw TemplateFunctionError(message: "invalid type for comparison") }
        let k2 = kind(arg2)
        if k2 == .invalid { throw TemplateFunctionError(message: "invalid type for comparison") }
        if k1 != k2 {
            switch (k1, k2) {
            case (.int, .uint): return intVal(arg1) < 0 || UInt64(intVal(arg1)) < uintVal(arg2)
            case (.uint, .int): return intVal(arg2) >= 0 && uintVal(arg1) < UInt64(intVal(arg2))
            default:
                throw TemplateFunctionError(message: "incompatible types for comparison: \(arg1.goTypeName) and \(arg2.goTypeName)")
            }
        }
        switch k1 {
        case .bool, .complex: throw TemplateFunctionError(message: "invalid type for comparison")
        case .float: return floatVal(arg1) < floatVal(arg2)
        case .int: return intVal(arg1) < intVal(arg2)
        case .string: return TemplateExecutor.goStringLess(stringVal(arg1), stringVal(arg2))
        case .uint: return uintVal(arg1) < uintVal(arg2)
        case .invalid: throw TemplateFunctionError(message: "invalid type for comparison")
        }
    }

    /// Go's `le`.
    static func le(_ arg1: TemplateValue, _ arg2: TemplateValue) throws(TemplateFunctionError) -> Bool {
        if try lt(arg1, arg2) { return true }
        return try eq(arg1, [arg2])
    }
}
