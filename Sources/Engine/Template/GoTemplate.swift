/// A parsed Go text/template (with its `define`d templates), ready to execute.
public struct GoTemplate: Sendable {
    /// The name of the top-level template (used in error messages).
    public let name: String
    /// The function set the template was parsed against.
    public let functions: TemplateFunctions
    let trees: [String: TemplateTree]
    let text: String

    /// Parses `text` like `template.New(name).Funcs(functions).Parse(text)`; errors carry Go's exact text.
    public init(name: String, text: String, functions: TemplateFunctions = .prometheus) throws(TemplateError) {
        self.name = name
        self.functions = functions
        self.text = text
        let names = functions.names
        let outcome: Result<[String: TemplateTree], TemplateError> = LargeStack.run {
            let parser = TemplateParser(name: name, text: text, functions: names)
            do throws(TemplateParser.Failure) {
                try parser.parse()
                return .success(parser.trees)
            } catch {
                return .failure(TemplateError(phase: .parse, message: error.message))
            }
        }
        trees = try outcome.get()
    }

    /// Executes the template against `data` like Go's `Template.Execute`; errors carry Go's exact text.
    public func execute(_ data: TemplateValue, context: TemplateContext = TemplateContext()) throws(TemplateError) -> String {
        let template = self
        let outcome: Result<String, TemplateError> = LargeStack.run {
            var executor = TemplateExecutor(template: template, text: Array(template.text.utf8), context: context)
            do throws(TemplateExecutor.Failure) {
                return .success(try executor.run(data))
            } catch {
                return .failure(TemplateError(phase: .execution, message: error.message))
            }
        }
        return try outcome.get()
    }

    /// Names of all templates defined by the text, including the top-level one.
    public var definedTemplateNames: [String] { trees.keys.sorted() }
}
