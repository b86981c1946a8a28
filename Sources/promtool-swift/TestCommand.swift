import ArgumentParser
import Engine

/// `test ...`: unit tests for rules and PromQL scripts.
struct TestGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Unit testing.",
        subcommands: [TestPromQL.self]
    )
}

/// `test promql FILE...`: runs promqltest scripts (the format of Prometheus's own PromQL tests).
struct TestPromQL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promql",
        abstract: "Run PromQL test scripts (load/eval format) against the embedded engine.",
        discussion: "The engine is configured as upstream's own test run: every experimental feature, delayed __name__ removal and a 10,000-sample limit. The last line counts eval commands."
    )

    @Argument(help: "Script files.")
    var files: [String]

    @Flag(name: .long, help: "Print every eval, not only failures.")
    var verbose = false

    func run() throws {
        var passed = 0, failed = 0
        for file in files {
            guard let bytes = Output.readFile(file) else {
                Output.err("\(file): cannot read file")
                failed += 1
                continue
            }
            let report = PromQLTestRunner().run(script: String(decoding: bytes, as: UTF8.self), file: file)
            if let e = report.scriptError {
                Output.err(e)
            }
            for o in report.outcomes {
                if let f = o.failure {
                    Output.err("FAIL \(file):\(o.line): \(f)")
                } else if verbose {
                    print("ok   \(file):\(o.line): \(o.expr)")
                }
            }
            print("\(file): \(report.passed) passed, \(report.failed) failed")
            passed += report.passed
            failed += report.failed
        }
        print("\(passed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode(1) }
    }
}
