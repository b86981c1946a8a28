/// A parsed Go text/template (with its `define`d templates), ready to execute.
///
/// Parsing and execution run on a worker thread with a large stack (see `LargeStack`), so deeply nested but
/// bounded templates never exhaust the caller's stack.
public struct GoTemplate: Sendable {
    /// The name of the top-level template (used in error messages).
    public let name: String
    /// The function set the template was parsed against.
    public let functions: TemplateFunctions
    let trees: [String: TemplateTree]
    let text: String

    /// Parses `text` like `template.New(name).Funcs(functions).Parse(text)`; errors carry Go's exact text.
    public init(name: String, text: String, functions: TemplateFunctions = .prometheus) throws(TemplateError) {
        let outcome = LargeStack.run { Self.parse(name: name, text: text, functions: functions) }
        self = try outcome.get()
    }

    private init(name: String, functions: TemplateFunctions, trees: [String: TemplateTree], text: String) {
        self.name = name
        self.functions = functions
        self.trees = trees
        self.text = text
    }

    /// Parses on the current thread.
    static func parse(name: String, text: String, functions: TemplateFunctions) -> Result<GoTemplate, TemplateError> {
        let parser = TemplateParser(name: name, text: text, functions: functions.names)
        do throws(TemplateParser.Failure) {
            try parser.parse()
            return .success(GoTemplate(name: name, functions: functions, trees: parser.trees, text: text))
        } catch {
            return .failure(TemplateError(phase: .parse, message: error.message, line: error.line))
        }
    }

    /// Executes the template against `data` like Go's `Template.Execute`; errors carry Go's exact text.
    public func execute(_ data: TemplateValue, context: TemplateContext = TemplateContext()) throws(TemplateError) -> String {
        let template = self
        return try LargeStack.run { template.executeHere(data, context: context) }.get()
    }

    /// Executes on the current thread.
    func executeHere(_ data: TemplateValue, context: TemplateContext) -> Result<String, TemplateError> {
        var executor = TemplateExecutor(template: self, text: Array(text.utf8), context: context)
        do throws(TemplateExecutor.Failure) {
            return .success(try executor.run(data))
        } catch {
            return .failure(TemplateError(phase: .execution, message: error.message, line: error.line,
                                          column: error.column))
        }
    }

    /// Names of all templates defined by the text, including the top-level one.
    public var definedTemplateNames: [String] { trees.keys.sorted() }
}
