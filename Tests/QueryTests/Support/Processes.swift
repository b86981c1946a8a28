import Foundation
import Locking

/// Runs built and installed programs as real processes for the end-to-end tests.
enum Processes {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    struct Result: Equatable, CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String

        var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    }

    /// Runs `executable` with `arguments`, collecting both streams (read concurrently, so a large output
    /// cannot block the child).
    static func run(_ executable: String, _ arguments: [String], in directory: String? = nil) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        // The reader thread hands stderr over through a lock (polling `isFinished` alone orders nothing: TSan
        // reported the read of a plain variable here as a race with the thread's write).
        let errData = Handover()
        let reader = Thread {
            let data = err.fileHandleForReading.readDataToEndOfFile()
            errData.value.withLock { $0 = data }
        }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        var stderrData: Data?
        while stderrData == nil {
            stderrData = errData.value.withLock { $0 }
            if stderrData == nil { usleep(1000) }
        }
        return Result(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: stderrData ?? Data(), as: UTF8.self))
    }

    /// What the stderr reader thread hands over.
    private final class Handover: Sendable {
        let value = SanitizedMutex<Data?>(nil)
    }

    /// The `promtool-swift` built beside this test bundle.
    static func ourBinary() throws -> String {
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        var candidates: [URL] = []
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent("promtool-swift"))
            dir = dir.deletingLastPathComponent()
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/promtool-swift"))
        guard let found = candidates.map(\.path).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TestFailure("promtool-swift binary not found next to the tests; run `swift build` first")
        }
        return found
    }

    /// An installed program, or nil (the caller decides whether that is a failure: it is under CI=true).
    static func installed(_ path: String) -> String? {
        FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// A TCP port on 127.0.0.1 that was free a moment ago.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket() failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) { ptr in
            ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard bound else { throw TestFailure("bind() failed") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    static func temporaryDirectory(_ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promtool-swift-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
