import Foundation
import ConfigModel
import Testing
@testable import Lint

/// The POSIX path and file helpers agree with the Foundation calls the linter used before.
@Suite struct PathsTests {
    /// A temporary tree with real and symbolic-linked files and directories (dangling links included).
    static func makeTree() throws -> String {
        let fm = FileManager.default
        let root = fm.temporaryDirectory.path + "/lint-paths-" + UUID().uuidString
        for dir in ["a/b/c", "a/.hidden", "a/node_modules", "d e/ü"] {
            try fm.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true)
        }
        for file in ["a/r.yml", "a/b/s.yaml", "a/b/c/t.yml", "a/.hidden/h.yml", "a/node_modules/n.yml", "a/.dot.yml",
                     "a/x.txt", "d e/ü/u.yml"] {
            try "groups: []\n".write(toFile: root + "/" + file, atomically: true, encoding: .utf8)
        }
        try fm.createSymbolicLink(atPath: root + "/a/link.yml", withDestinationPath: "r.yml")
        try fm.createSymbolicLink(atPath: root + "/a/abslink.yml", withDestinationPath: root + "/a/b/s.yaml")
        try fm.createSymbolicLink(atPath: root + "/a/dirlink", withDestinationPath: root + "/a/b")
        try fm.createSymbolicLink(atPath: root + "/a/reldir", withDestinationPath: "b/c")
        try fm.createSymbolicLink(atPath: root + "/a/dangling.yml", withDestinationPath: "/nonexistent/x.yml")
        try fm.createSymbolicLink(atPath: root + "/a/b/up.yml", withDestinationPath: "../r.yml")
        return root
    }

    static func paths(_ root: String) -> [String] {
        let rels = ["a", "a/", "a//b", "a/./b/", "a/b/..", "a/b/../..", "a/../a/r.yml", "a/link.yml", "a/abslink.yml",
                    "a/dirlink/s.yaml", "a/dirlink/../r.yml", "a/reldir/t.yml", "a/reldir/..", "a/dangling.yml",
                    "a/b/up.yml", "a/missing/../r.yml", "a/missing", "d e/ü/u.yml", "a/b/c/../../link.yml"]
        var out = rels.map { root + "/" + $0 }
        out += rels.map { "rel/" + $0 }
        out += ["", "/", "//", "/..", "/../tmp", ".", "..", "./x", "x/", "~", "~/x/../y", "~root/z", "~nosuchuser/q",
                "/tmp//x///", "/private/tmp", "a", "/a", "a/b"]
        return out
    }

    /// (Relative link targets resolve against the process's working directory, in Foundation and here.)
    @Test func pathAlgebraMatchesNSString() throws {
        let root = try Self.makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for p in Self.paths(root) {
            let ns = p as NSString
            let fixed = Paths.fixingSlashes(p)
            if fixed.count == 1 && fixed != "/" {
                // Foundation traps on one-character relative paths (`a`, `x/`, `.`); the replacement does not.
                #expect(Paths.deletingLastComponent(p) == "", "\(p)")
            } else {
                #expect(Paths.deletingLastComponent(p) == ns.deletingLastPathComponent, "\(p)")
            }
            #expect(Paths.components(p) == ns.pathComponents, "\(p)")
            #expect(Paths.resolvingSymlinks(p) == ns.resolvingSymlinksInPath, "\(p)")
            #expect(Paths.standardizing(p) == ns.standardizingPath, "\(p)")
            for q in ["", "x", "/y", "z/"] {
                #expect(Paths.appending(p, q) == ns.appendingPathComponent(q), "\(p) + \(q)")
            }
        }
    }

    @Test func workingDirectoryMatchesFileManager() {
        #expect(FileSystem.currentDirectory() == FileManager.default.currentDirectoryPath)
    }

    @Test func fileSystemCallsMatchFileManager() throws {
        let root = try Self.makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fm = FileManager.default
        for p in Self.paths(root) + ["/dev/null", root + "/a/x.txt"] {
            var isDir: ObjCBool = false
            let exists = fm.fileExists(atPath: p, isDirectory: &isDir)
            #expect(FileSystem.exists(p) == exists, "\(p)")
            #expect(FileSystem.isDirectory(p) == (exists && isDir.boolValue), "\(p)")
            if p.hasPrefix(root) {  // (other folders, such as /tmp, change while the test runs)
                #expect(FileSystem.contents(ofDirectory: p).sorted() == ((try? fm.contentsOfDirectory(atPath: p)) ?? []).sorted(), "\(p)")
            }
            #expect(FileSystem.contents(ofFile: p) == Self.foundationRead(p), "\(p)")
        }
    }

    /// How the linter read files with Foundation (devices and pipes through a file handle).
    static func foundationRead(_ path: String) -> [UInt8]? {
        if let d = FileManager.default.contents(atPath: path) { return [UInt8](d) }
        guard let h = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? h.close() }
        return (try? h.readToEnd() ?? Data()).map { [UInt8]($0) }
    }

    /// The directory walk the linter did with `FileManager.enumerator`.
    static func enumeratorWalk(directory: String, display: String) -> [(String, String)] {
        let fm = FileManager.default
        guard let e = fm.enumerator(atPath: directory) else { return [] }
        var out: [(String, String)] = []
        while let rel = e.nextObject() as? String {
            let name = (rel as NSString).lastPathComponent
            var isDir: ObjCBool = false
            let full = directory + "/" + rel
            _ = fm.fileExists(atPath: full, isDirectory: &isDir)
            if isDir.boolValue {
                if name.hasPrefix(".") || name == "node_modules" { e.skipDescendants() }
                continue
            }
            guard name.hasSuffix(".yml") || name.hasSuffix(".yaml"), !name.hasPrefix(".") else { continue }
            let shown = display == "." || display == "./" ? rel : Paths.join(display, rel)
            out.append((shown, full))
        }
        return out.sorted { $0.0 < $1.0 }
    }

    @Test func directoryWalkMatchesTheEnumerator() throws {
        let root = try Self.makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let run = LintRun(catalogue: .standard, options: LintOptions(paths: [], workingDirectory: root))
        for (dir, display) in [(root, "."), (root + "/a", "a"), (root + "/a", "./"), (root + "/d e", "d e/")] {
            let walked = run.walk(directory: dir, display: display)
            let expected = Self.enumeratorWalk(directory: dir, display: display)
            #expect(walked.map(\.0) == expected.map(\.0))
            #expect(walked.map(\.1) == expected.map(\.1))
            #expect(!walked.isEmpty)
        }
    }
}
