import Foundation
@testable import Engine

/// Runs a unit-test file from a fresh temporary folder holding it (`test.yml`) and the given rule files.
enum RulesTestScratch {
    static func run(_ test: String, files: [String: String] = [:], options: RulesTestOptions = RulesTestOptions()) throws -> RulesTestFileResult {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rulestest-\(UInt64.random(in: 0...UInt64.max))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        try test.write(toFile: dir + "/test.yml", atomically: true, encoding: .utf8)
        return try RulesTestRunner(options: options).run(path: dir + "/test.yml")
    }
}
