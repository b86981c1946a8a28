import ArgumentParser
import Engine
#if canImport(Glibc)
import Glibc
#endif

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
            guard let text = readWholeFile(file) else {
                writeStderr("\(file): cannot read file\n")
                failed += 1
                continue
            }
            let report = PromQLTestRunner().run(script: text, file: file)
            if let e = report.scriptError {
                writeStderr("\(e)\n")
            }
            for o in report.outcomes {
                if let f = o.failure {
                    writeStderr("FAIL \(file):\(o.line): \(f)\n")
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

/// Reads a file (or standard input for `-`); nil when it cannot be read.
func readWholeFile(_ path: String) -> String? {
    let f: UnsafeMutablePointer<FILE>?
    if path == "-" { f = fdopen(0, "rb") } else { f = fopen(path, "rb") }
    guard let f else { return nil }
    defer { if path != "-" { fclose(f) } }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = fread(&buf, 1, buf.count, f)
        if n <= 0 { break }
        out.append(contentsOf: buf[0..<n])
    }
    return String(decoding: out, as: UTF8.self)
}

func writeStderr(_ s: String) {
    let bytes = Array(s.utf8)
    bytes.withUnsafeBytes { p in
        guard let base = p.baseAddress else { return }
        var off = 0
        while off < p.count {
            let n = write(2, base + off, p.count - off)
            if n <= 0 { break }
            off += n
        }
    }
}
