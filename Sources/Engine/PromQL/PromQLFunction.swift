/// A PromQL function's signature: argument types, variadic count, return type and whether it is experimental.
public struct PromQLFunction: Sendable, Hashable {
    public let name: String
    /// Which function this is; nil only for an unknown name in a call that failed to parse.
    public let id: PromQLFunctionID?
    public let argTypes: [ValueType]
    /// 0: exactly `argTypes.count` args; n > 0: the last type may repeat up to n extra times
    /// (minimum `argTypes.count - 1` args); -1: unlimited repetitions of the last type.
    public let variadic: Int
    public let returnType: ValueType
    /// Needs `ParserOptions.experimentalFunctions`.
    public let experimental: Bool

    /// A call of an unknown function (kept so a failed parse can still describe the call).
    public static func unknown(_ name: String) -> PromQLFunction {
        PromQLFunction(name: name, id: nil, argTypes: [], variadic: 0, returnType: .vector, experimental: false)
    }

    private init(name: String, id: PromQLFunctionID?, argTypes: [ValueType], variadic: Int, returnType: ValueType, experimental: Bool) {
        self.name = name
        self.id = id
        self.argTypes = argTypes
        self.variadic = variadic
        self.returnType = returnType
        self.experimental = experimental
    }

    public static func == (a: PromQLFunction, b: PromQLFunction) -> Bool { a.name == b.name }
    public func hash(into h: inout Hasher) { h.combine(name) }

    /// Looks a function up by its exact (case-sensitive) name.
    public static func named(_ name: String) -> PromQLFunction? { table[name] }

    /// Every function of Prometheus 3.14, keyed by name.
    public static let table: [String: PromQLFunction] = {
        var t: [String: PromQLFunction] = [:]
        for id in PromQLFunctionID.allCases {
            let sig = id.signature
            t[id.name] = PromQLFunction(name: id.name, id: id, argTypes: sig.argTypes, variadic: sig.variadic,
                                        returnType: sig.returnType, experimental: sig.experimental)
        }
        return t
    }()

    /// The parts of a function's type that its `PromQLFunctionID` case declares.
    struct Signature {
        var argTypes: [ValueType]
        var variadic: Int
        var returnType: ValueType
        var experimental: Bool

        init(_ argTypes: [ValueType], returns returnType: ValueType = .vector, variadic: Int = 0, experimental: Bool = false) {
            self.argTypes = argTypes
            self.variadic = variadic
            self.returnType = returnType
            self.experimental = experimental
        }
    }
}
