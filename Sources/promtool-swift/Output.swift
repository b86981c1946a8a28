#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
private let systemRead = Glibc.read
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
private let systemRead = Darwin.read
#endif
import ConfigModel

/// The CLI's only I/O: whole lines straight to the file descriptors (so stdout and stderr interleave in the
/// order lines are produced, as promtool's do) and whole inputs from files or standard input.
enum Output {
    /// The name this binary was run as (promtool prints its own name in usage errors the same way), so a
    /// copy or link installed as `promtool` prints exactly promtool's lines.
    static var programName: String {
        let path = CommandLine.arguments.first ?? "promtool-swift"
        let base = path.split(separator: "/").last.map(String.init) ?? path
        return base.isEmpty ? "promtool-swift" : base
    }

    /// promtool's usage error line on stderr: `NAME: error: MESSAGE, try --help`.
    static func usageError(_ message: String) {
        err("\(programName): error: \(message), try --help")
    }

    static func out(_ line: String) { write(fd: 1, line + "\n") }
    static func err(_ line: String) { write(fd: 2, line + "\n") }

    /// Writes `text` as is (no newline added).
    static func write(fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { buf in
            guard let base = buf.baseAddress else { return }
            var offset = 0
            while offset < buf.count {
                let n = systemWrite(fd, base + offset, buf.count - offset)
                if n <= 0 { return }
                offset += n
            }
        }
    }

    /// Our addition to promtool's output: `  at FILE:LINE:COL`.
    static func position(_ mark: Mark?, file: String) -> String? {
        guard let mark, mark.line > 0 else { return nil }
        return "  at \(file):\(mark.line):\(mark.column)"
    }

    /// All of standard input.
    static func readStandardInput() -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { systemRead(0, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            out.append(contentsOf: buffer[0..<n])
        }
        return out
    }

    /// A whole file (`-` for standard input); nil when it cannot be opened.
    static func readFile(_ path: String) -> [UInt8]? {
        if path == "-" { return readStandardInput() }
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n <= 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        return out
    }
}
