import Engine

/// The files of every block directory (size and modification time), which Prometheus writes once and never changes.
struct BlockFilesSnapshot {
    var blocks: [String: DirectorySnapshot] = [:]

    init(_ data: String) throws {
        for name in TSDBDirectory.blockNames(in: data) {
            if let s = try? DirectorySnapshot(data + "/" + name), !s.files.isEmpty { blocks[name] = s }
        }
    }

    /// Blocks present in both (and complete in both: a block being deleted loses files) whose files differ.
    func changed(comparedTo later: BlockFilesSnapshot) -> [String] {
        blocks.compactMap { name, files in
            guard let other = later.blocks[name], other.files.count == files.files.count else { return nil }
            return other == files ? nil : name
        }
    }
}
