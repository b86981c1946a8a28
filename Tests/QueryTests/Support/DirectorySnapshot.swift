import Foundation

/// Every file under a directory with its size and modification time (nanoseconds).
struct DirectorySnapshot: Equatable {
    var files: [String: [Int64]]

    init(_ root: String) throws {
        files = [:]
        guard let walker = FileManager.default.enumerator(atPath: root) else { throw TestFailure("cannot list \(root)") }
        while let relative = walker.nextObject() as? String {
            var st = stat()
            guard stat(root + "/" + relative, &st) == 0 else { continue }
            files[relative] = [Int64(st.st_size), Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec),
                               Int64(st.st_mode)]
        }
    }
}
