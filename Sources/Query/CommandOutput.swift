/// Where a query command writes: standard output and standard error, each given whole chunks of text
/// (lines with their line breaks). The CLI passes the file descriptors; tests collect the text.
public struct CommandOutput: Sendable {
    public var out: @Sendable (String) -> Void
    public var err: @Sendable (String) -> Void

    public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void) {
        self.out = out
        self.err = err
    }
}
