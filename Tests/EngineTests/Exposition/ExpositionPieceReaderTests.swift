#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import Engine

/// The file reader behind streamed `--input` and backfill files: pieces add up to the file, the end is
/// reported, and a failing read is an error naming the file.
@Suite struct ExpositionPieceReaderTests {
    static func temporaryDirectory() throws -> String {
        var template = Array("/tmp/piece-reader-test-XXXXXX".utf8CString)
        let made: String? = template.withUnsafeMutableBufferPointer { buf -> String? in
            guard let base = buf.baseAddress, let p = mkdtemp(base) else { return nil }
            return String(cString: p)
        }
        return try #require(made)
    }

    @Test(arguments: [1, 7, 4096, ExpositionPieceReader.defaultPieceLength])
    func piecesAddUpToTheFile(pieceLength: Int) throws {
        let dir = try Self.temporaryDirectory()
        defer { BlockDirectory.removeAll(dir) }
        let text = Array((0..<1000).map { "m{i=\"\($0)\"} \($0)\n" }.joined().utf8)
        try OutputFile.create(dir + "/in.prom", contents: text)
        let fd = open(dir + "/in.prom", O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        var reader = ExpositionPieceReader(fd: fd, path: dir + "/in.prom", pieceLength: pieceLength)
        var buffer: [UInt8] = []
        var calls = 0
        while try reader.next(&buffer) {
            calls += 1
            #expect(buffer.count <= calls * pieceLength)
        }
        #expect(buffer == text)
        // Once at the end, it stays there.
        #expect(try reader.next(&buffer) == false)
        #expect(buffer == text)
    }

    @Test func aFailingReadNamesTheFile() throws {
        let dir = try Self.temporaryDirectory()
        defer { BlockDirectory.removeAll(dir) }
        let fd = open(dir, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        var reader = ExpositionPieceReader(fd: fd, path: dir)
        var buffer: [UInt8] = []
        #expect(throws: ExpositionError(line: 0, column: 0, message: "read \(dir): is a directory")) {
            _ = try reader.next(&buffer)
        }
    }
}
