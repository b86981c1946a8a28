/// A parsed Go text/template (with its `define`d templates), ready to execute.
public struct GoTemplate: Sendable {
    /// The name of the top-level template (used in error messages).
    public let name: String
    /// The function set the template was parsed against.
    public let functions: TemplateFunctions
    let trees: [String: TemplateTree]

    /// Parses `text` like `template.New(name).Funcs(functions).Parse(text)`; errors carry Go's exact text.
    public init(name: String, text: String, functions: TemplateFunctions = .prometheus) throws(TemplateError) {
        self.name = name
        self.functions = functions
        let parser = TemplateParser(name: name, text: text, functions: functions.names)
        do {
            try parser.parse()
        } catch {
            throw TemplateError(phase: .parse, message: error.message)
        }
        trees = parser.trees
    }

    /// Names of all templates defined by the text, including the top-level one.
    public var definedTemplateNames: [String] { trees.keys.sorted() }
}
