import Foundation
import Locking
import Synchronization
import TestSupport

/// One command run: exit code, stdout, and stderr without our `  at FILE:LINE:COL` lines (the one addition
/// to promtool's output that a drop-in is allowed).
struct RunResult: Equatable, Sendable {
    var exit: Int32
    var stdout: String
    var stderr: String

    /// Which of `exit`, `stdout`, `stderr` differ from `other`.
    func differences(from other: RunResult) -> [String] {
        var out: [String] = []
        if exit != other.exit { out.append("exit") }
        if stdout != other.stdout { out.append("stdout") }
        if stderr != other.stderr { out.append("stderr") }
        return out
    }
}

/// An invocation to run with both binaries: arguments after the program name, the working directory, and
/// an optional file for standard input.
struct Invocation: Sendable, Hashable {
    var arguments: [String]
    var directory: String
    var stdin: String?
}

/// Our built binary (reached through a link named `promtool`, so usage errors name the program as promtool
/// names itself) and `/usr/bin/promtool`, run on the same invocations in parallel (two at a time per core).
struct PromtoolPair: Sendable {
    static let referencePath = "/usr/bin/promtool"

    let ours: String
    let reference: String

    /// Nil (with the reason) when either binary is missing.
    static func make() -> (pair: PromtoolPair?, problem: String?) {
        guard FileManager.default.isExecutableFile(atPath: referencePath) else {
            return (nil, "\(referencePath) (Prometheus's promtool, e.g. Debian's `prometheus` package) is not installed")
        }
        guard let built = builtBinary() else {
            return (nil, "the promtool-swift binary was not found next to the test bundle; run `swift build --build-tests`")
        }
        let dir = NSTemporaryDirectory() + "promtool-swift-differential-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let link = dir + "/promtool"
        try? FileManager.default.removeItem(atPath: link)
        do {
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: built)
        } catch {
            return (nil, "cannot link \(link) to \(built): \(error)")
        }
        return (PromtoolPair(ours: link, reference: referencePath), nil)
    }

    /// `promtool-swift` in the build folder the tests run from (or `.build/debug`).
    static func builtBinary() -> String? {
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var dir = (exe as NSString).deletingLastPathComponent
            // macOS runs tests from `X.xctest/Contents/MacOS/`.
            while dir.contains(".xctest") { dir = (dir as NSString).deletingLastPathComponent }
            candidates.append(dir + "/promtool-swift")
        }
        candidates.append(SharedFiles.packageRoot + "/.build/debug/promtool-swift")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs every invocation with both binaries; results in input order.
    func run(_ invocations: [Invocation]) -> [(ours: RunResult, reference: RunResult)] {
        let jobs = invocations.flatMap { [($0, ours), ($0, reference)] }
        let results = SanitizedMutex([RunResult?](repeating: nil, count: jobs.count))
        let next = Atomic<Int>(0)
        let workers = max(2, min(8, 2 * ProcessInfo.processInfo.activeProcessorCount))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard i < jobs.count else { return }
                let r = Self.execute(jobs[i].1, jobs[i].0)
                results.withLock { $0[i] = r }
            }
        }
        let all = results.withLock { $0 }
        return stride(from: 0, to: jobs.count, by: 2).map { i in
            (all[i] ?? RunResult(exit: -1, stdout: "", stderr: "not run"),
             all[i + 1] ?? RunResult(exit: -1, stdout: "", stderr: "not run"))
        }
    }

    /// Runs `program` once (stdout and stderr to files, so neither pipe can fill up and block it).
    static func execute(_ program: String, _ inv: Invocation) -> RunResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = inv.arguments
        p.currentDirectoryURL = URL(fileURLWithPath: inv.directory)
        p.environment = ["PATH": "/usr/bin:/bin", "LANG": "C", "NO_COLOR": "1"]
        let base = NSTemporaryDirectory() + "promtool-swift-run-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        _ = FileManager.default.createFile(atPath: base + ".out", contents: nil)
        _ = FileManager.default.createFile(atPath: base + ".err", contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: base + ".out")
            try? FileManager.default.removeItem(atPath: base + ".err")
        }
        guard let out = FileHandle(forWritingAtPath: base + ".out"),
              let err = FileHandle(forWritingAtPath: base + ".err") else {
            return RunResult(exit: -1, stdout: "", stderr: "cannot create output files")
        }
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inv.stdin.flatMap { FileHandle(forReadingAtPath: $0) } ?? FileHandle.nullDevice
        do {
            try p.run()
        } catch {
            return RunResult(exit: -1, stdout: "", stderr: "cannot run \(program): \(error)")
        }
        p.waitUntilExit()
        try? out.close()
        try? err.close()
        let stdout = String(decoding: FileManager.default.contents(atPath: base + ".out") ?? Data(), as: UTF8.self)
        let stderr = String(decoding: FileManager.default.contents(atPath: base + ".err") ?? Data(), as: UTF8.self)
        return RunResult(exit: p.terminationStatus, stdout: withoutPositions(stdout), stderr: withoutPositions(stderr))
    }

    /// `text` without our `  at FILE:LINE:COL` lines (they follow WARNING lines on stdout too).
    private static func withoutPositions(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("  at ") }
            .joined(separator: "\n")
    }
}
