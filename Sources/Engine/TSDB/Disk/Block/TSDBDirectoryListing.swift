import ConfigModel

/// The names in a data directory that a running Prometheus changes when it cuts, compacts or truncates: block
/// directories, WAL segments and checkpoints, head chunk files. `TSDBDirectory` compares two listings to tell a
/// read that failed (or saw blocks appear) because the directory changed under it from a directory that is
/// damaged, and reads again in the first case.
struct TSDBDirectoryListing: Equatable {
    var blocks: [String]
    var wal: [String]
    var headChunks: [String]

    init(path: String) {
        blocks = TSDBDirectory.blockNames(in: path)
        wal = FileSystem.contents(ofDirectory: path + "/wal").sorted()
        headChunks = FileSystem.contents(ofDirectory: path + "/chunks_head").sorted()
    }
}
